import { randomBytes } from "node:crypto";
import { createBenchDatabase } from "./bench-database";
import { appEnv, rssMb, sleep, spawnScript, stopChild, waitForLine } from "./child-process";
import { npmStart, runLoad, type LoadResult } from "./ingest";
import type { BenchSizes } from "./options";
import { BENCH_PIXEL_SHOP } from "./pixel-payloads";
import { figure, round, type Figure, type ScenarioReport } from "./results";
import { seedShopHistory } from "./seed-history";
import { createUuidHelper } from "./seed-outbox";

const SCENARIO = "collector";

/**
 * The web pixel's collector (POST /pixel/events, issue #18) on the production build, run as
 * `npm start` runs it, loaded by autocannon from another process with batches of Shopify's
 * standard events (two views and a cart add) of the seeded shop's logged-in customers: events/s
 * at saturation against the bare route on the same server, and p99 at a fixed rate.
 */
export async function benchCollector(sizes: BenchSizes["collector"]): Promise<ScenarioReport> {
  const started = Date.now();
  const notes: string[] = [];
  const db = createBenchDatabase("collector");
  const database = await db.open();
  await createUuidHelper(database.sql);
  await seedShopHistory(database.sql, { shoppers: sizes.shoppers, messages: 0, orders: 0 }, new Date(), BENCH_PIXEL_SHOP);
  // The pixel reports Shopify's numeric customer ids.
  await database.sql.query("UPDATE shopper SET customer_id = substr(customer_id, 2) WHERE shop = $1", [BENCH_PIXEL_SHOP]);
  await database.sql.exec("VACUUM ANALYZE");
  await database.close();

  const [entry, ...startFlags] = npmStart();
  const server = spawnScript(entry, [], appEnv(db, { PORT: "0", HOST: "127.0.0.1", NUDGE_BENCH_ROUTES: "1" }), startFlags);
  try {
    const port = (await waitForLine(server, /Nudge listening on http:\/\/localhost:(\d+)/, 120_000))[1]!;
    const url = `http://127.0.0.1:${port}`;
    await sleep(1000);
    const runId = randomBytes(3).toString("hex");
    const load = (path: string, phase: string, seconds: number, rate?: number): Promise<LoadResult> =>
      runLoad({ url, path, seconds, connections: sizes.connections, rate, secret: "unused", apiVersion: "unused", runId: `${runId}-${phase}`, payload: "pixel", shoppers: sizes.shoppers });

    await load("/bench/bare", "warm-bare", 1);
    await load("/pixel/events", "warm-collector", 2);
    const bareFixed = await load("/bench/bare", "bare-fixed", sizes.phaseSeconds, sizes.fixedRate);
    const collectorFixed = await load("/pixel/events", "collector-fixed", sizes.phaseSeconds, sizes.fixedRate);
    const bareMax = await load("/bench/bare", "bare-max", sizes.phaseSeconds);
    const collectorMax = await load("/pixel/events", "collector-max", sizes.phaseSeconds);
    const endRss = rssMb(server.child.pid!);
    for (const [name, r] of Object.entries({ bareFixed, collectorFixed, bareMax, collectorMax })) {
      if (r.non2xx || r.errors) notes.push(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors (${JSON.stringify(r.statusCodes)})`);
    }
    const EVENTS_PER_BATCH = 3;
    const bare = (value: number, unit: string) => ({ name: "bare route", value, unit });
    const figures: Figure[] = [
      figure(SCENARIO, "events/s at saturation", collectorMax.requestsPerSecond * EVENTS_PER_BATCH, "events/s", {
        reference: bare(bareMax.requestsPerSecond * EVENTS_PER_BATCH, "events/s"),
        note: `${EVENTS_PER_BATCH} events a batch, ${round(collectorMax.requestsPerSecond, 1)} batches/s, ${sizes.connections} connections`,
      }),
      figure(SCENARIO, "collector/bare throughput at saturation", collectorMax.requestsPerSecond, "req/s", {
        reference: bare(bareMax.requestsPerSecond, "req/s"),
        goal: "ratio ≥ 0.5",
        met: bareMax.requestsPerSecond > 0 ? collectorMax.requestsPerSecond / bareMax.requestsPerSecond >= 0.5 : null,
      }),
      figure(SCENARIO, `p99 at ${sizes.fixedRate} req/s`, collectorFixed.latency.p99, "ms", {
        reference: bare(bareFixed.latency.p99, "ms"),
        goal: "< 50 ms",
        met: collectorFixed.latency.p99 < 50,
        note: `achieved ${round(collectorFixed.requestsPerSecond, 1)} req/s (bare ${round(bareFixed.requestsPerSecond, 1)})`,
      }),
      figure(SCENARIO, `p50 at ${sizes.fixedRate} req/s`, collectorFixed.latency.p50, "ms", { reference: bare(bareFixed.latency.p50, "ms") }),
      figure("memory", "server RSS after the collector", endRss, "MB", { goal: "< 250 MB", met: endRss === null ? null : endRss < 250 }),
    ];
    await stopChild(server);
    const check = await db.open();
    const [stored] = await check.sql.query<{ visitors: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM storefront_visitor) AS visitors, (SELECT count(*)::int FROM journey_event WHERE type IN ('product_viewed', 'cart_item_added')) AS events`,
    );
    await check.close();
    notes.push(`stored ${stored?.visitors} visitor ties and ${stored?.events} storefront journey events`);
    notes.push("the seeded shoppers have no consent in their journey state: the journey runs and records, and plans no text");
    return { scenario: SCENARIO, figures, notes, seconds: round((Date.now() - started) / 1000, 1) };
  } finally {
    await stopChild(server);
    await db.drop();
  }
}
