import type { SqlDriver } from "../db/sql-driver.server";

export interface OrderImportProgress {
  state: "importing" | "waiting";
  imported: number;
  /** From ordersCount when the export started; null until then. */
  expected: number | null;
  /** Why it waits, in the merchant's terms (null while it runs). */
  waitingFor: "reauth" | "shopify" | null;
}

/** The shop's order-history import while it is under way, for the dashboard; null when done or never queued. */
export async function readOrderImportProgress(sql: SqlDriver, shop: string): Promise<OrderImportProgress | null> {
  const [row] = await sql.query<{ status: string; orders_imported: number; orders_expected: number | null; last_error: string | null }>(
    `SELECT status, orders_imported, orders_expected, last_error FROM order_import WHERE shop = $1 AND status IN ('pending', 'running', 'waiting')`,
    [shop],
  );
  if (!row) return null;
  const waiting = row.status === "waiting";
  const reauth = waiting && /^(needs_reauth|no_session):/.test(row.last_error ?? "");
  return {
    state: waiting ? "waiting" : "importing",
    imported: row.orders_imported,
    expected: row.orders_expected,
    waitingFor: waiting ? (reauth ? "reauth" : "shopify") : null,
  };
}
