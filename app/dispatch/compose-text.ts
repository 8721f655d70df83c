import type { JourneyState } from "../journey/types";
import { brandFor } from "../messaging/brand";
import { composeMessage, type ComposedMessage } from "../messaging/compose";
import { flowVariants, type SendingSettings } from "../messaging/settings";
import { variantFor } from "../offers/ab-test";
import { discountLink } from "../offers/discount-code";
import type { ClaimedMessage } from "./claim.server";
import { campaignTextParts, type CampaignRow } from "./campaign-text.server";
import type { SendContext } from "./load-send-context.server";
import { storefrontTextParts } from "./storefront-text";

export interface TextInput {
  message: Pick<ClaimedMessage, "shop" | "shopper_id" | "dedupe_key" | "flow">;
  ctx: Pick<SendContext, "shop_name" | "first_name" | "line_items" | "total_price" | "currency" | "abandoned_checkout_url">;
  state: JourneyState;
  sending: SendingSettings;
  discount: { code: string; percent: number } | null;
  /** The shop's online store when it is not https://<shop> (the offline demo's stand-in). */
  storefront: string | undefined;
  /** The campaign of a campaign text; required when the flow is "campaign". */
  campaign: CampaignRow | null;
  firstMessageToNumber: boolean;
}

/**
 * One message's text, its link and its A/B variant: a campaign's own message, or the flow's
 * template (the shopper's variant of it) filled with the cart and the link.
 */
export function composeText(input: TextInput): { composed: ComposedMessage; variant: number | null } {
  const { message, ctx, sending, discount, storefront } = input;
  const brand = brandFor({ domain: message.shop, name: ctx.shop_name }, sending);
  if (message.flow === "campaign") {
    const composed = campaignTextParts({
      shop: message.shop,
      campaign: input.campaign!,
      firstName: ctx.first_name,
      shopName: ctx.shop_name || brand,
      brand,
      discount,
      storefront,
      firstMessageToNumber: input.firstMessageToNumber,
      settings: sending,
    });
    return { composed, variant: null };
  }
  // Browse and cart texts link to a cart permalink built from what the pixel saw (issue 18).
  const parts = storefrontTextParts(message.flow, message.dedupe_key, input.state, message.shop, discount?.code ?? null, storefront);
  const link = parts ? parts.link : discount ? discountLink(message.shop, discount.code, ctx.abandoned_checkout_url, storefront) : ctx.abandoned_checkout_url;
  // A/B test: the shopper's variant of the flow's template, stable across retries.
  const variants = flowVariants(sending, message.flow);
  const variant = variants ? variantFor(message.shopper_id, message.flow, variants.length) : null;
  const composed = composeMessage({
    flow: message.flow,
    overrides: variants && variant !== null ? { ...sending.templates, [message.flow]: variants[variant] } : sending.templates,
    brandName: brand,
    shopName: ctx.shop_name || brand,
    firstName: ctx.first_name,
    cart: parts ? parts.cart : ctx.line_items ? { lines: ctx.line_items, total: ctx.total_price, currency: ctx.currency } : null,
    productTitle: parts?.productTitle ?? null,
    link,
    discount,
    firstMessageToNumber: input.firstMessageToNumber,
    optOutInEveryMarketingText: sending.optOutInEveryMarketingText,
  });
  return { composed, variant };
}
