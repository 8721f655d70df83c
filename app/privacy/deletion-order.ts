/** A table that holds rows of a shop, and the column naming the shop. */
export interface ShopTable {
  table: string;
  column: string;
}

/** A foreign key: rows of `child` point at rows of `parent`. */
export interface TableReference {
  child: string;
  parent: string;
}

/**
 * The order to delete a shop's rows in: every table after the tables whose rows point at it,
 * so no foreign key is left dangling mid-way. References to or from tables outside `tables`
 * and self-references don't constrain the order. A cycle can't be deleted table by table and
 * is a schema bug, so it throws.
 */
export function deletionOrder(tables: readonly ShopTable[], references: readonly TableReference[]): ShopTable[] {
  const names = new Set(tables.map((t) => t.table));
  const relevant = references.filter((r) => r.child !== r.parent && names.has(r.child) && names.has(r.parent));
  const ordered: ShopTable[] = [];
  const pending = [...tables].sort((a, b) => a.table.localeCompare(b.table));
  while (pending.length > 0) {
    const left = new Set(pending.map((t) => t.table));
    // Free to delete: nothing still pending points at it.
    const free = pending.filter((t) => !relevant.some((r) => r.parent === t.table && left.has(r.child)));
    if (free.length === 0) throw new Error(`Foreign keys form a cycle among ${[...left].join(", ")}; erase them in one statement instead`);
    ordered.push(...free);
    for (const t of free) pending.splice(pending.indexOf(t), 1);
  }
  return ordered;
}
