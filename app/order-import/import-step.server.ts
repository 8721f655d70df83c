import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { AdminApiResult } from "../adapters/shopify-admin.server";
import { countOrdersSince, readExport, startOrderExport } from "../adapters/shopify-order-history.server";
import type { SqlDriver } from "../db/sql-driver.server";
import type { JourneySettings } from "../journey";
import { log } from "../lib/log.server";
import { importedOrder, parseExportLine, type ImportedOrder } from "./bulk-order";
import type { ClaimedImport } from "./claim.server";
import { storeImportedOrders } from "./store-orders.server";

export interface ImportStepDeps {
  sql: SqlDriver;
  adminFor: (shop: string) => Promise<AdminApiResult>;
  /** The shop's journey settings, or null when the shop is gone (redacted). */
  settingsFor: (shop: string) => Promise<JourneySettings | null>;
  now: () => Date;
  workerId: string;
  /** Export lines stored per transaction (and per lines_done checkpoint). */
  batchSize: number;
  /** A download that delivers nothing for this long is dropped and resumed later (default 60 s). */
  downloadIdleMs?: number;
  /** True once the process is shutting down: the download pauses after the current batch. */
  stopping?: () => boolean;
}

/** The claim was lost (lease taken over, or the app uninstalled): stop without touching the row. */
class ClaimLost extends Error {}

/**
 * Moves one claimed import on as far as it can go now: starts Shopify's export, asks whether it
 * has finished, or streams its JSONL into the database from the last committed line. Every
 * step ends by releasing the claim; a failure is stored on the row (last_error) and retried.
 */
export async function advanceOrderImport(deps: ImportStepDeps, job: ClaimedImport): Promise<string> {
  try {
    return await advance(deps, job);
  } catch (error) {
    if (error instanceof ClaimLost) return "claim_lost";
    log.warn("order history import step failed", { shop: job.shop, error });
    try {
      await release(deps, job, { status: "waiting", error: error instanceof Error ? error.message : String(error) });
    } catch (failed) {
      if (!(failed instanceof ClaimLost)) throw failed;
    }
    return "failed_will_retry";
  }
}

async function advance(deps: ImportStepDeps, job: ClaimedImport): Promise<string> {
  const settings = await deps.settingsFor(job.shop);
  if (!settings) return (await release(deps, job, { status: "stopped" }), "stopped:no_shop");
  const access = await deps.adminFor(job.shop);
  if (!access.ok) {
    // needs_reauth, no_session or unavailable: the import waits (with backoff) for the shop's
    // access to come back; it is never failed for good because of it.
    await release(deps, job, { status: "waiting", error: `${access.reason}: ${access.message}` });
    return `waiting:${access.reason}`;
  }
  const { admin } = access;

  if (!job.bulk_operation_id) {
    const expected = await countOrdersSince(admin, job.since);
    const started = await startOrderExport(admin, job.since);
    if (!started.ok) return (await release(deps, job, { status: "waiting", error: started.message }), "waiting:export_refused");
    await update(deps, job, `status = 'running', bulk_operation_id = $4, orders_expected = $5, attempts = 0, last_error = NULL`, [started.id, expected]);
    return "export_started";
  }

  let url = job.result_url;
  if (!url) {
    const operation = await readExport(admin, job.bulk_operation_id);
    if (!operation || ["CANCELED", "EXPIRED", "FAILED"].includes(operation.status)) {
      // A fresh export next time: Shopify only keeps a finished export's file for a week.
      const error = `export ${operation?.status ?? "not found"}${operation?.errorCode ? ` (${operation.errorCode})` : ""}`;
      await update(deps, job, `bulk_operation_id = NULL, result_url = NULL, lines_done = 0`, [], { status: "waiting", error });
      return "export_lost";
    }
    if (operation.status !== "COMPLETED") return (await update(deps, job, "attempts = 0", [], { status: "running" }), "export_running");
    if (!operation.url) return (await finish(deps, job), "done:no_orders");
    url = operation.url;
    await deps.sql.query(`UPDATE order_import SET result_url = $3, attempts = 0 WHERE shop = $1 AND claimed_by = $2`, [job.shop, deps.workerId, url]);
  }
  return streamExport(deps, { ...job, result_url: url }, settings);
}

async function streamExport(deps: ImportStepDeps, job: ClaimedImport, settings: JourneySettings): Promise<string> {
  const stalled = new AbortController();
  // A stalled connection would otherwise hold this worker (and its claim) forever.
  const watchdog = setTimeout(() => stalled.abort(new Error("export download stalled")), deps.downloadIdleMs ?? 60_000);
  try {
    return await downloadExport(deps, job, settings, stalled.signal, () => void watchdog.refresh());
  } finally {
    clearTimeout(watchdog);
  }
}

