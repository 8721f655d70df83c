import type { SqlTx } from "../db/sql-driver.server";
import type { Check } from "./doctor.server";

/**
 * The doctor's "usage charges" check (docs/decisions/023-billing.md): texts sent on the app's
 * Twilio account whose charge Shopify has not taken. Parked charges (given up, or refused by
 * Shopify) fail the check: those texts went out unbilled. Charges being retried, and charges held
 * at a shop's spending cap (owed once the merchant raises it or the period renews), only warn.
 */
export async function usageChargesCheck(sql: SqlTx): Promise<Check> {
  const [counts] = await sql.query<{ failed: number; retrying: number; held: number }>(
    `SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'pending' AND attempts > 0)::int AS retrying,
            count(*) FILTER (WHERE status = 'held')::int AS held
     FROM usage_charge`,
  );
  const { failed, retrying, held } = counts!;
  if (failed + retrying + held === 0) return { name: "usage charges", status: "ok", detail: "every text sent on the app's account is charged or on its way" };
  const [latest] = await sql.query<{ shop: string; last_error: string | null }>(
    `SELECT shop, last_error FROM usage_charge WHERE last_error IS NOT NULL AND status <> 'charged' ORDER BY (status = 'failed') DESC, updated_at DESC LIMIT 1`,
  );
  const parts = [
    failed ? `${failed} charges parked after failing (those texts are unbilled)` : "",
    retrying ? `${retrying} being retried` : "",
    held ? `${held} held at a shop's spending cap` : "",
    latest ? `latest error (${latest.shop}): ${latest.last_error}` : "",
  ].filter(Boolean);
  return { name: "usage charges", status: failed > 0 ? "fail" : "warn", detail: parts.join("; ") };
}
