// The ingest benchmark's load generator, in its own process so it doesn't share the
// server's event loop, posting signed, distinct checkouts/update webhooks, or the web pixel's
// batches (collector scenario): at a steady rate with paced-load.ts, or as fast as the server
// answers with autocannon (https://github.com/mcollina/autocannon). Usage: ingest-load.ts
// '<json options>'; prints a JSON summary.
import autocannon from "autocannon";
import { pacedLoad } from "./paced-load";
import { p99ByTenth, percentile } from "./results";
import { pixelBatches } from "./pixel-payloads";
import { checkoutWebhooks } from "./webhook-payloads";

interface LoadOptions {
  url: string;
  path: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections, spread evenly (paced-load.ts); absent: as fast as the server answers. */
  rate?: number;
  secret: string;
  apiVersion: string;
  runId: string;
  /** What the load posts: signed checkouts/update webhooks (default) or pixel batches. */
  payload?: "checkouts" | "pixel";
  /** For pixel batches: how many seeded customers they cycle through. */
  shoppers?: number;
}

async function main() {
  const options = JSON.parse(process.argv[2]!) as LoadOptions;
  const next = options.payload === "pixel" ? pixelBatches({ runId: options.runId, shoppers: options.shoppers ?? 1 }) : checkoutWebhooks(options);
  if (options.rate) return paced(options, options.rate, next);
  let n = 0;
  const started = performance.now();
  const timed: { at: number; ms: number }[] = []; // each response: when it ended, how long it took
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        requests: [
          {
            method: "POST",
            path: options.path,
            setupRequest: (request: autocannon.Request) => {
              const { body, headers } = next(n++);
              return { ...request, body, headers };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance!.on("response", (_client, _status, _bytes, responseTime: number) => timed.push({ at: performance.now() - started, ms: responseTime }));
  const result = await finished;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, Number((stat as { count: number | string }).count)]));
  const { p50, p99, max } = result.latency;
  printSummary({ statusCodes, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, latency: { p50, p99, max }, timed, seconds: result.duration }, options);
}

async function paced(options: LoadOptions, rate: number, next: (n: number) => { body: string; headers: Record<string, string> }) {
  const run = await pacedLoad({ url: options.url, path: options.path, seconds: options.seconds, rate, connections: options.connections, next });
  const ms = run.timed.map((t) => t.ms);
  const at = (p: number) => Math.round(percentile(ms, p) ?? 0);
  const non2xx = Object.entries(run.statusCodes).reduce((sum, [code, count]) => sum + (code.startsWith("2") ? 0 : count), 0);
  printSummary(
    {
      statusCodes: run.statusCodes,
      non2xx,
      errors: run.errors,
      timeouts: 0,
      latency: { p50: at(50), p99: at(99), max: at(100) },
      timed: run.timed,
      seconds: run.seconds,
    },
    options,
  );
}

/** The one JSON line the bench reads (LoadResult in ingest.ts), whichever way the load was made. */
function printSummary(
  run: {
    statusCodes: Record<string, number>;
    non2xx: number;
    errors: number;
    timeouts: number;
    latency: { p50: number; p99: number; max: number };
    timed: { at: number; ms: number }[];
    seconds: number;
  },
  options: LoadOptions,
) {
  const ok = Object.entries(run.statusCodes)
    .filter(([code]) => code.startsWith("2"))
    .reduce((sum, [, count]) => sum + count, 0);
  const { timed, ...rest } = run;
  console.log(JSON.stringify({ requestsPerSecond: ok / run.seconds, ok, ...rest, p99ByTenth: p99ByTenth(timed, options.seconds * 1000) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
