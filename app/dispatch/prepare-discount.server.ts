import type { DiscountMinter } from "../adapters/shopify-discounts.server";
import type { SqlTx } from "../db/sql-driver.server";
import type { Flow } from "../journey";
import { generateDiscountCode } from "../offers/discount-code";
import type { ClaimedMessage } from "./claim.server";

export type PreparedDiscount = { code: string; percent: number } | { unavailable: string };

const TITLES: Record<Flow, string> = {
  welcome: "Nudge welcome",
  browse_abandonment: "Nudge browse",
  cart_abandonment: "Nudge cart",
  cart_recovery: "Nudge cart recovery",
  post_purchase: "Nudge next order",
  win_back: "Nudge win-back",
  confirm_optin: "Nudge",
};

/**
 * The message's code: the one already minted for it (so a retried send reuses it), or a new
 * single-use code created at Shopify now and recorded. Never a code Shopify doesn't know.
 */
export async function prepareDiscount(
  tx: SqlTx,
  message: ClaimedMessage & { discount: NonNullable<ClaimedMessage["discount"]> },
  mint: DiscountMinter,
  now: Date,
): Promise<PreparedDiscount> {
  const [existing] = await tx.query<{ code: string; percent: number; shopify_id: string | null }>(
    "SELECT code, percent, shopify_id FROM discount_code WHERE message_id = $1",
    [message.id],
  );
  if (existing?.shopify_id) return { code: existing.code, percent: existing.percent };

  const code = existing?.code ?? generateDiscountCode();
  const endsAt = new Date(now.getTime() + message.discount.expiresInHours * 3_600_000);
  // The code is recorded (without a Shopify id) before Shopify is asked, and kept when Shopify
  // throttles or the answer is lost: the retry asks for the same code, and finding it TAKEN
  // counts as success, so no stray codes pile up at Shopify.
  if (!existing) {
    await tx.query(
      `INSERT INTO discount_code (shop, message_id, shopper_id, code, percent, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [message.shop, message.id, message.shopper_id, code, message.discount.percent, now, endsAt],
    );
  }
  const result = await mint({ shop: message.shop, code, percent: message.discount.percent, startsAt: now, endsAt, title: `${TITLES[message.flow]} ${code}` });
  if (!result.ok) return { unavailable: result.needsReauth ? "shop_needs_reauth" : result.retryable ? "discount_unavailable" : "discount_refused" };
  await tx.query(`UPDATE discount_code SET shopify_id = $2, starts_at = $3, ends_at = $4 WHERE message_id = $1`, [message.id, result.id ?? "unknown", now, endsAt]);
  return { code, percent: message.discount.percent };
}
