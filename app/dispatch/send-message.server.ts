import { flowVariants } from "../messaging/settings";
import type { SmsGateway, SmsSendResult } from "../adapters/twilio.server";
import { variantFor } from "../offers/ab-test";
import { discountLink } from "../offers/discount-code";
import { shortenLinks } from "../offers/short-links.server";
import { countSegments } from "../messaging/segments";
import { phoneGeo } from "../adapters/phone-geo.server";
import type { SqlTx } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { readJourneyState } from "../journey/state-schema";
import { BROWSE_TEXT_GAP_HOURS } from "../journey/storefront";
import type { Flow } from "../journey/types";
import { brandFor } from "../messaging/brand";
import { composeMessage, type CartLine } from "../messaging/compose";
import { sendingWindow } from "../messaging/quiet-hours";
import { readShopSettings, type ShopSettings } from "../services/shops.server";
import { runJourney } from "../services/journey-runner.server";
import type { ClaimedMessage } from "./claim.server";
import { MAX_ATTEMPTS } from "./defaults";
import { decideSend, type OutboxFlow } from "./guards";
import type { PreparedDiscount } from "./mint-discounts.server";
import { storefrontTextParts } from "./storefront-text";
import { campaignTextParts, lockCampaigns, type CampaignRow } from "./campaign-text.server";
import { billingForChunk, chargeSentTexts, type DispatchBilling } from "../billing/dispatch-billing.server";

export type SendOutcome = "sent" | "skipped" | "deferred" | "failed" | "retry" | "unknown";

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

interface Context {
  message_id: string;
  state: unknown;
  phone: string | null;
  country: string | null;
  first_name: string | null;
  shop_name: string | null;
  shop_timezone: string;
  settings: unknown;
  uninstalled_at: Date | null;
  line_items: CartLine[] | null;
  total_price: string | null;
  currency: string | null;
  abandoned_checkout_url: string | null;
  paused_until: Date | null;
}

interface History {
  shopper_id: string;
  ever: number;
  recent: Date[] | null;
  /** The flow of each of `recent`, in the same order. */
  recent_flows: OutboxFlow[] | null;
}

/** What one message's row becomes; written for the whole chunk in one statement. */
interface RowUpdate {
  id: string;
  status: "scheduled" | "sent" | "skipped" | "failed" | "unknown";
  reason: string | null;
  due_at?: Date;
  error_code?: number | null;
  last_error?: string;
  /** 1 when the claim's attempt is given back (a deferral sent nothing). */
  attempts_back?: number;
  body?: string;
  segments?: number;
  encoding?: string;
  variant?: number | null;
  sent_at?: Date;
  provider_sid?: string;
  delivery_status?: string;
}

interface Outcome {
  outcome: SendOutcome;
  update: RowUpdate;
}

interface Ready {
  message: ClaimedMessage;
  ctx: Context;
  state: ReturnType<typeof readJourneyState>;
  body: string;
  composed: { body: string; segments: number; encoding: string };
  variant: number | null;
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
  // Locks in shopper id order, so two chunks sharing shoppers never deadlock each other.
  const contexts = await tx.query<Context>(
    `SELECT v.message_id, s.state, s.phone, s.country, s.first_name, sh.name AS shop_name, sh.timezone AS shop_timezone, sh.settings, sh.uninstalled_at,
            c.line_items, c.total_price::text AS total_price, COALESCE(c.presentment_currency, c.currency) AS currency, c.abandoned_checkout_url,
            cv.paused_until
     FROM jsonb_to_recordset($2::jsonb) AS v(message_id uuid, shopper_id uuid, checkout_token text)
     JOIN shopper s ON s.shop = $1 AND s.id = v.shopper_id
     JOIN shop sh ON sh.domain = s.shop
     LEFT JOIN checkout c ON c.shop = s.shop AND c.token = v.checkout_token
     LEFT JOIN conversation cv ON cv.shop = s.shop AND cv.shopper_id = s.id
     ORDER BY s.id
     FOR UPDATE OF s FOR SHARE OF sh`,
    [shop, JSON.stringify(messages.map((m) => ({ message_id: m.id, shopper_id: m.shopper_id, checkout_token: m.checkout_token })))],
  );
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
  const historyOf = settings ? await sendHistory(tx, shop, messages.map((m) => m.shopper_id), now, settings, smartHours) : new Map<string, History>();
  // The shop's plan (ADR 023): texts that would go wait while it is inactive or at its cap.
  const billing = settings && deps.billing ? await billingForChunk(tx, shop, contexts[0]!.settings, deps.billing, now) : null;

