import { database } from "~/db.server";

/** Every table of this test's schema, and whether it has a `shop` column. */
async function tablesOfSchema(): Promise<{ table_name: string; has_shop: boolean }[]> {
  const { sql } = await database();
  return sql.query<{ table_name: string; has_shop: boolean }>(
    `SELECT t.table_name,
            EXISTS (SELECT 1 FROM information_schema.columns c
                    WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'shop') AS has_shop
     FROM information_schema.tables t
     WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
  );
}

/**
 * Every table (in this test's schema) with rows of `shop` that mention `needle` anywhere in
 * any column, with counts. Used to prove a redaction left nothing behind.
 */
export async function tablesMentioning(needle: string, shop: string): Promise<Record<string, number>> {
  const { sql } = await database();
  const tables = await tablesOfSchema();
  const found: Record<string, number> = {};
  for (const { table_name, has_shop } of tables) {
    const scope = has_shop ? "t.shop = $2" : table_name === "shop" ? "t.domain = $2" : "$2::text IS NOT NULL";
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE ${scope} AND row_to_json(t)::text LIKE $1`, [`%${needle}%`, shop]);
    if (row && row.n > 0) found[table_name] = row.n;
  }
  return found;
}

/**
 * Every row the database holds for `shop`, table by table (each table's rows as JSON text,
 * sorted): rows with a `shop` column, and the shop's own row. Compared before and after
 * something another shop did, it shows whether that reached this shop.
 */
export async function rowsOfShop(shop: string): Promise<Record<string, string[]>> {
  const { sql } = await database();
  const tables = await sql.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND (column_name = 'shop' OR (table_name = 'shop' AND column_name = 'domain'))`,
  );
  const rows: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const column = table_name === "shop" ? "domain" : "shop";
    const found = await sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t WHERE t.${column} = $1`, [shop]);
    rows[table_name] = found.map((r) => r.row).sort();
  }
  return rows;
}

/**
 * What shop/redact left of `shop`, table by table: the count of its rows in each table with a
 * `shop` column (and the shop table by domain), and a complaint for each table with no shop
 * column that `keptWithoutShop` doesn't list, so a new table can't be forgotten. Empty when
 * nothing is left.
 */
export async function shopRowsLeft(shop: string, keptWithoutShop: Record<string, string>): Promise<Record<string, number | string>> {
  const { sql } = await database();
  const tables = await tablesOfSchema();
  const left: Record<string, number | string> = {};
  for (const { table_name, has_shop } of tables) {
    const column = has_shop ? "shop" : table_name === "shop" ? "domain" : null;
    if (!column) {
      if (!Object.hasOwn(keptWithoutShop, table_name)) left[table_name] = "no shop column: erase it on shop/redact or list it as kept";
      continue;
    }
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE ${column} = $1`, [shop]);
    if (row!.n > 0) left[table_name] = row!.n;
  }
  return left;
}
