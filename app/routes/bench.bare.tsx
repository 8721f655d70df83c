import { benchBare } from "~/lib/bench-bare.server";

// The collector benchmark's reference: the same server, router and Express stack as
// /pixel/events, with no work at all (app/lib/bench-bare.server.ts).
export const action = benchBare;
export const loader = benchBare;
