import type { Prisma } from "@prisma/client";
import { expect } from "vitest";
import type { DiscountMinter } from "~/adapters/shopify-discounts.server";
import { clock as appClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { loader as follow } from "~/routes/r.$id";
import { testGateway } from "./dispatch";
import { TEST_SHOP } from "./shopify";
import { startTextingShop } from "./texting-shop";

// The storefront abandonment tests (issue #18) drive Trail Co's journeys from the pixel's
// events on a fixed clock, send through a fake Twilio and follow the texts' links. This holds
// the shop, clock, dispatcher and reads they share; each test file says how the events arrive.

export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** Abandonment texts without a control group: every shopper in these tests is texted. */
export const NO_ABANDONMENT_HOLDOUT = { cart_abandonment: 0, browse_abandonment: 0, cart_recovery: 0 };

/** Discount codes minted as Shopify would, without calling it. */
const mintDiscount: DiscountMinter = async (request) => ({ ok: true, id: `gid://shopify/DiscountCodeNode/${request.code}` });

/**
 * Trail Co installed on a clock fixed at `start`, with `shopData` (settings and the like) and a
 * fake Twilio. Await it at the top level of a test file: the hooks it adds belong to the file.
 */
export async function startStorefrontJourney(start: Date, shopData: Prisma.ShopUpdateInput) {
  const { clock, prisma, fake } = await startTextingShop(start, { name: "Trail Co" });
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: shopData });
  return {
    clock,
    prisma,
    /** `ms` after the start instant. */
    at: (ms: number) => new Date(start.getTime() + ms),
    /** One dispatcher tick at `when` (the app clock moved there first). */
    async dispatchAt(when: Date) {
      clock.set(when);
      const { sql } = await database();
      const gateway = testGateway(fake);
      return dispatchDueMessages({ sql, gatewayFor: () => gateway, mintDiscount, linkBase: "https://nudge.test", workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });
    },
    textsTo: (phone: string) => fake.messages.filter((m) => m.to === phone),
    rowsOf: (shopperId: string) => prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, shopperId }, orderBy: { dueAt: "asc" } }),
    /** Follows a text's tracked link as a phone's browser does; where it redirects to. */
    async followLink(body: string): Promise<string> {
      const id = body.match(/https:\/\/nudge\.test\/r\/([0-9A-Za-z]{10})/)![1]!;
      const res = await follow({ request: new Request(`https://nudge.test/r/${id}`, { headers: { "user-agent": "Mozilla/5.0 (iPhone) Safari/604.1" } }), params: { id }, context: {} });
      expect(res.status).toBe(302);
      return res.headers.get("location")!;
    },
  };
}
