import { randomUUID } from "node:crypto";
import type { SqlTx } from "../db/sql-driver.server";

/**
 * A token's stand-in: 'redacted-' and an MD5 of the token salted with a value drawn for this
 * redaction and never stored, so the same token gets the same stand-in in every table (the
 * holdout lift still joins a text to its checkout and its orders) but nothing can lead back
 * to it. NULL and stand-ins stay as they are. $3 is the salt.
 */
const standIn = (column: string) => `CASE WHEN ${column} IS NULL OR ${column} LIKE 'redacted-%' THEN ${column} ELSE 'redacted-' || md5($3 || ${column}) END`;

/**
 * customers/redact: replaces the checkout and cart tokens of the shoppers' checkouts wherever
 * they are kept (checkouts, their orders, the texts about them and the texts' dedupe keys).
 * A token names the checkout in Shopify's recovery URL, so it is the shopper's as much as the
 * URL's key is. Orders and texts go first: they find the checkouts by the original tokens.
 */
export async function forgetCheckoutTokens(tx: SqlTx, shop: string, shopperIds: string[]): Promise<void> {
  const scope = [shop, shopperIds, randomUUID()];
  await tx.query(
    `UPDATE "order" o SET checkout_token = ${standIn("o.checkout_token")}, cart_token = ${standIn("o.cart_token")}
     WHERE o.shop = $1 AND (o.shopper_id = ANY($2::uuid[])
       OR o.checkout_token IN (SELECT token FROM checkout WHERE shop = $1 AND shopper_id = ANY($2::uuid[]))
       OR o.cart_token IN (SELECT cart_token FROM checkout WHERE shop = $1 AND shopper_id = ANY($2::uuid[])))`,
    scope,
  );
  // Cart texts are keyed cart:<token>:<step> (app/journey/plan.ts).
  await tx.query(
    `UPDATE scheduled_message SET checkout_token = ${standIn("checkout_token")},
       dedupe_key = CASE WHEN checkout_token IS NULL THEN dedupe_key ELSE replace(dedupe_key, checkout_token, ${standIn("checkout_token")}) END
     WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`,
    scope,
  );
  await tx.query(
    `UPDATE checkout SET token = ${standIn("token")}, cart_token = ${standIn("cart_token")}
     WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`,
    scope,
  );
}
