import { env } from "../env.server";

/** Demo-only routes answer 404 unless the app was started by `npm run demo`. */
export function requireDemo(): void {
  if (!env().NUDGE_DEMO) throw new Response("Not found", { status: 404 });
}
