import { beforeAll, describe, expect, it } from "vitest";
import { mintSessionToken } from "~/demo/session-token.server";
import { loader as shopperLoader } from "~/routes/app.shoppers.$id";
import { loader as dashboardLoader } from "~/routes/app._index";
import { action as flowAction } from "~/routes/app.flows.$flow";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { adminRequest } from "../support/admin-request";
import { checkoutPayload, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

const OTHER = "other-admin.myshopify.com";
const key = () => process.env.SHOPIFY_API_KEY!;
const secret = () => process.env.SHOPIFY_API_SECRET!;
let shopperOfTestShop: string;

/** What a loader or action answered: its Response, thrown or returned. */
async function outcome(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeAll(async () => {
  const prisma = await installShop(TEST_SHOP);
  await installShop(OTHER);
  await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: "sec-1", createdAt: new Date(), phone: "+16135550188" })), params: {}, context: {} });
  shopperOfTestShop = (await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: "+16135550188" } })).id;
});

describe("admin requests with a bad session token", () => {
  it.each([
    ["expired", () => mintSessionToken({ shop: TEST_SHOP, apiKey: key(), apiSecret: secret(), ttlSeconds: -120 })],
    ["for another app (wrong audience)", () => mintSessionToken({ shop: TEST_SHOP, apiKey: "someone-elses-app", apiSecret: secret() })],
    ["signed with another secret", () => mintSessionToken({ shop: TEST_SHOP, apiKey: key(), apiSecret: "not-our-secret" })],
    ["not a JWT", async () => "garbage.token.value"],
  ])("refuses a token that is %s, and changes nothing", async (_, mint) => {
    const token = await mint();
    const read = await outcome(async () => dashboardLoader({ request: await adminRequest("/app", { token }), params: {}, context: {} }));
    expect(read.status).toBe(401);
    const draft = { enabled: false, template: "x {{checkout_link}}", variants: [], holdoutPercent: 0, discountExpiryHours: 48, steps: [{ delayMinutes: 20, discountPercent: null }], windowHours: 48 };
    const write = await outcome(async () =>
      flowAction({ request: await adminRequest("/app/flows/cart_recovery", { token, form: { draft: JSON.stringify(draft) } }), params: { flow: "cart_recovery" }, context: {} }),
    );
    expect(write.status).toBe(401);
    const { database } = await import("~/db.server");
    const settings = (await (await database()).prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).settings as { journey?: { cartRecovery?: unknown } };
    expect(settings.journey?.cartRecovery).toBeUndefined();
  });
});

describe("tenant isolation in the admin", () => {
  it("answers 404 when another shop's admin asks for this shop's shopper", async () => {
    const own = await outcome(async () => shopperLoader({ request: await adminRequest(`/app/shoppers/${shopperOfTestShop}`), params: { id: shopperOfTestShop }, context: {} }));
    expect(own.status).toBe(200);
    const other = await outcome(async () => shopperLoader({ request: await adminRequest(`/app/shoppers/${shopperOfTestShop}`, { shop: OTHER }), params: { id: shopperOfTestShop }, context: {} }));
    expect(other.status).toBe(404);
    const junk = await outcome(async () => shopperLoader({ request: await adminRequest("/app/shoppers/1%27%20OR%201=1"), params: { id: "1' OR 1=1" }, context: {} }));
    expect(junk.status).toBe(404);
  });
});
