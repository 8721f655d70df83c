import type { SmsGateway, SmsSendResult } from "../adapters/twilio.server";
import { billingForChunk, chargeSentTexts, type DispatchBilling } from "../billing/dispatch-billing.server";
import type { SqlTx } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { countSegments } from "../messaging/segments";
import { shortenLinks } from "../offers/short-links.server";
import { readShopSettings } from "../services/shops.server";
import { lockCampaigns } from "./campaign-text.server";
import type { ClaimedMessage } from "./claim.server";
import { lockSendContexts, readSendHistory, type SendHistory } from "./load-send-context.server";
import { finishMessage, type Outcome, type SendOutcome } from "./message-outcome";
import type { PreparedDiscount } from "./mint-discounts.server";
import { prepareMessage, type ReadyMessage } from "./prepare-message.server";
import { recordSendResult, writeRowUpdates } from "./record-results.server";

export type { SendOutcome } from "./message-outcome";

export interface SendDeps {
  /** The shop's own Twilio account, or the app's; null when neither is configured. */
  gatewayFor: (shop: string, settings: unknown) => SmsGateway | null;
  now: () => Date;
  statusCallbackUrl: string | null;
  /**
   * The codes minted for this chunk before its transaction opened (mint-discounts.server.ts),
   * by message id; a message offering a discount with no entry goes out without a code.
   */
  discounts?: ReadonlyMap<string, PreparedDiscount>;
  /** Public base URL for tracked links (<base>/r/<id>); without it links go out as they are. */
  linkBase?: string | null;
  /** The shop's online store for discount links, when it is not https://<shop> (the offline demo's stand-in). */
  storefrontFor?: (shop: string) => string | undefined;
  /** How many of `count` texts the sender's rate limit lets start now (never waits). */
  startSends?: (sender: string, perSecond: number, count: number) => number;
  /** Billing through Shopify (ADR 023); absent when NUDGE_BILLING is off. */
  billing?: DispatchBilling;
}

/**
 * Decides, sends and records a chunk of one shop's claimed messages (distinct shoppers, see
 * chunks.ts) in one transaction that holds every one of those shoppers' row locks from before
 * the guards run until the results are written. A STOP or an order for any of them waits for
 * the lock, so none can be committed between our last check and the text leaving
 * (docs/decisions/004-sending-safety.md, 011-dispatch-batches.md). The shop's row is held
 * shared for the same reason: a settings change waits for the sends in flight, so no text
 * decided under the old settings leaves after the new ones were committed
 * (tests/reliability/settings-race.test.ts). The rate limit was waited for, and the chunk's
 * discount codes minted at Shopify (`deps.discounts`), before the transaction began, so no
 * lock is held through either wait. Returns each message's outcome; a message missing from the map stays in
 * `sending` for recovery (its preparation threw).
 */
export async function sendClaimedChunk(tx: SqlTx, shop: string, messages: readonly ClaimedMessage[], deps: SendDeps): Promise<Map<string, SendOutcome>> {
  const contexts = await lockSendContexts(tx, shop, messages);
  const contextOf = new Map(contexts.map((c) => [c.message_id, c]));
  const results = new Map<string, Outcome>();
  const now = deps.now();
  const settings = contexts.length > 0 ? readShopSettings(shop, contexts[0]!.settings) : null;
  // Held shared until the results are written: pausing or cancelling a campaign waits for its
  // texts in flight, and a chunk that starts after sees the new status (docs/decisions/021).
  const campaignOf = await lockCampaigns(tx, shop, messages);
  const smartHours = Math.max(0, ...[...campaignOf.values()].map((c) => c.smart_sending_hours));
  // Read after the locks are held: a send committed by another worker for one of these
  // shoppers is in the history, so the frequency cap counts it.
  const historyOf = settings
    ? await readSendHistory(
        tx,
        shop,
        messages.map((m) => m.shopper_id),
        now,
        settings,
        smartHours,
      )
    : new Map<string, SendHistory>();
  // The shop's plan (ADR 023): texts that would go wait while it is inactive or at its cap.
  const billing = settings && deps.billing ? await billingForChunk(tx, shop, contexts[0]!.settings, deps.billing, now) : null;

  const ready: ReadyMessage[] = [];
  for (const message of messages) {
    const ctx = contextOf.get(message.id);
    try {
      const campaign = message.campaign_id ? (campaignOf.get(message.campaign_id) ?? null) : null;
      const prepared =
        ctx && settings ? await prepareMessage(message, ctx, historyOf.get(message.shopper_id), settings, now, deps, campaign) : finishMessage(message, "skipped", { reason: "shopper_missing" });
      if ("outcome" in prepared) results.set(message.id, prepared);
      else if (billing?.hold) results.set(message.id, finishMessage(message, "deferred", { reason: billing.hold.reason, dueAt: billing.hold.until }));
      else ready.push(prepared);
    } catch (error) {
      log.error("could not prepare a message; it stays in sending for recovery", { messageId: message.id, shop, error });
    }
  }

  if (deps.linkBase && ready.length > 0) {
    const shortened = await shortenLinks(
      tx,
      shop,
      ready.map((r) => ({ messageId: r.message.id, shopperId: r.message.shopper_id, text: r.body })),
      deps.linkBase,
    );
    ready.forEach((r, i) => (r.body = shortened[i]!));
  }
  const gateway = settings ? deps.gatewayFor(shop, contexts[0]!.settings) : null;
  const allowed = gateway && deps.startSends ? deps.startSends(gateway.sender, settings!.sending.ratePerSecond, ready.length) : ready.length;
  // Bunched by a slow transaction past the sender's rate: try again in a second, re-checked.
  for (const r of ready.slice(allowed)) results.set(r.message.id, finishMessage(r.message, "deferred", { reason: "rate_limited", dueAt: new Date(now.getTime() + 1000) }));
  await Promise.all(
    ready.slice(0, allowed).map(async (r) => {
      let result: SmsSendResult;
      try {
        result = await gateway!.send({ to: r.ctx.phone!, body: r.body, statusCallback: deps.statusCallbackUrl ?? undefined });
      } catch (error) {
        // Not an answer we understand: the row stays in `sending`, and recovery asks Twilio.
        log.error("send threw; the message stays in sending for recovery", { messageId: r.message.id, shop, error });
        return;
      }
      const { segments, encoding } = r.body === r.composed.body ? r.composed : countSegments(r.body);
      const recorded = await recordSendResult(tx, r.message, result, { state: r.state, now, phone: r.ctx.phone, country: r.ctx.country, settings: settings! });
      results.set(r.message.id, { outcome: recorded.outcome, update: { ...recorded.update, body: r.body, segments, encoding, variant: r.variant } });
    }),
  );
  await writeRowUpdates(
    tx,
    [...results.values()].map((r) => r.update),
  );
  // Charged in the same transaction that marks the texts sent: a crash keeps both or neither.
  const sent = [...results].filter(([, r]) => r.outcome === "sent").map(([messageId, r]) => ({ messageId, segments: r.update.segments ?? 1 }));
  await chargeSentTexts(tx, shop, deps.billing, billing, sent, now);
  return new Map([...results].map(([id, r]) => [id, r.outcome]));
}