async function downloadExport(deps: ImportStepDeps, job: ClaimedImport, settings: JourneySettings, signal: AbortSignal, alive: () => void): Promise<string> {
  const response = await fetch(job.result_url!, { signal });
  if ([403, 404, 410].includes(response.status) || !response.body) {
    await update(deps, job, `bulk_operation_id = NULL, result_url = NULL, lines_done = 0`, [], { status: "waiting", error: `export file gone (HTTP ${response.status})` });
    return "export_file_gone";
  }
  if (!response.ok) throw new Error(`export download failed: HTTP ${response.status}`);

  // Streamed line by line: a large shop's file is far bigger than memory should hold.
  const lines = createInterface({ input: Readable.fromWeb(response.body as WebReadableStream), crlfDelay: Infinity });
  let lineNo = 0;
  let done = job.lines_done;
  let batch: ImportedOrder[] = [];
  let batchLines = 0;
  const flush = async () => {
    const to = done + batchLines;
    await commitBatch(deps, job, settings, batch, done, to);
    done = to;
    batch = [];
    batchLines = 0;
  };
  for await (const line of lines) {
    alive(); // the watchdog counts silence, not the length of the whole download
    lineNo += 1;
    if (lineNo <= job.lines_done) continue; // committed by an earlier run
    batchLines += 1;
    if (line.trim() !== "") {
      const parsed = parseExportLine(line);
      if (parsed.ok) batch.push(importedOrder(parsed.order));
      else log.warn("skipped an order history line", { shop: job.shop, line: lineNo, reason: parsed.reason });
    }
    if (batchLines >= deps.batchSize) {
      await flush();
      alive(); // our own commit is not the connection's silence
      if (deps.stopping?.()) return (await update(deps, job, "", [], { status: "running" }), "paused");
    }
  }
  if (batchLines > 0) await flush();
  await finish(deps, job);
  return `done:${done - job.lines_done}_lines`;
}

/** One batch and its checkpoint in one transaction: a crash before COMMIT leaves both undone. */
async function commitBatch(deps: ImportStepDeps, job: ClaimedImport, settings: JourneySettings, orders: ImportedOrder[], from: number, to: number) {
  await deps.sql.transaction(async (tx) => {
    const now = deps.now();
    // First, so the import row is locked for the batch and a lost claim writes nothing.
    const [mine] = await tx.query(
      `UPDATE order_import SET lines_done = $4, claimed_at = $5, updated_at = $5, attempts = 0, last_error = NULL
       WHERE shop = $1 AND claimed_by = $2 AND lines_done = $3 AND status IN ('running', 'waiting') RETURNING shop`,
      [job.shop, deps.workerId, from, to, now],
    );
    if (!mine) throw new ClaimLost();
    const inserted = await storeImportedOrders(tx, { shop: job.shop, orders, settings, now });
    if (inserted > 0) await tx.query(`UPDATE order_import SET orders_imported = orders_imported + $2 WHERE shop = $1`, [job.shop, inserted]);
  });
}

async function finish(deps: ImportStepDeps, job: ClaimedImport) {
  await update(deps, job, `finished_at = $4, attempts = 0, last_error = NULL`, [deps.now()], { status: "done" });
}

/** Gives the claim back; with an error, counts a failure (backoff) and keeps its message. */
async function release(deps: ImportStepDeps, job: ClaimedImport, outcome: { status: string; error?: string }) {
  await update(deps, job, "", [], outcome);
}

async function update(deps: ImportStepDeps, job: ClaimedImport, set: string, params: unknown[], outcome?: { status: string; error?: string }) {
  const assignments = [
    set,
    "claimed_by = NULL, claimed_at = NULL, updated_at = $3",
    outcome ? `status = $${params.length + 4}` : "",
    outcome?.error !== undefined ? `attempts = attempts + 1, last_error = $${params.length + 5}` : "",
  ].filter(Boolean);
  const values = [job.shop, deps.workerId, deps.now(), ...params, ...(outcome ? [outcome.status] : []), ...(outcome?.error !== undefined ? [outcome.error.slice(0, 2000)] : [])];
  const rows = await deps.sql.query(`UPDATE order_import SET ${assignments.join(", ")} WHERE shop = $1 AND claimed_by = $2 AND status <> 'stopped' RETURNING shop`, values);
  if (rows.length === 0) throw new ClaimLost();
}
