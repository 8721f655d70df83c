import { hostname } from "node:os";
import { gatewayFromEnv, gatewayResolver, statusCallbackUrl, type GatewayResolver } from "../adapters/sms.server";
import { shopifyConsentPusher, type ConsentPusher } from "../adapters/shopify-consent.server";
import { shopifyDiscountMinter } from "../adapters/shopify-discounts.server";
import { clock } from "../clock.server";
import { startConsentSync } from "../consent-sync/loop.server";
import type { ConsentSyncTiming } from "../consent-sync/retry";
import { env } from "../env.server";
import { database } from "../db.server";
import { warmPool } from "../db/open-database.server";
import { log } from "../lib/log.server";
import { DISPATCH_DEFAULTS } from "./defaults";
import { dispatchDueMessages } from "./dispatch.server";
import { createRateLimiter } from "./rate-limit";
import { pruneWebhookReceipts } from "../services/housekeeping.server";
import { fanOutDueCampaigns } from "../campaigns/schedule.server";
import { pruneStorefrontVisitors } from "../pixel/visitors.server";
import { refreshInstalledShopsRollups } from "../dashboard/refresh-rollups.server";
import { recoverStuckMessages } from "./recover.server";
import { nextDueAt } from "./claim.server";
import { DUE_CHANNEL, idleSleepMs } from "./wake";
import { fetchActiveSubscription, shopifyUsageCharger, type UsageCharger } from "../adapters/shopify-billing.server";
import type { DispatchBilling } from "../billing/dispatch-billing.server";
import { dispatchBillingFromEnv } from "../billing/from-env.server";
import { startUsageCharges } from "../billing/loop.server";
import { startInboxDrain } from "../webhooks/inbox-loop.server";
import { pruneInbox } from "../webhooks/inbox.server";
import type { InboxTiming } from "../webhooks/inbox-retry";
import type { BackgroundLoop } from "../lib/round-loop.server";
import { firstHousekeepingAt, HOUSEKEEPING_EVERY_MS } from "./housekeeping-schedule";
import { warmSendPath } from "./warm-send-path.server";
import { prunePools, settleFills } from "./discount-pool.server";

export interface DispatcherOptions {
  /** Which Twilio account sends for a shop; default: the shop's own, else the env account. */
  gatewayFor?: GatewayResolver;
  /**
   * Longest idle sleep: the fallback poll for texts no NOTIFY announced. An idle worker
   * otherwise sleeps until the next scheduled text falls due, and a NOTIFY (a text written due
   * now, migration 0009) wakes it at once.
   */
  pollMs?: number;
  /** Shortest idle sleep, so texts falling due one by one are claimed in batches. */
  minGapMs?: number;
  batchSize?: number;
  /** Chunks sent at once (default NUDGE_DISPATCH_CONCURRENCY). */
  concurrency?: number;
  /** A `sending` row older than this belongs to a dead worker. */
  staleAfterMs?: number;
  recoverEveryMs?: number;
  /**
   * The shop's online store for discount links, when it is not https://<shop>: `npm run demo`
   * passes its local stand-in store (scripts/demo.ts). Default: every shop's own.
   */
  storefrontFor?: (shop: string) => string | undefined;
  /** Sends consent changes to Shopify (default: the shop's Admin API). */
  pushConsent?: ConsentPusher;
  /** How often the consent sync loop looks for due changes when idle. */
  consentPollMs?: number;
  /** Lease and retry timing of consent sync (the crash test shortens the lease). */
  consentTiming?: ConsentSyncTiming;
  /** Billing through Shopify (ADR 023); default from the environment (none when NUDGE_BILLING=off). */
  billing?: DispatchBilling | null;
  /** Sends usage charges to Shopify (default: the shop's Admin API). */
  chargeUsage?: UsageCharger;
  /** Lease and retry timing of usage charges (the crash test shortens the lease). */
  usageChargeTiming?: ConsentSyncTiming;
  /** Lease and retry timing of the webhook inbox (the crash test shortens the lease). */
  inboxTiming?: InboxTiming;
  /** When the first housekeeping runs after start; default a random 1–5 minutes (housekeeping-schedule.ts). */
  housekeepingAfterMs?: number;
}

/** The dispatcher loop; `ready` resolves once it is warm and listening (or polling only, if it can't listen). */
export interface Dispatcher extends BackgroundLoop {
  ready: Promise<void>;
}

/**
 * The dispatcher loop: ticks until stopped, immediately again while there is a backlog,
 * and now and then recovers rows a crashed worker left in `sending`. Beside it runs the loop
 * that sends consent changes to Shopify (app/consent-sync), and the one that ingests the webhook
 * inbox (app/webhooks/inbox-loop.server.ts). Runs inside the web process by
 * default, or alone via `npm run worker` (PostgreSQL only).
 */
