import type { DiscountMinter } from "../adapters/shopify-discounts.server";
import type { SmsGateway, SmsSendResult } from "../adapters/twilio.server";
import { variantFor } from "../offers/ab-test";
import { discountLink } from "../offers/discount-code";
import { shortenLinks } from "../offers/short-links.server";
import { countSegments } from "../messaging/segments";
import { phoneGeo } from "../adapters/phone-geo.server";
import type { SqlTx } from "../db/sql-driver.server";
import { readJourneyState } from "../journey/state-schema";
import { composeMessage, type CartLine } from "../messaging/compose";
import { sendingWindow } from "../messaging/quiet-hours";
import { readShopSettings } from "../services/shops.server";
import { runJourney } from "../services/journey-runner.server";
import type { ClaimedMessage } from "./claim.server";
import { decideSend } from "./guards";
import { prepareDiscount } from "./prepare-discount.server";

export type SendOutcome = "sent" | "skipped" | "deferred" | "failed" | "retry" | "unknown";

export interface SendDeps {
  /** The shop's own Twilio account, or the app's; null when neither is configured. */
  gatewayFor: (shop: string, settings: unknown) => SmsGateway | null;
  now: () => Date;
  statusCallbackUrl: string | null;
  /** Creates the Shopify discount code a message offers; without it, texts go out without codes. */
  mintDiscount?: DiscountMinter;
  /** Public base URL for tracked links (<base>/r/<id>); without it links go out as they are. */
  linkBase?: string | null;
  /** The shop's online store for discount links, when it is not https://<shop> (the offline demo's stand-in). */
  storefrontFor?: (shop: string) => string | undefined;
  /** Waits for the sender's rate limit. */
  throttle?: (sender: string, perSecond: number) => Promise<void>;
}

interface Context {
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
}

const MAX_ATTEMPTS = 5;

/**
 * Decides and sends one claimed message inside a transaction that holds the shopper's row
 * lock. A STOP or an order for this shopper waits for the lock, so none can be committed
 * between our last check and the text leaving.
 */
export async function sendClaimedMessage(tx: SqlTx, message: ClaimedMessage, deps: SendDeps): Promise<SendOutcome> {
  const [ctx] = await tx.query<Context>(
    `SELECT s.state, s.phone, s.country, s.first_name, sh.name AS shop_name, sh.timezone AS shop_timezone, sh.settings, sh.uninstalled_at,
            c.line_items, c.total_price::text AS total_price, COALESCE(c.presentment_currency, c.currency) AS currency, c.abandoned_checkout_url
     FROM shopper s
     JOIN shop sh ON sh.domain = s.shop
     LEFT JOIN checkout c ON c.shop = s.shop AND c.token = $3
     WHERE s.shop = $1 AND s.id = $2
     FOR UPDATE OF s`,
    [message.shop, message.shopper_id, message.checkout_token],
  );
  if (!ctx) return finish(tx, message, "skipped", { reason: "shopper_missing" });
  if (ctx.uninstalled_at) return finish(tx, message, "skipped", { reason: "app_uninstalled" });

  const now = deps.now();
  const settings = readShopSettings(message.shop, ctx.settings);
  const state = readJourneyState(ctx.state, ctx.country);
  const geo = ctx.phone ? await phoneGeo(ctx.phone) : { timeZone: null, subdivision: null };
  const [history] = await tx.query<{ ever: number; recent: Date[] | null }>(
    // Caps count marketing texts; the double opt-in confirmation is not one.
    `SELECT count(*)::int AS ever, array_agg(sent_at) FILTER (WHERE sent_at > $3 AND flow <> 'confirm_optin') AS recent
     FROM scheduled_message WHERE shop = $1 AND shopper_id = $2 AND status = 'sent'`,
    [message.shop, message.shopper_id, new Date(now.getTime() - Math.max(...settings.sending.caps.map((c) => c.windowHours), 24) * 3_600_000)],
  );

  const decision = decideSend({
    message: { key: message.dedupe_key, flow: message.flow, dueAt: new Date(message.due_at), checkoutToken: message.checkout_token, orderId: message.order_id },
    shopper: {
      id: message.shopper_id,
      phone: ctx.phone,
      state,
      timeZone: geo.timeZone ?? ctx.shop_timezone,
      window: sendingWindow(geo.subdivision, settings.sending.window),
    },
    recentSends: (history?.recent ?? []).map((t) => new Date(t)),
    caps: settings.sending.caps,
    journey: settings.journey,
    now,
  });
  if (decision.action === "skip") return finish(tx, message, "skipped", { reason: decision.reason });
  if (decision.action === "defer") return finish(tx, message, "deferred", { reason: decision.reason, dueAt: decision.until });

  const gateway = deps.gatewayFor(message.shop, ctx.settings);
  if (!gateway) return finish(tx, message, "deferred", { reason: "twilio_not_configured", dueAt: new Date(now.getTime() + 15 * 60_000) });

  let discount: { code: string; percent: number } | null = null;
  if (message.discount && deps.mintDiscount) {
    const prepared = await prepareDiscount(tx, { ...message, discount: message.discount }, deps.mintDiscount, now);
    if ("code" in prepared) discount = prepared;
    else if (!settings.sending.sendWithoutDiscount) {
      // Shopify couldn't make the code: the text waits rather than promise a broken one.
      return finish(tx, message, prepared.unavailable === "discount_refused" ? "skipped" : "deferred", {
        reason: prepared.unavailable,
        dueAt: new Date(now.getTime() + 5 * 60_000),
      });
    }
  }
  const link = discount ? discountLink(message.shop, discount.code, ctx.abandoned_checkout_url, deps.storefrontFor?.(message.shop)) : ctx.abandoned_checkout_url;
  // A/B test: the shopper's variant of the flow's template, stable across retries.
  const variants = message.flow === "confirm_optin" ? undefined : settings.sending.variants[message.flow];
  const variant = variants ? variantFor(message.shopper_id, message.flow, variants.length) : null;
  const composed = composeMessage({
    flow: message.flow,
    overrides: variants && variant !== null ? { ...settings.sending.templates, [message.flow]: variants[variant] } : settings.sending.templates,
    brandName: settings.sending.brandName,
    shopName: ctx.shop_name ?? message.shop.replace(/\.myshopify\.com$/, ""),
    firstName: ctx.first_name,
    cart: ctx.line_items ? { lines: ctx.line_items, total: ctx.total_price, currency: ctx.currency } : null,
    link,
    discount,
    firstMessageToNumber: (history?.ever ?? 0) === 0,
    optOutInEveryMarketingText: settings.sending.optOutInEveryMarketingText,
  });
  const body = deps.linkBase
    ? await shortenLinks(tx, composed.body, { shop: message.shop, messageId: message.id, shopperId: message.shopper_id }, deps.linkBase)
    : composed.body;
  const { segments, encoding } = body === composed.body ? composed : countSegments(body);
  await tx.query(`UPDATE scheduled_message SET body = $2, segments = $3, encoding = $4, variant = $5 WHERE id = $1`, [
    message.id,
    body,
    segments,
    encoding,
    variant,
  ]);

  await deps.throttle?.(gateway.sender, settings.sending.ratePerSecond);
  const result = await gateway.send({ to: ctx.phone!, body, statusCallback: deps.statusCallbackUrl ?? undefined });
  return recordResult(tx, message, result, { state, now, phone: ctx.phone, country: ctx.country, settings });
}

