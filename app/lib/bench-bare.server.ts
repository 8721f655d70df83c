import { env } from "../env.server";

/**
 * The benchmark's no-work answer (scripts/bench/ingest.ts, collector.ts): 200 when
 * NUDGE_BENCH_ROUTES=1, else 404, so the routes that give it are not part of the app anyone
 * deploys. Served at /bench/bare through Remix's pipeline, as the pixel collector is, and at
 * /bench/webhook-bare the way the production server serves webhook routes (ADR 024).
 */
export function benchBare(): Response {
  return env().NUDGE_BENCH_ROUTES ? new Response(null, { status: 200 }) : new Response("Not found", { status: 404 });
}
