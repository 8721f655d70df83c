import { env } from "~/env.server";

// The ingest benchmark's memory breakdown (scripts/bench/ingest.ts): where the server's RSS
// is, from Node's own accounting (https://nodejs.org/api/process.html#processmemoryusage).
// Answers 404 unless NUDGE_BENCH_ROUTES=1, like /bench/bare.
export function loader(): Response {
  if (!env().NUDGE_BENCH_ROUTES) return new Response("Not found", { status: 404 });
  return Response.json(process.memoryUsage());
}
