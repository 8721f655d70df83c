import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { installByTokenExchange, installNonExpiring, SHOP_NAME_QUERY, standinShopify, storedSession, tokenRequestsOf } from "../support/offline-tokens";

// GIVEN a stand-in Shopify that issues 1-hour expiring offline tokens and rotates the refresh
// token on every use, reached through SHOPIFY_API_ORIGIN as production reaches Shopify.
const standin = await standinShopify();
const { backgroundAdmin } = await import("~/adapters/shopify-admin.server");
const { ensureOfflineToken, MISSING_EXPIRES_IN_SECONDS } = await import("~/adapters/offline-token.server");
const { database } = await import("~/db.server");
const { setAbstractFetchFunc, abstractFetch } = await import("@shopify/shopify-api/runtime");

standin.answer("shopName", (call) => ({ shop: { name: `Shop ${call.shop}` } }));
afterAll(() => standin.close());
let n = 0;
let shop: string;
beforeEach(() => {
  shop = `tokens-${++n}.myshopify.com`;
  standin.setAccessTokenTtl(3600);
  standin.setOmitExpiresIn(false);
  standin.setRefuseRefresh(false);
});

/** Installed with an access token that has 8 minutes left: inside our 10-minute margin, outside the library's 5. */
async function installNearExpiry() {
  // Installed with a fresh token (afterAuth's own Admin calls need no renewal), which then ages:
  // the stored expiry is moved to 8 minutes from now.
  await installByTokenExchange(shop);
  const { database } = await import("~/db.server");
  await (await database()).prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() + 8 * 60_000) } });
  return (await storedSession(shop))!;
}

async function shopName(result: Awaited<ReturnType<typeof backgroundAdmin>>) {
  if (!result.ok) throw new Error(`no admin: ${result.reason} ${result.message}`);
  const response = await result.admin.graphql(SHOP_NAME_QUERY);
  return ((await response.json()) as { data: { shop: { name: string } } }).data.shop.name;
}

const minutesLeft = (expires: Date | null | undefined) => (expires!.getTime() - Date.now()) / 60_000;

