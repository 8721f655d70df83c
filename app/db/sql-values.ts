/**
 * Builds "($1, $2), ($3, $4)" and the flat parameter list for a multi-row INSERT, so a batch
 * of rows costs one round trip.
 */
export function valuesList(rows: unknown[][], casts: string[] = []): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value, i) => {
      params.push(value);
      return `$${params.length}${casts[i] ?? ""}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  return { sql: tuples.join(", "), params };
}
