import type { SqlDriver } from "../../app/db/sql-driver.server";
import { mintSessionToken } from "../../app/demo/session-token.server";
import type { ShopifyStandin } from "../../tests/support/shopify-standin";
import { BENCH_API_KEY, BENCH_SECRET } from "./child-process";
import { shopDomain } from "./seed-outbox";

/**
 * Installs the first `shops` bench shops at the stand-in Shopify as production does (a token
 * exchange for an expiring offline token, ADR 013) and stores each as the shop's offline
 * session, so the dispatcher's discount minter reaches the stand-in through the real client.
 * The tokens live an hour: longer than a run, so no worker renews one mid-measurement.
 */
export async function installBenchShops(sql: SqlDriver, standin: ShopifyStandin, shops: number, scope: string): Promise<void> {
  for (let i = 1; i <= shops; i++) {
    const shop = shopDomain(i);
    const response = await fetch(`${standin.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-shop-domain": shop },
      body: JSON.stringify({
        client_id: BENCH_API_KEY,
        client_secret: BENCH_SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: await mintSessionToken({ shop, apiKey: BENCH_API_KEY, apiSecret: BENCH_SECRET }),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
      }),
    });
    if (!response.ok) throw new Error(`the stand-in Shopify refused the bench's token exchange for ${shop}: ${response.status} ${await response.text()}`);
    const token = (await response.json()) as { access_token: string; expires_in: number; refresh_token: string; refresh_token_expires_in: number };
    await sql.query(
      `INSERT INTO session (id, shop, state, is_online, scope, expires, access_token, refresh_token, refresh_token_expires)
       VALUES ($1, $2, '', false, $3, $4, $5, $6, $7)`,
      [`offline_${shop}`, shop, scope, new Date(Date.now() + token.expires_in * 1000), token.access_token, token.refresh_token, new Date(Date.now() + token.refresh_token_expires_in * 1000)],
    );
  }
}
