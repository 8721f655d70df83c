import { env } from "~/env.server";

// The ingest benchmark's reference (scripts/bench/ingest.ts): the same server, router and
// Express stack as /webhooks/checkouts/update, with no work at all. Answers 404 unless
// NUDGE_BENCH_ROUTES=1, so it is not part of the app anyone deploys.
function bare(): Response {
  return env().NUDGE_BENCH_ROUTES ? new Response(null, { status: 200 }) : new Response("Not found", { status: 404 });
}

export const action = bare;
export const loader = bare;
