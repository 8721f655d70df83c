import { warmPhoneGeo } from "../adapters/phone-geo.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { readShopSettings } from "../services/shops.server";
import { claimDueMessages } from "./claim.server";
import { lockSendContexts, readSendHistory } from "./load-send-context.server";
import { writeRowUpdates } from "./record-results.server";

/** Matches no scheduled_message (ids are gen_random_uuid(), never the nil UUID). */
const NO_MESSAGE = "00000000-0000-0000-0000-000000000000";

/**
 * Runs a tick's statements once before the dispatcher reports ready, with inputs that match no
 * row: a claim of nothing, and a chunk's transaction (contexts, history, results) on each of
 * `chunks` connections at once. Each connection then has the chunk's statements prepared
 * (node-postgres prepares a named statement on its first use per connection, sql-driver.server.ts)
 * and its backend has read the tables' catalog entries, and the process has run the code once
 * and parsed the numbering data the guards read (phone-geo.server.ts), so the first due texts
 * don't pay for any of it (ADR 011, amendments of 7 Dec 2026). Locks nothing and changes nothing.
 */
export async function warmSendPath(sql: SqlDriver, options: { chunks: number; now: Date; workerId: string }): Promise<void> {
  const statements = async () => {
    await claimDueMessages(sql, { now: options.now, limit: 0, workerId: options.workerId });
    const settings = readShopSettings("", {});
    await Promise.all(
      Array.from({ length: options.chunks }, () =>
        sql.transaction(async (tx) => {
          await lockSendContexts(tx, "", []);
          await readSendHistory(tx, "", [], options.now, settings, 0);
          await writeRowUpdates(tx, [{ id: NO_MESSAGE, status: "sent", reason: null }]);
        }),
      ),
    );
  };
  await Promise.all([warmPhoneGeo(), statements()]);
}
