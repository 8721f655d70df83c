import type { SqlDriver } from "../db/sql-driver.server";

export interface DataExportSummary {
  id: string;
  requestId: string | null;
  requestedAt: Date;
}

export interface DataExportFile {
  fileName: string;
  body: string;
}

/** The customers/data_request exports that cover this shopper, newest first. */
export async function listShopperExports(sql: SqlDriver, shop: string, shopperId: string): Promise<DataExportSummary[]> {
  return sql.query<DataExportSummary>(
    `SELECT id, request_id AS "requestId", requested_at AS "requestedAt" FROM data_export
     WHERE shop = $1 AND payload->'shoppers' @> jsonb_build_array(jsonb_build_object('id', $2::text))
     ORDER BY requested_at DESC`,
    [shop, shopperId],
  );
}

/**
 * One export as the file the merchant hands to the customer: the request as Shopify sent it
 * and everything we held about the customer when it came. Null for another shop's export.
 * Shopify leaves delivering it to the merchant
 * (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance#customers-data_request).
 */
export async function readDataExportFile(sql: SqlDriver, shop: string, id: string): Promise<DataExportFile | null> {
  const [row] = await sql.query<{ request_id: string | null; requested_at: Date; customer: unknown; payload: unknown }>(
    "SELECT request_id, requested_at, customer, payload FROM data_export WHERE shop = $1 AND id = $2::uuid",
    [shop, id],
  );
  if (!row) return null;
  const file = { shop, dataRequestId: row.request_id, requestedAt: row.requested_at, customer: row.customer, data: row.payload };
  // The shopper's page names the file the same way.
  const name = `customer-data-${row.request_id?.replace(/[^0-9A-Za-z_-]/g, "") || id}.json`;
  return { fileName: name, body: JSON.stringify(file, null, 2) };
}
