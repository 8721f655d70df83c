/**
 * Builds "($1, $2), ($3, $4)" and the flat parameter list for a multi-row INSERT, so a batch
 * of rows costs one round trip. `literals` is SQL appended to every row, such as ", now()".
 */
export function valuesList(rows: unknown[][], casts: string[] = [], literals = ""): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value, i) => {
      params.push(value);
      return `$${params.length}${casts[i] ?? ""}`;
    });
    return `(${placeholders.join(", ")}${literals})`;
  });
  return { sql: tuples.join(", "), params };
}

/** One SQL statement and its parameters ($1 … $n). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Runs several writes as one statement, so they cost one round trip instead of one each: all
 * but the last become data-modifying CTEs (`WITH w0 AS (…), w1 AS (…) <last>`), and the
 * statement returns what the last one returns. Each statement's $n are renumbered after the
 * previous ones' parameters. PostgreSQL runs CTE sub-statements on one snapshot and in no set
 * order (https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING), so
 * the writes must be independent: no two may touch the same table, and none may read another's
 * result. Placeholders must not appear inside string literals (ours never do).
 */
export function combineWrites(statements: Statement[]): Statement {
  if (statements.length === 1) return statements[0]!;
  const params: unknown[] = [];
  const parts = statements.map((statement) => {
    const offset = params.length;
    params.push(...statement.params);
    return offset === 0 ? statement.sql : statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = parts.pop()!;
  return { sql: `WITH ${parts.map((sql, i) => `w${i} AS (${sql})`).join(",\n")}\n${last}`, params };
}
