import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";
import { readRequestBody, sendJson } from "../../lib/node-http";

/**
 * A stand-in Shopify for a server started as production runs it: the OAuth token endpoint
 * (token exchange, refresh with rotation, migration of a non-expiring token) and the Admin
 * GraphQL endpoint, over HTTP. The app reaches it through SHOPIFY_API_ORIGIN, which sends what
 * would go to https://<shop>/... here with the shop in X-Shopify-Shop-Domain.
 *
 * Like Shopify, it rotates the refresh token on every use (the old one is then refused), answers
 * 401 to an Admin API call with an expired or unknown access token, and answers GraphQL errors to
 * a query or variables `validate` finds invalid (the tests pass the Admin schema check,
 * tests/support/admin-schema.ts). Shared by the tests and `npm run demo` (app/demo/shopify/demo-shopify.server.ts).
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens
 */
export interface StandinAdminCall {
  shop: string;
  accessToken: string;
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
}

export type StandinTokenRequest = { shop: string; grant: "token_exchange" | "refresh_token" | "migrate"; expiring: boolean; ok: boolean };

export interface ShopifyStandin {
  url: string;
  tokenRequests: StandinTokenRequest[];
  adminCalls: StandinAdminCall[];
  /** Answers an Admin GraphQL operation by name; unnamed or unknown operations get a GraphQL error. */
  answer(operationName: string, respond: (call: StandinAdminCall) => unknown): void;
  /** Seconds an access token lives (Shopify: 1 hour). */
  setAccessTokenTtl(seconds: number): void;
  /** Leaves expires_in out of refresh answers (shopify-app-js issue #3400). */
  setOmitExpiresIn(omit: boolean): void;
  /** Refuses every refresh token (as after uninstall, or a revoked grant). */
  setRefuseRefresh(refuse: boolean): void;
  /** Answers the next `count` Admin GraphQL calls with this HTTP status (an outage), after recording them. */
  failAdminCalls(count: number, status: number): void;
  /** Milliseconds each Admin GraphQL answer takes, drawn per call (the dispatch benchmark's 50–150 ms); null: at once. */
  setAdminLatency(pick: (() => number) | null): void;
  isLive(accessToken: string): boolean;
  /** Takes a non-expiring offline token issued before this stand-in started (the demo's seeded session) as its own. */
  adoptOfflineToken(shop: string, accessToken: string): void;
  /** How an access token was issued (undefined for one the stand-in never issued). */
  grantOf(accessToken: string): StandinTokenRequest["grant"] | undefined;
  close(): Promise<void>;
}

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token";

export interface StandinOptions {
  apiKey: string;
  apiSecret: string;
  scope: string;
  /** What is wrong with an Admin GraphQL call, as messages ([] when nothing is); default: nothing is checked. */
  validate?: (query: string, variables: Record<string, unknown>) => string[];
  /** Port to listen on (default: a free one). */
  port?: number;
}