  const ready: Ready[] = [];
  for (const message of messages) {
    const ctx = contextOf.get(message.id);
    try {
      const campaign = message.campaign_id ? (campaignOf.get(message.campaign_id) ?? null) : null;
      const prepared = ctx && settings ? await prepare(message, ctx, historyOf.get(message.shopper_id), settings, now, deps, campaign) : finish(message, "skipped", { reason: "shopper_missing" });
      if ("outcome" in prepared) results.set(message.id, prepared);
      else if (billing?.hold) results.set(message.id, finish(message, "deferred", { reason: billing.hold.reason, dueAt: billing.hold.until }));
      else ready.push(prepared);
    } catch (error) {
      log.error("could not prepare a message; it stays in sending for recovery", { messageId: message.id, shop, error });
    }
  }

  if (deps.linkBase && ready.length > 0) {
    const shortened = await shortenLinks(tx, shop, ready.map((r) => ({ messageId: r.message.id, shopperId: r.message.shopper_id, text: r.body })), deps.linkBase);
    ready.forEach((r, i) => (r.body = shortened[i]!));
  }
  const gateway = settings ? deps.gatewayFor(shop, contexts[0]!.settings) : null;
  const allowed = gateway && deps.startSends ? deps.startSends(gateway.sender, settings!.sending.ratePerSecond, ready.length) : ready.length;
  // Bunched by a slow transaction past the sender's rate: try again in a second, re-checked.
  for (const r of ready.slice(allowed)) results.set(r.message.id, finish(r.message, "deferred", { reason: "rate_limited", dueAt: new Date(now.getTime() + 1000) }));
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
      const recorded = await recordResult(tx, r.message, result, { state: r.state, now, phone: r.ctx.phone, country: r.ctx.country, settings: settings! });
      results.set(r.message.id, { outcome: recorded.outcome, update: { ...recorded.update, body: r.body, segments, encoding, variant: r.variant } });
    }),
  );
  await writeUpdates(tx, [...results.values()].map((r) => r.update));
  // Charged in the same transaction that marks the texts sent: a crash keeps both or neither.
  const sent = [...results].filter(([, r]) => r.outcome === "sent").map(([messageId, r]) => ({ messageId, segments: r.update.segments ?? 1 }));
  await chargeSentTexts(tx, shop, deps.billing, billing, sent, now);
  return new Map([...results].map(([id, r]) => [id, r.outcome]));
}

async function sendHistory(tx: SqlTx, shop: string, shopperIds: string[], now: Date, settings: ShopSettings, smartSendingHours: number): Promise<Map<string, History>> {
  const rows = await tx.query<History>(
    // Caps count marketing texts; the double opt-in confirmation is not one. `status || ''`
    // keeps the indexes that lead with status out of it: during a large send the statistics
    // still say almost nothing is sent (they were taken while everything was scheduled), and
    // the planner then read every sent text of the table for each chunk through
    // (status, due_at), which made a 100k-text run quadratic (docs/benchmarks.md). The
    // shoppers' own (shop, shopper_id, status) entries are a handful each.
    `SELECT shopper_id, count(*)::int AS ever, array_agg(sent_at ORDER BY sent_at) FILTER (WHERE sent_at > $3 AND flow <> 'confirm_optin') AS recent,
            array_agg(flow ORDER BY sent_at) FILTER (WHERE sent_at > $3 AND flow <> 'confirm_optin') AS recent_flows
     FROM scheduled_message
     WHERE shop = $1 AND shopper_id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::uuid)) AND status || '' = 'sent'
     GROUP BY shopper_id`,
    [shop, JSON.stringify(shopperIds), new Date(now.getTime() - Math.max(...settings.sending.caps.map((c) => c.windowHours), BROWSE_TEXT_GAP_HOURS, smartSendingHours) * 3_600_000)],
  );
  return new Map(rows.map((r) => [r.shopper_id, r]));
}

