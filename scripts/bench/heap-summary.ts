// Compares two V8 heap snapshots (the ingest scenario's NUDGE_BENCH_HEAP=1 writes them):
// bytes and counts by node type and constructor, largest growth first.
// Usage: tsx scripts/bench/heap-summary.ts <before.heapsnapshot> <after.heapsnapshot> [rows]
// The format: https://v8.dev/docs/heap-snapshot-format (flat node arrays described by
// snapshot.meta.node_fields; names are indexes into the strings table).
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Totals = Map<string, { bytes: number; count: number }>;

export function totalsByKind(snapshot: Snapshot): Totals {
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const types = snapshot.snapshot.meta.node_types[0];
  const totals: Totals = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    // Objects by constructor; strings, code and arrays by type alone (their names are contents).
    const key = type === "object" || type === "closure" ? `${type} ${snapshot.strings[snapshot.nodes[i + nameAt]!]}` : type;
    const entry = totals.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    entry.count += 1;
    totals.set(key, entry);
  }
  return totals;
}

function main() {
  const [beforePath, afterPath, rows = "25"] = process.argv.slice(2);
  if (!beforePath || !afterPath) throw new Error("usage: heap-summary.ts <before> <after> [rows]");
  const [before, after] = [beforePath, afterPath].map((path) => totalsByKind(JSON.parse(readFileSync(path, "utf8")) as Snapshot));
  const sum = (t: Totals) => [...t.values()].reduce((s, e) => s + e.bytes, 0);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  console.log(`heap: ${mb(sum(before!))} MB -> ${mb(sum(after!))} MB`);
  const keys = new Set([...before!.keys(), ...after!.keys()]);
  const growth = [...keys].map((key) => {
    const b = before!.get(key) ?? { bytes: 0, count: 0 };
    const a = after!.get(key) ?? { bytes: 0, count: 0 };
    return { key, delta: a.bytes - b.bytes, after: a.bytes, countDelta: a.count - b.count };
  });
  growth.sort((x, y) => y.delta - x.delta);
  for (const g of growth.slice(0, Number(rows))) console.log(`${mb(g.delta).padStart(8)} MB  ${mb(g.after).padStart(8)} MB  ${String(g.countDelta).padStart(8)}  ${g.key}`);
}

if (process.argv[1]?.endsWith("heap-summary.ts")) main();