describe("expiring offline tokens for background work", () => {
  it("installs with an expiring token and its refresh token stored", async () => {
    await installByTokenExchange(shop);
    expect(tokenRequestsOf(standin, shop)).toEqual([{ shop, grant: "token_exchange", expiring: true, ok: true }]);
    const session = await storedSession(shop);
    expect(session).toMatchObject({ refreshToken: expect.stringMatching(/^shprt_/) });
    expect(minutesLeft(session!.expires)).toBeGreaterThan(59);
    expect(minutesLeft(session!.refreshTokenExpires)).toBeGreaterThan(89 * 24 * 60);
  });

  it("refreshes a token about to expire before the call, and stores the rotated refresh token", async () => {
    const before = await installNearExpiry();
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);

    expect(tokenRequestsOf(standin, shop).map((r) => [r.grant, r.ok])).toEqual([
      ["token_exchange", true],
      ["refresh_token", true],
    ]);
    const after = (await storedSession(shop))!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(minutesLeft(after.expires)).toBeGreaterThan(59);
    // The call went out with the new token, and the new refresh token is the live one.
    expect(standin.adminCalls.filter((c) => c.shop === shop && c.operationName === "shopName").map((c) => c.accessToken)).toEqual([after.accessToken]);
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    expect(tokenRequestsOf(standin, shop)).toHaveLength(2); // fresh now: no second refresh
  });

  it("hands out the same client while the stored token is unchanged, and a new one over the new token once it changes", async () => {
    await installByTokenExchange(shop);
    const first = await backgroundAdmin(shop);
    const again = await backgroundAdmin(shop);
    expect(first.ok && again.ok && again.admin === first.admin).toBe(true);
    expect(await shopName(again)).toBe(`Shop ${shop}`);

    // The token is renewed (moved near expiry here): the next call gets a client over the new one.
    const before = (await storedSession(shop))!;
    await (await database()).prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() + 8 * 60_000) } });
    const renewed = await backgroundAdmin(shop);
    const after = (await storedSession(shop))!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(renewed.ok && first.ok && renewed.admin !== first.admin).toBe(true);
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    expect(standin.adminCalls.filter((c) => c.shop === shop && c.operationName === "shopName").map((c) => c.accessToken)).toEqual([before.accessToken, after.accessToken]);
  });

  it("two concurrent calls for one shop leave one working token, refreshed once", async () => {
    await installNearExpiry();
    const results = await Promise.all([backgroundAdmin(shop), backgroundAdmin(shop), backgroundAdmin(shop)]);
    for (const result of results) expect(await shopName(result)).toBe(`Shop ${shop}`);
    const refreshes = tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token");
    expect(refreshes).toEqual([{ shop, grant: "refresh_token", expiring: true, ok: true }]);
    expect(standin.isLive((await storedSession(shop))!.accessToken)).toBe(true);
  });

  it("two workers renewing one shop at once (no shared in-process promise) refresh once and both end with the live token", async () => {
    await installNearExpiry();
    const results = await Promise.all([ensureOfflineToken(shop, { shareInFlight: false }), ensureOfflineToken(shop, { shareInFlight: false }), ensureOfflineToken(shop, { shareInFlight: false })]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    // Each worker re-read the session under the per-shop lock, so only the first used the
    // refresh token; a second use would have been refused (Shopify rotated it).
    expect(tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token")).toEqual([{ shop, grant: "refresh_token", expiring: true, ok: true }]);
    const session = (await storedSession(shop))!;
    expect(standin.isLive(session.accessToken)).toBe(true);
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    const prisma = (await database()).prisma;
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({ reauthNeededAt: null });
  });

  it("gives a refresh answer without expires_in a short lifetime, so the session is refreshed again instead of never (shopify-app-js #3400)", async () => {
    await installNearExpiry();
    standin.setOmitExpiresIn(true);
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    const short = (await storedSession(shop))!;
    expect(minutesLeft(short.expires)).toBeGreaterThan(MISSING_EXPIRES_IN_SECONDS / 60 - 1);
    expect(minutesLeft(short.expires)).toBeLessThanOrEqual(MISSING_EXPIRES_IN_SECONDS / 60);

    // Five minutes on, that short life is inside the margin: the next call refreshes again.
    const prisma = (await database()).prisma;
    await prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() + 9 * 60_000) } });
    standin.setOmitExpiresIn(false);
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    expect(tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token" && r.ok)).toHaveLength(2);
    expect(minutesLeft((await storedSession(shop))!.expires)).toBeGreaterThan(59);
  });

  it("migrates a non-expiring token to an expiring one on the next background call", async () => {
    const old = await installNonExpiring(standin, shop);
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    expect(tokenRequestsOf(standin, shop).map((r) => [r.grant, r.expiring, r.ok])).toEqual([
      ["token_exchange", false, true],
      ["migrate", true, true],
    ]);
    const session = (await storedSession(shop))!;
    expect(session.accessToken).not.toBe(old);
    expect(standin.isLive(old)).toBe(false);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(minutesLeft(session.expires)).toBeGreaterThan(59);
  });

  it("migrates a non-expiring token when the merchant opens the app", async () => {
    await installNonExpiring(standin, shop);
    const { loader } = await import("~/routes/app");
    const { adminRequest } = await import("../support/admin-request");
    await loader({ request: await adminRequest("/app", { shop }), params: {}, context: {} });
    expect(tokenRequestsOf(standin, shop).map((r) => [r.grant, r.ok])).toEqual([
      ["token_exchange", true],
      ["migrate", true],
    ]);
    expect((await storedSession(shop))!.refreshToken).toMatch(/^shprt_/);
  });

  it("uses the session someone else stored when Shopify refuses our refresh token, instead of flagging the shop", async () => {
    await installNearExpiry();
    // While our refresh is on its way, the merchant opens the app: a token exchange stores a
    // new session, and Shopify refuses the refresh token we hold.
    const upstream = abstractFetch;
    setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (typeof init?.body === "string" && init.body.includes('"grant_type":"refresh_token"')) {
        setAbstractFetchFunc(upstream);
        const prisma = (await database()).prisma;
        await prisma.session.delete({ where: { id: `offline_${shop}` } });
        await installByTokenExchange(shop);
        standin.setRefuseRefresh(true);
      }
      return upstream(input, init);
    });
    try {
      expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    } finally {
      setAbstractFetchFunc(upstream);
    }
    expect(tokenRequestsOf(standin, shop).map((r) => [r.grant, r.ok])).toEqual([
      ["token_exchange", true],
      ["token_exchange", true],
      ["refresh_token", false],
    ]);
    const prisma = (await database()).prisma;
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({ reauthNeededAt: null });
  });

  it("marks the shop as needing re-auth when Shopify refuses the refresh token, and stops asking", async () => {
    await installNearExpiry();
    standin.setRefuseRefresh(true);
    expect(await backgroundAdmin(shop)).toMatchObject({ ok: false, reason: "needs_reauth" });
    expect(await backgroundAdmin(shop)).toMatchObject({ ok: false, reason: "needs_reauth" });
    expect(tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token")).toHaveLength(1);
    const prisma = (await database()).prisma;
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({
      reauthNeededAt: expect.any(Date),
      reauthReason: expect.stringContaining("invalid_grant"),
    });
  });

  it("renews before the next call when the Admin API answers 401 to a token we thought live", async () => {
    await installByTokenExchange(shop);
    const prisma = (await database()).prisma;
    await prisma.session.update({ where: { id: `offline_${shop}` }, data: { accessToken: "shpat_revoked" } });
    const first = await backgroundAdmin(shop);
    expect(first.ok).toBe(true);
    await expect(shopName(first)).rejects.toThrow(/401|Unauthorized|Invalid API key/i);
    expect(await shopName(await backgroundAdmin(shop))).toBe(`Shop ${shop}`);
    expect(tokenRequestsOf(standin, shop).map((r) => [r.grant, r.ok])).toEqual([
      ["token_exchange", true],
      ["refresh_token", true],
    ]);
  });

  it("answers no_session for a shop without a stored session, without calling Shopify", async () => {
    expect(await backgroundAdmin(shop)).toMatchObject({ ok: false, reason: "no_session" });
    expect(tokenRequestsOf(standin, shop)).toEqual([]);
  });
});
