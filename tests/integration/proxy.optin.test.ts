import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { action as optin } from "~/routes/proxy.optin";
import { action as inbound } from "~/routes/twilio.inbound";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { dispatchOnce } from "../support/dispatch";
import { appProxyRequest, installShop, TEST_SHOP } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";

const T = new Date("2026-11-24T16:00:00Z"); // 11:00 in New York
const DISCLOSURE =
  "By signing up you agree to receive recurring automated marketing texts from Snow Devil at this number. Consent is not a condition of purchase. Msg & data rates may apply. Reply STOP to opt out, HELP for help.";
let prisma: PrismaClient;
let fake: FakeTwilio;

const signUp = (body: Record<string, unknown>, options: Parameters<typeof appProxyRequest>[2] = {}) => optin({ request: appProxyRequest("/proxy/optin", body, options), params: {}, context: {} });
const form = (phone: string, extra: Record<string, unknown> = {}) => ({
  phone,
  country: "US",
  consent: true,
  disclosureText: DISCLOSURE,
  disclosureVersion: "2026-11-01",
  pageUrl: "https://snow-devil.example/products/board",
  ...extra,
});
const stored = async () => ({ shoppers: await prisma.shopper.count(), consents: await prisma.consent.count(), messages: await prisma.scheduledMessage.count() });

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());

describe("storefront opt-in through the app proxy", () => {
  it("stores consent with its evidence and schedules the welcome text", async () => {
    const res = await signUp(form("(212) 555-0140"), { ip: "198.51.100.7, 10.0.0.1", userAgent: "Mozilla/5.0 (Android) Chrome" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, message: "You're in! Watch for a welcome text." });

    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: "+12125550140" } });
    expect(shopper).toMatchObject({ consent: "granted", stage: "awareness", country: "US" });
    expect(await prisma.consent.findMany({ where: { shopperId: shopper.id } })).toEqual([
      expect.objectContaining({
        status: "granted",
        source: "popup",
        collectedAt: T,
        ip: "198.51.100.7",
        userAgent: "Mozilla/5.0 (Android) Chrome",
        pageUrl: "https://snow-devil.example/products/board",
        disclosureText: DISCLOSURE,
        disclosureVersion: "2026-11-01",
      }),
    ]);
    expect(await prisma.scheduledMessage.findMany({ where: { shopperId: shopper.id } })).toEqual([
      expect.objectContaining({ flow: "welcome", status: "scheduled", dueAt: T, discount: { percent: 15, expiresInHours: 168 } }),
    ]);
  });

  it("leads to a welcome text through the dispatcher, with brand and STOP wording", async () => {
    await dispatchOnce(fake);
    const [text] = fake.messages.filter((m) => m.to === "+12125550140");
    expect(text!.body).toMatch(/^Thanks for joining Snow Devil!.*\nReply STOP to opt out$/s);
  });

  it("changes nothing when the same number signs up again", async () => {
    const before = await stored();
    const res = await signUp(form("+12125550140"));
    expect(res.status).toBe(200);
    expect(await stored()).toEqual(before);
  });

  it.each([
    ["a forged signature", form("+12125550141"), { secret: "not-the-app-secret" }, 400],
    ["a tampered shop", form("+12125550141"), { tamper: { shop: "other-shop.myshopify.com" } }, 400],
    ["an invalid number", form("+1 212 555"), {}, 422],
    ["a vanity number", form("555-FLOWERS"), {}, 422],
    ["no consent tick", form("+12125550142", { consent: false }), {}, 422],
    ["a disclosure without opt-out wording", form("+12125550143", { disclosureText: "Sign up for texts from Snow Devil and get deals every week!" }), {}, 422],
    ["a shop that has not installed the app", form("+12125550144"), { shop: "stranger.myshopify.com" }, 404],
  ])("refuses %s with a clear 4xx and stores nothing", async (_name, body, options, status) => {
    const before = await stored();
    const res = await signUp(body, options);
    expect(res.status).toBe(status);
    if (status !== 400) expect((await res.json()).error).toEqual(expect.any(String));
    expect(await stored()).toEqual(before);
  });

  it("refuses malformed JSON with 422", async () => {
    const res = await signUp("{not json" as unknown as Record<string, unknown>);
    expect(res.status).toBe(422);
  });

  it("rate-limits repeated sign-ups for one number", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await signUp(form("+12125550150"), { ip: `198.51.100.${20 + i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("links a signed-in customer and queues their subscription for Shopify as a single opt-in", async () => {
    const res = await signUp(form("+12125550160"), { customerId: "777001" });
    expect(res.status).toBe(200);
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { phone: "+12125550160" } });
    expect(shopper).toMatchObject({ customerId: "777001" });
    expect(await prisma.consentSync.findMany({ where: { shop: TEST_SHOP, shopperId: shopper.id } })).toEqual([
      expect.objectContaining({ customerId: "777001", state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", consentUpdatedAt: T, status: "pending" }),
    ]);
  });
});

describe("double opt-in", () => {
  const SHOP = "double-optin.myshopify.com";
  const phone = "+12125550170";

  beforeAll(async () => {
    await installShop(SHOP);
    await prisma.shop.update({ where: { domain: SHOP }, data: { name: "Careful Co", settings: { journey: { doubleOptIn: true, holdoutPercent: { cart_recovery: 0 } } } } });
  });

  it("asks for a Y reply first, and only then welcomes the shopper", async () => {
    const res = await signUp(form(phone), { shop: SHOP });
    expect(await res.json()).toEqual({ ok: true, message: "Almost there! Reply Y to the text we just sent you to confirm." });
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: SHOP, phone } });
    expect(shopper.consent).toBe("pending");
    expect(await prisma.consent.findMany({ where: { shopperId: shopper.id } })).toEqual([expect.objectContaining({ status: "pending", disclosureText: DISCLOSURE, ip: "203.0.113.9" })]);

    await dispatchOnce(fake);
    const texts = () => fake.messages.filter((m) => m.to === phone).map((m) => m.body);
    expect(texts()).toEqual(["Careful Co: reply Y to confirm you'd like recurring marketing texts from us. Msg & data rates may apply.\nReply STOP to opt out"]);
    expect(await prisma.scheduledMessage.count({ where: { shopperId: shopper.id, flow: "welcome" } })).toBe(0);

    const reply = await inbound({ request: twilioWebhook("/twilio/inbound", { From: phone, Body: "Y", MessageSid: "SMconfirm" }), params: {}, context: {} });
    expect(reply.status).toBe(200);
    expect(await prisma.shopper.findFirstOrThrow({ where: { id: shopper.id } })).toMatchObject({ consent: "granted" });
    expect(await prisma.consent.findMany({ where: { shopperId: shopper.id }, orderBy: { createdAt: "asc" } })).toEqual([
      expect.objectContaining({ status: "confirmed" }),
      expect.objectContaining({ status: "granted", source: "popup", disclosureText: DISCLOSURE, ip: "203.0.113.9" }),
    ]);

    await dispatchOnce(fake);
    expect(texts()[1]).toMatch(/^Thanks for joining Careful Co!/);
  });

  it("never welcomes a shopper who does not confirm", async () => {
    const other = "+12125550171";
    await signUp(form(other), { shop: SHOP });
    await dispatchOnce(fake);
    await dispatchOnce(fake);
    expect(fake.messages.filter((m) => m.to === other)).toHaveLength(1);
    expect((await prisma.shopper.findFirstOrThrow({ where: { shop: SHOP, phone: other } })).consent).toBe("pending");
  });
});
