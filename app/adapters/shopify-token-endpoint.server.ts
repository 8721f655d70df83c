import { abstractFetch } from "@shopify/shopify-api/runtime";
import { z } from "zod";
import { env } from "../env.server";

/**
 * Shopify's OAuth token endpoint, POST https://<shop>/admin/oauth/access_token, for the two
 * grants background work needs: refreshing an expiring offline token (grant_type=refresh_token)
 * and migrating a non-expiring one (token exchange with the old token as subject, expiring=1).
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens
 *
 * We make these calls ourselves rather than through api.auth.refreshToken, so that an answer
 * without expires_in gets a short lifetime instead of none (the library then stores a session
 * that never looks expired and never refreshes again: shopify-app-js issue #3400), and so a
 * refusal is told apart from an outage. They go through the libraries' shared fetch, so
 * SHOPIFY_API_ORIGIN and the tests' stand-ins see them like every other Shopify call.
 */
const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  scope: z.string().optional(),
  expires_in: z.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().positive().optional(),
});
export type TokenAnswer = z.infer<typeof TokenAnswerSchema>;

export type TokenGrant = { kind: "refresh"; refreshToken: string } | { kind: "migrate"; accessToken: string };

export type TokenResult =
  | { ok: true; answer: TokenAnswer }
  /** Shopify said no to this grant (revoked, rotated away, uninstalled): only the merchant can fix it. */
  | { ok: false; refused: true; message: string }
  /** No usable answer (network, 429, 5xx, an app-wide credential problem): try again later. */
  | { ok: false; refused: false; message: string };

const OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token";

export async function requestOfflineToken(shop: string, grant: TokenGrant): Promise<TokenResult> {
  const { SHOPIFY_API_KEY, SHOPIFY_API_SECRET } = env();
  const body =
    grant.kind === "refresh"
      ? { client_id: SHOPIFY_API_KEY, client_secret: SHOPIFY_API_SECRET, grant_type: "refresh_token", refresh_token: grant.refreshToken }
      : {
          client_id: SHOPIFY_API_KEY,
          client_secret: SHOPIFY_API_SECRET,
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: grant.accessToken,
          subject_token_type: OFFLINE_TOKEN,
          requested_token_type: OFFLINE_TOKEN,
          expiring: "1",
        };
  let response: Response;
  try {
    response = await abstractFetch(`https://${shop}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return { ok: false, refused: false, message: `token endpoint unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
  const text = await response.text().catch(() => "");
  const json = parseJson(text);
  if (response.ok) {
    const answer = TokenAnswerSchema.safeParse(json);
    return answer.success ? { ok: true, answer: answer.data } : { ok: false, refused: false, message: "token endpoint answered without an access token" };
  }
  const error = typeof json === "object" && json && "error" in json ? String((json as { error: unknown }).error) : "";
  const message = `token endpoint answered ${response.status}${error ? ` ${error}` : ""}`;
  // 400/401 name this grant as bad (invalid_grant, invalid_subject_token, ...). invalid_client
  // is our own key or secret, wrong for every shop alike: not the merchant's to fix.
  const refused = (response.status === 400 || response.status === 401 || response.status === 403) && error !== "invalid_client";
  return { ok: false, refused, message };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
