import { phoneGeo } from "../adapters/phone-geo.server";
import { readJourneyState } from "../journey/state-schema";
import type { ComposedMessage } from "../messaging/compose";
import { sendingWindow } from "../messaging/quiet-hours";
import type { ShopSettings } from "../services/shops.server";
import type { CampaignRow } from "./campaign-text.server";
import type { ClaimedMessage } from "./claim.server";
import { composeText } from "./compose-text";
import { decideSend } from "./guards";
import type { SendContext, SendHistory } from "./load-send-context.server";
import { finishMessage, type Outcome } from "./message-outcome";
import type { PreparedDiscount } from "./mint-discounts.server";
import type { SendDeps } from "./send-message.server";

/** A message that passed every guard, with its text: what the send needs. */
export interface ReadyMessage {
  message: ClaimedMessage;
  ctx: SendContext;
  state: ReturnType<typeof readJourneyState>;
  /** The text as it leaves: `composed.body` with its links shortened. */
  body: string;
  composed: ComposedMessage;
  variant: number | null;
}

/** The guards, the discount and the text of one message: a final outcome, or ready to send. */
export async function prepareMessage(
  message: ClaimedMessage,
  ctx: SendContext,
  history: SendHistory | undefined,
  settings: ShopSettings,
  now: Date,
  deps: SendDeps,
  campaign: CampaignRow | null,
): Promise<Outcome | ReadyMessage> {
  if (ctx.uninstalled_at) return finishMessage(message, "skipped", { reason: "app_uninstalled" });
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
  if (decision.action === "skip") return finishMessage(message, "skipped", { reason: decision.reason });
  if (decision.action === "defer") return finishMessage(message, "deferred", { reason: decision.reason, dueAt: decision.until });

  if (!deps.gatewayFor(message.shop, ctx.settings)) return finishMessage(message, "deferred", { reason: "twilio_not_configured", dueAt: new Date(now.getTime() + 15 * 60_000) });

  // Minted before the locks were taken; a code minted for a text skipped here is never shown
  // and expires unused at Shopify (single-use, ADR 011 amendment of 5 Dec 2026).
  const discount = discountOrWait(message, message.discount ? deps.discounts?.get(message.id) : undefined, settings, now);
  if (discount && "outcome" in discount) return discount;

  const { composed, variant } = composeText({
    message,
    ctx,
    state,
    sending: settings.sending,
    discount,
    storefront: deps.storefrontFor?.(message.shop),
    campaign,
    firstMessageToNumber: (history?.ever ?? 0) === 0,
  });
  return { message, ctx, state, body: composed.body, composed, variant };
}

/** The message's code; none when it offers none or may go without; or why the text waits. */
function discountOrWait(message: ClaimedMessage, prepared: PreparedDiscount | undefined, settings: ShopSettings, now: Date): { code: string; percent: number } | Outcome | null {
  if (!prepared) return null;
  if ("code" in prepared) return prepared;
  if (prepared.unavailable === "shop_needs_reauth") {
    // The shop's token is dead until the merchant reopens the app: the text keeps its code and
    // waits, even where the merchant lets texts go without one, since a fix is one click away
    // (docs/decisions/013-expiring-offline-tokens.md).
    return finishMessage(message, "deferred", { reason: prepared.unavailable, dueAt: new Date(now.getTime() + 15 * 60_000) });
  }
  if (!settings.sending.sendWithoutDiscount || message.flow === "campaign") {
    // Shopify couldn't make the code: the text waits rather than promise a broken one. A
    // campaign's message is the merchant's own, with no no-discount version to fall back on.
    return finishMessage(message, prepared.unavailable === "discount_refused" ? "skipped" : "deferred", {
      reason: prepared.unavailable,
      dueAt: new Date(now.getTime() + 5 * 60_000),
    });
  }
  return null;
}