export async function startShopifyStandin(options: StandinOptions): Promise<ShopifyStandin> {
  const accessTokens = new Map<string, { shop: string; expiresAt: number | null; grant: StandinTokenRequest["grant"] }>();
  const refreshTokens = new Map<string, string>(); // live refresh token -> shop
  const handlers = new Map<string, (call: StandinAdminCall) => unknown>();
  const tokenRequests: StandinTokenRequest[] = [];
  const adminCalls: StandinAdminCall[] = [];
  let ttl = 3600;
  let omitExpiresIn = false;
  let refuseRefresh = false;
  let failing = { count: 0, status: 500 };
  let adminLatency: (() => number) | null = null;

  const issue = (shop: string, expiring: boolean, grant: StandinTokenRequest["grant"]) => {
    const access_token = `shpat_${randomBytes(12).toString("hex")}`;
    accessTokens.set(access_token, { shop, expiresAt: expiring ? Date.now() + ttl * 1000 : null, grant });
    if (!expiring) return { access_token, scope: options.scope };
    const refresh_token = `shprt_${randomBytes(12).toString("hex")}`;
    refreshTokens.set(refresh_token, shop);
    return { access_token, scope: options.scope, expires_in: ttl, refresh_token, refresh_token_expires_in: 90 * 86_400 };
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://standin");
    const shop = String(req.headers["x-shopify-shop-domain"] ?? "");
    const raw = await readRequestBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return sendJson(res, 400, { error: "invalid_request" });
    }

    if (req.method === "POST" && url.pathname === "/admin/oauth/access_token") {
      if (body.client_id !== options.apiKey || body.client_secret !== options.apiSecret) return sendJson(res, 401, { error: "invalid_client" });
      if (body.grant_type === "refresh_token") {
        const owner = refreshTokens.get(String(body.refresh_token));
        const ok = !refuseRefresh && owner === shop;
        tokenRequests.push({ shop, grant: "refresh_token", expiring: true, ok });
        if (!ok) return sendJson(res, 400, { error: "invalid_grant", error_description: "The refresh token is invalid or has been used." });
        refreshTokens.delete(String(body.refresh_token)); // rotated: the old one is dead now
        const answer: Record<string, unknown> = issue(shop, true, "refresh_token");
        if (omitExpiresIn) delete answer.expires_in;
        return sendJson(res, 200, answer);
      }
      if (body.grant_type === TOKEN_EXCHANGE && body.subject_token_type === OFFLINE_TOKEN) {
        const subject = accessTokens.get(String(body.subject_token));
        const ok = subject?.shop === shop && subject.expiresAt === null;
        tokenRequests.push({ shop, grant: "migrate", expiring: true, ok });
        if (!ok) return sendJson(res, 400, { error: "invalid_subject_token" });
        accessTokens.delete(String(body.subject_token));
        return sendJson(res, 200, issue(shop, true, "migrate"));
      }
      if (body.grant_type === TOKEN_EXCHANGE) {
        const expiring = body.expiring === "1";
        // The subject is App Bridge's session token: a JWT signed with the app's secret for this shop.
        const verified = await jwtVerify(String(body.subject_token), new TextEncoder().encode(options.apiSecret)).catch(() => null);
        const ok = verified?.payload.dest === `https://${shop}` && verified.payload.aud === options.apiKey;
        tokenRequests.push({ shop, grant: "token_exchange", expiring, ok });
        if (!ok) return sendJson(res, 400, { error: "invalid_subject_token" });
        return sendJson(res, 200, issue(shop, expiring, "token_exchange"));
      }
      return sendJson(res, 400, { error: "unsupported_grant_type" });
    }

    if (req.method === "POST" && /^\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) {
      const accessToken = String(req.headers["x-shopify-access-token"] ?? "");
      if (!isLive(accessToken) || accessTokens.get(accessToken)!.shop !== shop) {
        return sendJson(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
      }
      const query = String(body.query ?? "");
      const operationName = query.match(/^\s*(?:query|mutation)\s+(\w+)/m)?.[1] ?? null;
      const call = { shop, accessToken, operationName, query, variables: (body.variables as Record<string, unknown>) ?? {} };
      adminCalls.push(call);
      if (failing.count > 0) {
        failing.count--;
        return sendJson(res, failing.status, { errors: "Internal Server Error" });
      }
      const problems = options.validate?.(query, call.variables) ?? [];
      if (problems.length > 0) return sendJson(res, 200, { errors: problems.map((message) => ({ message })) });
      if (adminLatency) await new Promise((resolve) => setTimeout(resolve, adminLatency!()));
      const handler = operationName ? handlers.get(operationName) : undefined;
      if (!handler) return sendJson(res, 200, { errors: [{ message: `stand-in has no answer for ${operationName ?? "an unnamed operation"}` }] });
      return sendJson(res, 200, { data: await handler(call), extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 10 } } });
    }
    sendJson(res, 404, { errors: "Not Found" });
  });

  function isLive(accessToken: string): boolean {
    const token = accessTokens.get(accessToken);
    return Boolean(token && (token.expiresAt === null || token.expiresAt > Date.now()));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenRequests,
    adminCalls,
    answer: (operationName, respond) => void handlers.set(operationName, respond),
    setAccessTokenTtl: (seconds) => void (ttl = seconds),
    setOmitExpiresIn: (omit) => void (omitExpiresIn = omit),
    setRefuseRefresh: (refuse) => void (refuseRefresh = refuse),
    failAdminCalls: (count, status) => void (failing = { count, status }),
    setAdminLatency: (pick) => void (adminLatency = pick),
    isLive,
    adoptOfflineToken: (shop, accessToken) => void accessTokens.set(accessToken, { shop, expiresAt: null, grant: "token_exchange" }),
    grantOf: (accessToken) => accessTokens.get(accessToken)?.grant,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
