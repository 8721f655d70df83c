import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkoutPayload } from "~/demo/shopify-payloads";
import { startFakeTwilio, type FakeMessage, type FakeTwilio } from "../mocks/twilio";
import { validateAdminCall } from "../support/admin-schema";
import { answerNewShop, INSTALL_SCOPES, startBuiltServer, type BuiltServer } from "../support/built-server";
import { startShopifyStandin, type ShopifyStandin } from "../support/shopify-standin";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

// A new merchant's store, met as production meets it: `npm run build`, then the built server
// (`npm start`'s serve.js), a stand-in Shopify (token endpoint and Admin GraphQL) reached through
// SHOPIFY_API_ORIGIN, and the fake Twilio. Nothing is seeded: the install, the shop's details,
// the token refresh and the text all happen as they would on a real store.
const SHOP = "alpine-outfitters.myshopify.com";
const API_KEY = "real-install-key";
const API_SECRET = "real-install-secret-0123456789";
const START = "2026-12-07T15:00:00Z"; // 10:00 in New York: inside quiet hours' window
// Four shoppers, so the cart flow's 10% control group (chosen by a hash of a random shopper id)
// can't hold back every one of them (1 in 10,000).
const PHONES = ["+12125550188", "+12125550189", "+12125550190", "+12125550191"];

let standin: ShopifyStandin;
let twilio: FakeTwilio;
let app: BuiltServer;

beforeAll(async () => {
  standin = await startShopifyStandin({ apiKey: API_KEY, apiSecret: API_SECRET, scope: INSTALL_SCOPES });
  // Tokens live one minute: well inside the app's refresh margin, so the first Admin API call
  // the dispatcher makes must refresh first.
  standin.setAccessTokenTtl(60);
  // A new shop with no past orders: the history import finds nothing to bring in.
  answerNewShop(standin, { name: "Alpine Outfitters", contactEmail: "help@alpine-outfitters.example" });
  twilio = await startFakeTwilio();
  app = await startBuiltServer({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, start: START, shopifyOrigin: standin.url, twilioUrl: twilio.url });
});

afterAll(async () => {
  await app?.stop();
  await standin?.close();
  await twilio?.close();
});

describe("a real install, started as production runs it", () => {
  it("exchanges the first admin load's session token for an expiring offline token", async () => {
    const response = await app.adminLoad();
    expect(response.status).toBe(200);
    // Remix runs the layout's and the page's loaders at once, and each may exchange the token.
    const exchanges = standin.tokenRequests.filter((r) => r.grant === "token_exchange");
    expect(exchanges.length).toBeGreaterThan(0);
    expect(exchanges.every((r) => r.shop === SHOP && r.expiring && r.ok)).toBe(true);
    expect(standin.tokenRequests.some((r) => r.grant === "migrate")).toBe(false);
  });

  it("reads the shop's name, currency and time zone", async () => {
    const call = await app.waitFor("the shop details query", () => standin.adminCalls.find((c) => /\bshop\s*\{/.test(c.query)));
    expect(call.shop).toBe(SHOP);
    expect(call.query).toMatch(/currencyCode/);
    expect(call.query).toMatch(/ianaTimezone/);
  });

  let text: FakeMessage;
  let landing: URL;
  it("texts a consenting US shopper's abandoned checkout, branded with the shop's name, with a code minted after a token refresh", async () => {
    const now = new Date(START);
    for (const [i, phone] of PHONES.entries()) {
      const response = await app.sendWebhook("checkouts/create", checkoutPayload({ token: `real-install-${i}`, createdAt: now, phone }));
      expect(response.status).toBe(200);
    }

    text = await app.waitFor("the cart text", () => twilio.messages.find((m) => PHONES.includes(m.to)));
    expect(text.body).toContain("Alpine Outfitters");

    const link = text.body.match(/https?:\/\/\S+\/r\/\S+/)?.[0];
    expect(link).toBeDefined();
    const followed = await fetch(link!.replace(/[.,)]+$/, ""), { redirect: "manual" });
    expect(followed.status).toBe(302);
    landing = new URL(followed.headers.get("location")!);
    const code = decodeURIComponent(landing.pathname.split("/").pop()!);
    const mint = standin.adminCalls.find((c) => c.operationName === "nudgeDiscount" && (c.variables.basicCodeDiscount as { code: string }).code === code);
    expect(mint).toBeDefined();
    // Tokens live a minute, so the install's exchanged token was refreshed before the code was minted.
    expect(standin.tokenRequests.some((r) => r.grant === "refresh_token" && r.ok)).toBe(true);
    expect(standin.grantOf(mint!.accessToken)).toBe("refresh_token");
  });

  it("links the text to https://<shop>/discount/<that code>?redirect=<checkout>", () => {
    expect(landing.origin).toBe(`https://${SHOP}`);
    expect(landing.pathname).toMatch(/^\/discount\/[A-Z0-9-]+$/);
    expect(landing.searchParams.get("redirect")).toMatch(/^\/\d+\/checkouts\/|^\/checkouts\//);
  });

  it("sent every Admin API document with variables valid against Shopify's 2026-04 schema", () => {
    expect(standin.adminCalls.length).toBeGreaterThan(0);
    for (const call of standin.adminCalls) expect(validateAdminCall(call.query, call.variables), call.operationName ?? "").toEqual([]);
  });
});
