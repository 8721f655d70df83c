import { database } from "~/db.server";

/**
 * Every table (in this test's schema) with rows of `shop` that mention `needle` anywhere in
 * any column, with counts. Used to prove a redaction left nothing behind.
 */
export async function tablesMentioning(needle: string, shop: string): Promise<Record<string, number>> {
  const { sql } = await database();
  const tables = await sql.query<{ table_name: string; has_shop: boolean }>(
    `SELECT t.table_name,
            EXISTS (SELECT 1 FROM information_schema.columns c
                    WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'shop') AS has_shop
     FROM information_schema.tables t
     WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
  );
  const found: Record<string, number> = {};
  for (const { table_name, has_shop } of tables) {
    const scope = has_shop ? "t.shop = $2" : table_name === "shop" ? "t.domain = $2" : "$2::text IS NOT NULL";
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE ${scope} AND row_to_json(t)::text LIKE $1`, [
      `%${needle}%`,
      shop,
    ]);
    if (row && row.n > 0) found[table_name] = row.n;
  }
  return found;
}