/** The guards, the discount and the text of one message: a final outcome, or ready to send. */
async function prepare(
  message: ClaimedMessage,
  ctx: Context,
  history: History | undefined,
  settings: ShopSettings,
  now: Date,
  deps: SendDeps,
  campaign: CampaignRow | null,
): Promise<Outcome | Ready> {
  if (ctx.uninstalled_at) return finish(message, "skipped", { reason: "app_uninstalled" });
  const state = readJourneyState(ctx.state, ctx.country);
  const geo = ctx.phone ? await phoneGeo(ctx.phone) : { timeZone: null, subdivision: null };
  const decision = decideSend({
    message: { key: message.dedupe_key, flow: message.flow, dueAt: new Date(message.due_at), checkoutToken: message.checkout_token, orderId: message.order_id },
    shopper: {
      id: message.shopper_id,
      phone: ctx.phone,
      state,
      timeZone: geo.timeZone ?? ctx.shop_timezone,
      window: sendingWindow(geo.subdivision, settings.sending.window, ctx.country),
      subdivision: geo.subdivision,
      pausedUntil: ctx.paused_until ? new Date(ctx.paused_until) : null,
    },
    recentSends: (history?.recent ?? []).map((t, i) => ({ at: new Date(t), flow: history!.recent_flows![i]! })),
    caps: settings.sending.caps,
    journey: settings.journey,
    now,
    campaign: campaign && { id: campaign.id, status: campaign.status, smartSendingHours: campaign.smart_sending_hours, controlPercent: campaign.control_percent },
  });
  if (decision.action === "skip") return finish(message, "skipped", { reason: decision.reason });
  if (decision.action === "defer") return finish(message, "deferred", { reason: decision.reason, dueAt: decision.until });

  if (!deps.gatewayFor(message.shop, ctx.settings)) return finish(message, "deferred", { reason: "twilio_not_configured", dueAt: new Date(now.getTime() + 15 * 60_000) });

  let discount: { code: string; percent: number } | null = null;
  // Minted before the locks were taken; a code minted for a text skipped here is never shown
  // and expires unused at Shopify (single-use, ADR 011 amendment of 5 Dec 2026).
  const prepared = message.discount ? deps.discounts?.get(message.id) : undefined;
  if (prepared) {
    if ("code" in prepared) discount = prepared;
    else if (prepared.unavailable === "shop_needs_reauth") {
      // The shop's token is dead until the merchant reopens the app: the text keeps its code and
      // waits, even where the merchant lets texts go without one, since a fix is one click away
      // (docs/decisions/013-expiring-offline-tokens.md).
      return finish(message, "deferred", { reason: prepared.unavailable, dueAt: new Date(now.getTime() + 15 * 60_000) });
    } else if (!settings.sending.sendWithoutDiscount || message.flow === "campaign") {
      // Shopify couldn't make the code: the text waits rather than promise a broken one. A
      // campaign's message is the merchant's own, with no no-discount version to fall back on.
      return finish(message, prepared.unavailable === "discount_refused" ? "skipped" : "deferred", {
        reason: prepared.unavailable,
        dueAt: new Date(now.getTime() + 5 * 60_000),
      });
    }
  }
  const brand = brandFor({ domain: message.shop, name: ctx.shop_name }, settings.sending);
  if (message.flow === "campaign") {
    const composed = campaignTextParts({ shop: message.shop, campaign: campaign!, firstName: ctx.first_name, shopName: ctx.shop_name || brand, brand, discount, storefront: deps.storefrontFor?.(message.shop), firstMessageToNumber: (history?.ever ?? 0) === 0, settings: settings.sending });
    return { message, ctx, state, body: composed.body, composed, variant: null };
  }
  // Browse and cart texts link to a cart permalink built from what the pixel saw (issue #18).
  const storefront = storefrontTextParts(message.flow, message.dedupe_key, state, message.shop, discount?.code ?? null, deps.storefrontFor?.(message.shop));
  const link = storefront
    ? storefront.link
    : discount
      ? discountLink(message.shop, discount.code, ctx.abandoned_checkout_url, deps.storefrontFor?.(message.shop))
      : ctx.abandoned_checkout_url;
  // A/B test: the shopper's variant of the flow's template, stable across retries.
  const variants = flowVariants(settings.sending, message.flow);
  const variant = variants ? variantFor(message.shopper_id, message.flow, variants.length) : null;
  const composed = composeMessage({
    flow: message.flow,
    overrides: variants && variant !== null ? { ...settings.sending.templates, [message.flow]: variants[variant] } : settings.sending.templates,
    brandName: brand,
    shopName: ctx.shop_name || brand,
    firstName: ctx.first_name,
    cart: storefront ? storefront.cart : ctx.line_items ? { lines: ctx.line_items, total: ctx.total_price, currency: ctx.currency } : null,
    productTitle: storefront?.productTitle ?? null,
    link,
    discount,
    firstMessageToNumber: (history?.ever ?? 0) === 0,
    optOutInEveryMarketingText: settings.sending.optOutInEveryMarketingText,
  });
  return { message, ctx, state, body: composed.body, composed, variant };
}

