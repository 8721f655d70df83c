import { benchBare } from "~/lib/bench-bare.server";

// The ingest benchmark's reference: served as /webhooks/checkouts/update is (the production
// server calls webhook routes' actions directly, scripts/lib/webhook-actions.ts), with no work.
export const action = benchBare;
