import type { SqlTx } from "../db/sql-driver.server";
import { deletionOrder, type ShopTable, type TableReference } from "./deletion-order";

/**
 * Every table of the app's schema that holds rows of a shop, read from the catalog rather than
 * kept by hand (a hand-kept list once missed discount codes, short links and attributions):
 * each table with a `shop` column, and the shop table itself, keyed by `domain`.
 * tests/security/privacy.test.ts fails for any table that fits neither shape.
 */
async function readShopTables(tx: SqlTx): Promise<ShopTable[]> {
  return tx.query<ShopTable>(
    `SELECT c.table_name AS "table", c.column_name AS "column"
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema()
       AND (c.column_name = 'shop' OR (c.table_name = 'shop' AND c.column_name = 'domain'))`,
  );
}

/** The foreign keys between tables of the app's schema (pg_catalog: PGlite has it too). */
async function readTableReferences(tx: SqlTx): Promise<TableReference[]> {
  return tx.query<TableReference>(
    `SELECT child.relname AS child, parent.relname AS parent
     FROM pg_constraint f
     JOIN pg_class child ON child.oid = f.conrelid
     JOIN pg_class parent ON parent.oid = f.confrelid
     JOIN pg_namespace n ON n.oid = child.relnamespace
     WHERE f.contype = 'f' AND n.nspname = current_schema()`,
  );
}

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * shop/redact: deletes every row of the shop from every table that holds one, rows that
 * point at others first. The webhook receipts go too, this shop/redact's own included; see
 * docs/decisions/016-privacy-erasure.md for why no dedupe ledger is kept for an erased shop.
 * Returns the rows deleted per table.
 */
export async function eraseShop(tx: SqlTx, shop: string): Promise<Record<string, number>> {
  const order = deletionOrder(await readShopTables(tx), await readTableReferences(tx));
  const deleted: Record<string, number> = {};
  // One statement per table (a dozen), each set-based over the shop's rows.
  for (const { table, column } of order) {
    const [row] = await tx.query<{ n: number }>(`WITH gone AS (DELETE FROM ${quoted(table)} WHERE ${quoted(column)} = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`, [shop]);
    deleted[table] = row!.n;
  }
  return deleted;
}
