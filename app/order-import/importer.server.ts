import { hostname } from "node:os";
import { backgroundAdmin } from "../adapters/shopify-admin.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { startPollingLoop, type BackgroundLoop } from "../lib/round-loop.server";
import { readShopSettings } from "../services/shops.server";
import { claimOrderImport, IMPORT_TIMING, type ImportTiming } from "./claim.server";
import { advanceOrderImport, type ImportStepDeps } from "./import-step.server";

export interface OrderImporterOptions {
  pollMs?: number;
  batchSize?: number;
  timing?: ImportTiming;
  workerId?: string;
  adminFor?: ImportStepDeps["adminFor"];
  stopping?: () => boolean;
  downloadIdleMs?: number;
}

/** Claims one due import and moves it on; null when nothing was due. */
export async function importOrdersTick(options: OrderImporterOptions = {}): Promise<string | null> {
  const { sql } = await database();
  const workerId = options.workerId ?? defaultWorkerId;
  const job = await claimOrderImport(sql, { now: clock.now(), workerId, timing: options.timing ?? IMPORT_TIMING });
  if (!job) return null;
  const outcome = await advanceOrderImport(importStepDeps(sql, { ...options, workerId }), job);
  log.info("order history import step", { shop: job.shop, outcome });
  return outcome;
}

/** What an import step needs in this process: the shop's Admin API, its settings, the app clock. */
export function importStepDeps(sql: SqlDriver, options: OrderImporterOptions & { workerId: string }): ImportStepDeps {
  return {
    sql,
    adminFor: options.adminFor ?? backgroundAdmin,
    settingsFor: async (shop) => {
      const [row] = await sql.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1", [shop]);
      return row ? readShopSettings(shop, row.settings).journey : null;
    },
    now: () => clock.now(),
    workerId: options.workerId,
    batchSize: options.batchSize ?? 500,
    stopping: options.stopping,
    downloadIdleMs: options.downloadIdleMs,
  };
}

const defaultWorkerId = `${hostname()}:${process.pid}:import`;

/**
 * The import loop beside the dispatcher (same process; app/lib/round-loop.server.ts): one shop's
 * step at a time, again at once while there is work, otherwise every pollMs. Imports are rare
 * and long; one per process keeps them from competing with sends for the database. A stop pauses
 * the step in hand (`stopping`).
 */
export function startOrderImporter(options: OrderImporterOptions = {}): BackgroundLoop {
  return startPollingLoop(options.pollMs ?? 2_000, async (stopping) => {
    try {
      return (await importOrdersTick({ ...options, stopping })) !== null;
    } catch (error) {
      log.error("order history import tick failed", { error });
      return false;
    }
  });
}
