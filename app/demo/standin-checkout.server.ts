import type { SqlDriver } from "../db/sql-driver.server";
import type { StandInCheckout } from "./pages/storefront-page";
import { DEMO_SHOP } from "./session-token.server";

/** The demo shop's checkout with this token (and the percent of the code applied), for the stand-in page. */
export async function findStandInCheckout(sql: SqlDriver, token: string, code: string | null): Promise<{ checkout: StandInCheckout | null; percent: number | null }> {
  const [row] = await sql.query<{ line_items: Array<{ title?: string; quantity?: number; price?: string }> | null; total_price: string | null; currency: string | null }>(
    "SELECT line_items, total_price::text AS total_price, COALESCE(presentment_currency, currency) AS currency FROM checkout WHERE shop = $1 AND token = $2",
    [DEMO_SHOP, token],
  );
  const [discount] = code ? await sql.query<{ percent: number }>("SELECT percent FROM discount_code WHERE shop = $1 AND code = $2", [DEMO_SHOP, code]) : [];
  const checkout = row
    ? {
        lines: (row.line_items ?? []).map((l) => ({ title: l.title ?? "Item", quantity: l.quantity ?? 1, price: l.price ?? "" })),
        total: row.total_price ?? "0",
        currency: row.currency ?? "USD",
      }
    : null;
  return { checkout, percent: discount?.percent ?? null };
}