export function startDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const fallback = gatewayFromEnv();
  if (!fallback) log.warn("Twilio is not configured in the environment: only shops with their own Twilio account will send");
  const gatewayFor = options.gatewayFor ?? gatewayResolver(fallback);
  const pollMs = options.pollMs ?? 250;
  const batchSize = options.batchSize ?? DISPATCH_DEFAULTS.batchSize;
  const concurrency = options.concurrency ?? env().NUDGE_DISPATCH_CONCURRENCY;
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  const workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const rateLimiter = createRateLimiter();
  const consentSync = startConsentSync({
    pushConsent: options.pushConsent ?? shopifyConsentPusher,
    workerId,
    pollMs: options.consentPollMs,
    timing: options.consentTiming,
  });
  const billing = options.billing === undefined ? dispatchBillingFromEnv() : (options.billing ?? undefined);
  // Usage charges owed to Shopify for texts sent on the app's account (app/billing, ADR 023).
  const usageCharges = billing
    ? startUsageCharges({ charge: options.chargeUsage ?? shopifyUsageCharger, fetchSubscription: fetchActiveSubscription, workerId, pollMs: options.consentPollMs, timing: options.usageChargeTiming })
    : null;
  const inbox = startInboxDrain({ workerId, timing: options.inboxTiming });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let running = true;
  let wake: (() => void) | null = null;
  // Set by a NOTIFY that arrives while a tick runs, so the loop doesn't then sleep past it.
  let woken = false;
  const onDue = () => {
    woken = true;
    wake?.();
  };
  let unlisten: (() => Promise<void>) | undefined;
  let lastRecovery = 0;
  const startedAt = Date.now();
  let nextHousekeeping = options.housekeepingAfterMs === undefined ? firstHousekeepingAt(startedAt, Math.random()) : startedAt + options.housekeepingAfterMs;
  let rollups: Promise<void> | null = null;
  let lastCampaignCheck = 0;

  const loop = (async () => {
    unlisten = await prepare({ concurrency, workerId }, onDue);
    markReady();
    // The tick before this one, possibly still sending its last chunks: at most two overlap.
    let previous: Promise<void> = Promise.resolve();
    while (running) {
      let backlog = false;
      let sleepMs = pollMs;
      woken = false;
      try {
        const { sql } = await database();
        if (Date.now() >= nextHousekeeping) {
          nextHousekeeping = Date.now() + HOUSEKEEPING_EVERY_MS;
          await pruneWebhookReceipts(sql);
          await pruneInbox(sql, clock.now());
          await pruneStorefrontVisitors(sql, clock.now(), { unknownHours: env().NUDGE_VISITOR_RETENTION_HOURS });
          await prunePools(sql, clock.now());
          // In the background: a first run computes every shop's last 30 days, which must not
          // hold up the sends (ADR 010, amendment of 6 Dec 2026).
          rollups ??= refreshInstalledShopsRollups(sql, clock.now()).then(
            () => void (rollups = null),
            (error: unknown) => void (log.warn("dashboard rollups not refreshed", { error }), (rollups = null)),
          );
        }
        // Scheduled campaigns whose time has come get their texts enqueued (ADR 021).
        if (Date.now() - lastCampaignCheck > 1_000) {
          lastCampaignCheck = Date.now();
          await fanOutDueCampaigns(sql, clock.now());
        }
        if (Date.now() - lastRecovery > (options.recoverEveryMs ?? 30_000)) {
          // Never beside this worker's own sends: their rows are in `sending` too, and a short
          // staleAfterMs (the crash tests use 0) would take one in flight for an interrupted one.
          await previous;
          lastRecovery = Date.now();
          const recovered = await recoverStuckMessages(sql, gatewayFor, { now: clock.now(), staleAfterMs, billing });
          if (recovered.reconciled + recovered.requeued + recovered.unknown > 0) log.info("recovered interrupted sends", recovered);
        }
        let allStarted!: (claimed: number) => void;
        const started = new Promise<number>((resolve) => (allStarted = resolve));
        const tick = dispatchDueMessages({
          sql,
          gatewayFor,
          mintDiscount: shopifyDiscountMinter,
          billing,
          linkBase: env().SHOPIFY_APP_URL,
          storefrontFor: options.storefrontFor,
          workerId,
          batchSize,
          concurrency,
          rateLimiter,
          now: () => clock.now(),
          statusCallbackUrl: statusCallbackUrl(),
          onAllStarted: allStarted,
        }).then(
          (summary) => void (summary.claimed > 0 && log.info("dispatch tick", summary)),
          (error: unknown) => log.error("dispatch tick failed", { error }),
        );
        // A full batch means more is due: claim the next one as soon as this one's last chunk
        // has started, rather than after its slowest chunk has finished (send lag, ADR 011).
        backlog = (await Promise.race([started, tick.then(() => 0)])) === batchSize;
        await previous;
        previous = tick;
        if (!backlog) {
          const next = await nextDueAt(sql);
          sleepMs = idleSleepMs({ now: clock.now().getTime(), nextDueAt: next?.getTime() ?? null, pollMs, minGapMs: options.minGapMs ?? 20 });
        }
      } catch (error) {
        log.error("dispatch tick failed", { error });
      }
      if (!backlog && running && !woken) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, sleepMs)));
      wake = null;
    }
    await previous;
    await settleFills();
    await rollups;
    await unlisten?.();
  })();

  log.info("dispatcher started", { workerId });
  return {
    ready,
    async stop() {
      running = false;
      wake?.();
      await Promise.all([loop, consentSync.stop(), usageCharges?.stop(), inbox.stop()]);
    },
  };
}

/**
 * Before the first tick, so the first due texts find the dispatcher warm (the send-lag
 * benchmark's cold start, ADR 011 amendments of 6 and 7 Dec 2026): open the connections a tick
 * uses (a claim, and a transaction per chunk in flight), run the tick's statements once on
 * them, and listen for texts written due now. Returns how to stop listening; a failure only
 * costs the warm-up or the wake (the loop polls), so it is logged, not thrown.
 */
async function prepare(options: { concurrency: number; workerId: string }, onDue: () => void): Promise<(() => Promise<void>) | undefined> {
  let sql;
  try {
    sql = (await database()).sql;
    await warmPool(sql, options.concurrency + 1);
    await warmSendPath(sql, { chunks: options.concurrency, now: clock.now(), workerId: options.workerId });
  } catch (error) {
    log.warn("dispatcher not warmed up: its first texts open connections and prepare statements", { error });
  }
  if (!sql) return undefined;
  try {
    return await sql.listen(DUE_CHANNEL, onDue);
  } catch (error) {
    log.warn("dispatcher not woken by NOTIFY: polling only", { error });
    return undefined;
  }
}