async function recordResult(
  tx: SqlTx,
  message: ClaimedMessage,
  result: SmsSendResult,
  ctx: { state: unknown; now: Date; phone: string | null; country: string | null; settings: ShopSettings },
): Promise<Outcome> {
  if (result.ok) {
    return { outcome: "sent", update: { id: message.id, status: "sent", reason: null, sent_at: ctx.now, provider_sid: result.sid, delivery_status: result.status } };
  }
  if (result.kind === "transient") {
    if (message.attempts >= MAX_ATTEMPTS) return finish(message, "failed", { reason: "gave_up_after_retries", error: result });
    const backoffMs = Math.min(30_000 * 2 ** (message.attempts - 1), 30 * 60_000);
    return finish(message, "retry", { dueAt: new Date(ctx.now.getTime() + backoffMs), error: result });
  }
  if (result.kind === "ambiguous") return finish(message, "unknown", { reason: "provider_outcome_unknown", error: result });
  if (result.kind === "opted_out") {
    // Twilio 21610: the number replied STOP to this sender. Record it as their opt-out.
    const shopper = { id: message.shopper_id, phone: ctx.phone, country: ctx.country, state: ctx.state };
    await runJourney(tx, {
      shop: message.shop,
      shopper,
      events: [{ type: "opted_out", at: ctx.now.getTime(), source: "carrier" }],
      now: ctx.now,
      settings: ctx.settings.journey,
    });
  }
  return finish(message, "failed", { reason: result.kind, error: result });
}

function finish(
  message: ClaimedMessage,
  outcome: Exclude<SendOutcome, "sent">,
  details: { reason?: string; dueAt?: Date; error?: { code: number | null; message: string } },
): Outcome {
  const status = outcome === "deferred" || outcome === "retry" ? "scheduled" : outcome;
  // A deferral (quiet hours, Shopify throttling a discount code, no Twilio account yet) sent
  // nothing: it gives back the attempt its claim counted, so it can't use up a later outage's retries.
  const attemptsBack = outcome === "deferred" ? 1 : 0;
  return {
    outcome,
    update: { id: message.id, status, reason: details.reason ?? null, due_at: details.dueAt, error_code: details.error?.code, last_error: details.error?.message.slice(0, 500), attempts_back: attemptsBack },
  };
}

/** Every row of the chunk in one statement; absent fields keep the row's value. */
async function writeUpdates(tx: SqlTx, updates: RowUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await tx.query(
    `UPDATE scheduled_message AS m
     SET status = v.status, reason = v.reason, due_at = COALESCE(v.due_at, m.due_at),
         error_code = COALESCE(v.error_code, m.error_code),
         last_error = CASE WHEN v.status = 'sent' THEN NULL ELSE COALESCE(v.last_error, m.last_error) END,
         body = COALESCE(v.body, m.body),
         segments = CASE WHEN v.body IS NULL THEN m.segments ELSE v.segments END,
         encoding = CASE WHEN v.body IS NULL THEN m.encoding ELSE v.encoding END,
         variant = CASE WHEN v.body IS NULL THEN m.variant ELSE v.variant END,
         sent_at = COALESCE(v.sent_at, m.sent_at), provider_sid = COALESCE(v.provider_sid, m.provider_sid),
         delivery_status = COALESCE(v.delivery_status, m.delivery_status),
         attempts = m.attempts - COALESCE(v.attempts_back, 0), updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, status text, reason text, due_at timestamptz, error_code int, last_error text, body text,
                                              segments int, encoding text, variant int, sent_at timestamptz, provider_sid text, delivery_status text,
                                              attempts_back int)
     WHERE m.id = v.id`,
    [JSON.stringify(updates)],
  );
}