async function recordResult(
  tx: SqlTx,
  message: ClaimedMessage,
  result: SmsSendResult,
  ctx: { state: unknown; now: Date; phone: string | null; country: string | null; settings: ReturnType<typeof readShopSettings> },
): Promise<SendOutcome> {
  if (result.ok) {
    await tx.query(
      `UPDATE scheduled_message SET status = 'sent', sent_at = $2, provider_sid = $3, delivery_status = $4, reason = NULL, last_error = NULL, updated_at = now()
       WHERE id = $1`,
      [message.id, ctx.now, result.sid, result.status],
    );
    return "sent";
  }
  if (result.kind === "transient") {
    if (message.attempts >= MAX_ATTEMPTS) return finish(tx, message, "failed", { reason: "gave_up_after_retries", error: result });
    const backoffMs = Math.min(30_000 * 2 ** (message.attempts - 1), 30 * 60_000);
    return finish(tx, message, "retry", { dueAt: new Date(ctx.now.getTime() + backoffMs), error: result });
  }
  if (result.kind === "ambiguous") return finish(tx, message, "unknown", { reason: "provider_outcome_unknown", error: result });
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
  return finish(tx, message, "failed", { reason: result.kind, error: result });
}

async function finish(
  tx: SqlTx,
  message: ClaimedMessage,
  outcome: Exclude<SendOutcome, "sent">,
  details: { reason?: string; dueAt?: Date; error?: { code: number | null; message: string } },
): Promise<SendOutcome> {
  const status = outcome === "deferred" || outcome === "retry" ? "scheduled" : outcome;
  // A deferral (quiet hours, Shopify throttling a discount code, no Twilio account yet) sent
  // nothing: it gives back the attempt its claim counted, so it can't use up a later outage's retries.
  const notAnAttempt = outcome === "deferred" ? 1 : 0;
  await tx.query(
    `UPDATE scheduled_message
     SET status = $2, reason = $3, due_at = COALESCE($4, due_at), error_code = COALESCE($5, error_code), last_error = COALESCE($6, last_error),
         attempts = attempts - $7, updated_at = now()
     WHERE id = $1`,
    [message.id, status, details.reason ?? null, details.dueAt ?? null, details.error?.code ?? null, details.error?.message.slice(0, 500) ?? null, notAnAttempt],
  );
  return outcome;
}
