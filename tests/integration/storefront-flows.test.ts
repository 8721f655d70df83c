import { beforeEach, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { normalizePhone } from "~/lib/phone";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { recordPopupOptIn } from "~/services/popup-optin.server";
import { shopperTimeline } from "~/services/shopper-directory.server";
import { feedStorefrontEvents, type StorefrontEvent } from "~/services/storefront-journey.server";
import { upsertShopper } from "~/services/shoppers.server";
import { checkoutPayload, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { HOUR, MIN, NO_ABANDONMENT_HOLDOUT, startStorefrontJourney } from "../support/storefront-journey";

// Issue #18, item 5: what the pixel sees (product views, cart adds) of a known shopper drives
// the browse and cart abandonment texts: one text per abandonment, handed over to the checkout
// flow once a checkout starts, nothing without consent, and a cap that waits instead of dropping.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const TENT = { productId: "gid://shopify/Product/1001", variantId: "gid://shopify/ProductVariant/4001", productTitle: "Trail Tent" };
const { clock, prisma, at, dispatchAt, textsTo, rowsOf, followLink } = await startStorefrontJourney(T, {
  settings: { journey: { holdoutPercent: NO_ABANDONMENT_HOLDOUT, browseAbandonment: { enabled: true } } },
});
let seq = 0;

/** A popup sign-up (consent with evidence, welcome text planned), sent its welcome. */
async function signUp(phone: string, when: Date): Promise<string> {
  clock.set(when);
  const result = await recordPopupOptIn((await database()).sql, {
    shop: TEST_SHOP,
    phone: normalizePhone(phone, null, { strict: true })!,
    customerId: `cust-${seq}`,
    firstName: "Ana",
    evidence: { ip: "203.0.113.9", userAgent: "Mozilla/5.0", pageUrl: "https://shop/", disclosureText: "Texts from Trail Co", disclosureVersion: "1" },
    now: when,
  });
  if (!("shopperId" in result)) throw new Error(result.status);
  await dispatchAt(when);
  return result.shopperId;
}

/** What the pixel collector does with a known shopper's events. */
async function storefront(shopperId: string, when: Date, events: StorefrontEvent[]) {
  clock.set(when);
  await feedStorefrontEvents((await database()).sql, { shop: TEST_SHOP, shopperId, events, now: when });
}
const addTent = (when: Date, cartToken: string): StorefrontEvent => ({ type: "cart_item_added", at: when.getTime(), ...TENT, quantity: 1, cartToken });
const viewTent = (when: Date): StorefrontEvent => ({ type: "product_viewed", at: when.getTime(), ...TENT });

beforeEach(() => {
  seq++;
});

describe("the cart abandonment flow", () => {
  it("texts a signed-up shopper who adds Trail Tent to the cart and leaves, once, with a link that rebuilds the cart", async () => {
    const phone = `+1212555${2000 + seq}`;
    const shopperId = await signUp(phone, at(-HOUR));
    await storefront(shopperId, T, [viewTent(at(-MIN)), addTent(T, `cart-${seq}`)]);
    expect(await prisma.shopper.findUniqueOrThrow({ where: { id: shopperId } })).toMatchObject({ stage: "consideration" });

    expect(await dispatchAt(at(59 * MIN))).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(at(60 * MIN))).toMatchObject({ sent: 1 });
    await dispatchAt(at(30 * HOUR));
    const [welcome, cartText, ...more] = textsTo(phone);
    expect(welcome!.body).toContain("Thanks for joining");
    expect(more).toEqual([]);
    expect(cartText!.body).toContain("Trail Tent is still in your cart at Trail Co");

    const code = (await prisma.discountCode.findFirstOrThrow({ where: { shopperId, percent: 10 } })).code;
    expect(await followLink(cartText!.body)).toBe(`https://${TEST_SHOP}/cart/4001:1?discount=${code}`);

    const timeline = await shopperTimeline(await database(), TEST_SHOP, shopperId);
    const titles = timeline!.entries.map((e) => `${e.title}${e.detail ? ` — ${e.detail}` : ""}`);
    expect(titles).toContain("Added to cart — Trail Tent");
    expect(titles).toContain("Viewed a product — Trail Tent");
    expect(titles.some((t) => t.startsWith("Abandoned cart text sent"))).toBe(true);
  });

  it("hands over to the checkout flow once a checkout starts: the checkout's text, not the cart text as well", async () => {
    const phone = `+1212555${2000 + seq}`;
    const shopperId = await signUp(phone, at(-HOUR));
    await storefront(shopperId, T, [addTent(T, `cart-${seq}`)]);
    clock.set(at(10 * MIN));
    const payload = checkoutPayload({ token: `chk-${seq}`, cartToken: `cart-${seq}`, createdAt: at(10 * MIN), phone });
    expect((await checkoutsCreate({ request: webhookRequest("checkouts/create", payload), params: {}, context: {} })).status).toBe(200);

    await dispatchAt(at(30 * MIN));
    await dispatchAt(at(2 * HOUR));
    const [, checkoutText, ...more] = textsTo(phone);
    expect(more).toEqual([]);
    expect(checkoutText!.body).toMatch(/in your cart at Trail Co/);
    const rows = await rowsOf(shopperId);
    expect(rows.find((r) => r.flow === "cart_abandonment")).toMatchObject({ status: "cancelled", reason: "handed_over" });
    expect(rows.find((r) => r.flow === "cart_recovery")).toMatchObject({ status: "sent" });
  });

  it("cancels both the browse and the cart text when the shopper orders", async () => {
    const phone = `+1212555${2000 + seq}`;
    const shopperId = await signUp(phone, at(-HOUR));
    await storefront(shopperId, T, [viewTent(T), viewTent(at(MIN)), addTent(at(2 * MIN), `cart-${seq}`)]);
    const otherProduct: StorefrontEvent = { type: "product_viewed", at: at(3 * MIN).getTime(), productId: "gid://shopify/Product/2002", variantId: null, productTitle: "Camp Stove" };
    await storefront(shopperId, at(4 * MIN), [otherProduct, { ...otherProduct, at: at(4 * MIN).getTime() }]);
    expect(
      (await rowsOf(shopperId))
        .filter((r) => r.status === "scheduled")
        .map((r) => r.flow)
        .sort(),
    ).toEqual(["browse_abandonment", "cart_abandonment"]);

    clock.set(at(20 * MIN));
    const customer = { id: Number(`77${seq}`), phone, email: null, first_name: "Ana" };
    const order = orderPayload({ id: `88${seq}`, checkoutToken: null, cartToken: `cart-${seq}`, createdAt: at(20 * MIN), phone, customer });
    expect((await ordersCreate({ request: webhookRequest("orders/create", order), params: {}, context: {} })).status).toBe(200);
    await dispatchAt(at(5 * HOUR));
    expect(textsTo(phone)).toHaveLength(1); // the welcome only
    const storefrontRows = (await rowsOf(shopperId)).filter((r) => r.flow === "browse_abandonment" || r.flow === "cart_abandonment");
    expect(storefrontRows.map((r) => [r.flow, r.status, r.reason]).sort()).toEqual([
      ["browse_abandonment", "cancelled", "handed_over"], // Trail Tent's views, then added to the cart
      ["browse_abandonment", "cancelled", "ordered"], // Camp Stove's
      ["cart_abandonment", "cancelled", "ordered"],
    ]);
  });

  it("sends nothing to a visitor with no consent", async () => {
    const phone = `+1212555${2000 + seq}`;
    const { sql } = await database();
    const shopper = await sql.transaction((tx) => upsertShopper(tx, TEST_SHOP, { phone, phoneRegion: "US", customerId: `cust-${seq}` }));
    await storefront(shopper!.id, T, [viewTent(T), viewTent(at(MIN)), addTent(at(2 * MIN), `cart-${seq}`)]);
    await dispatchAt(at(3 * HOUR));
    expect(textsTo(phone)).toEqual([]);
    expect(await rowsOf(shopper!.id)).toEqual([]);
  });
});

describe("the frequency cap waits for abandonment texts", () => {
  it("sends the checkout text to a shopper who signed up and abandoned within 8 hours", async () => {
    const phone = `+1212555${2000 + seq}`;
    await signUp(phone, at(-HOUR));
    clock.set(T);
    await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `chk-${seq}`, createdAt: T, phone })), params: {}, context: {} });
    expect(await dispatchAt(at(20 * MIN))).toMatchObject({ sent: 1 });
    expect(textsTo(phone)).toHaveLength(2);
  });

  it("holds the cart text behind a browse text until the cap allows it, says why, then sends it", async () => {
    const phone = `+1212555${2000 + seq}`;
    const shopperId = await signUp(phone, at(-HOUR));
    // Two views: the browse text two hours later (the welcome doesn't count against it).
    await storefront(shopperId, T, [viewTent(T), viewTent(at(MIN))]);
    expect(await dispatchAt(at(2 * HOUR + MIN))).toMatchObject({ sent: 1 });
    expect(textsTo(phone)[1]!.body).toContain("Still thinking about Trail Tent");

    // Then a cart add: its text is due an hour later, but 1 text per 8 hours is taken.
    await storefront(shopperId, at(2 * HOUR + 30 * MIN), [addTent(at(2 * HOUR + 30 * MIN), `cart-${seq}`)]);
    expect(await dispatchAt(at(3 * HOUR + 30 * MIN))).toMatchObject({ deferred: 1, sent: 0 });
    const waiting = (await rowsOf(shopperId)).find((r) => r.flow === "cart_abandonment")!;
    expect(waiting).toMatchObject({ status: "scheduled", reason: "frequency_cap_wait", dueAt: at(10 * HOUR + MIN) });
    const timeline = await shopperTimeline(await database(), TEST_SHOP, shopperId);
    expect(timeline!.entries.map((e) => e.title)).toContain("Abandoned cart text scheduled (waiting for the frequency cap to allow it)");

    expect(await dispatchAt(at(10 * HOUR + MIN))).toMatchObject({ sent: 1 }); // 20:01 in New York
    expect(textsTo(phone)).toHaveLength(3);
    expect(textsTo(phone)[2]!.body).toContain("Trail Tent is still in your cart");
  });
});
