import { formatMoney } from "../lib/format";
import type { Flow } from "../journey";
import { applyComplianceFooter, OPT_OUT_TEXT } from "./compliance";
import { countSegments, type SegmentInfo } from "./segments";
import type { TemplateOverrides } from "./settings";
import { DEFAULT_TEMPLATES, DEFAULT_TEMPLATES_WITHOUT_DISCOUNT, renderTemplate, templateTokens, type TemplateValues } from "./templates";

export interface CartLine {
  title: string;
  variantTitle?: string | null;
  quantity: number;
}

export interface ComposeInput {
  flow: Flow;
  overrides: TemplateOverrides;
  brandName: string;
  shopName: string;
  firstName: string | null;
  cart: { lines: CartLine[]; total: string | null; currency: string | null } | null;
  /** The product a browse or cart text is about, for {{product_title}}. */
  productTitle?: string | null;
  /** Where {{checkout_link}} goes: the checkout (with the code applied, when there is one). */
  link: string | null;
  /** The code and percent for this message, when it carries a discount and a code exists. */
  discount: { code: string; percent: number } | null;
  firstMessageToNumber: boolean;
  optOutInEveryMarketingText: boolean;
}

export interface ComposedMessage extends SegmentInfo {
  body: string;
}

/**
 * The text a shopper receives: the merchant's template (or ours), filled, with the brand and
 * opt-out wording added where the rules need them. A template that promises a discount is
 * only used when the message really has a code; otherwise the flow's no-discount text is.
 */
export function composeMessage(input: ComposeInput): ComposedMessage {
  const custom = input.overrides[input.flow];
  const needsDiscount = (template: string) => templateTokens(template).some((t) => t === "discount_code" || t === "discount_percent");
  let template = custom ?? DEFAULT_TEMPLATES[input.flow];
  if (!input.discount && needsDiscount(template)) template = DEFAULT_TEMPLATES_WITHOUT_DISCOUNT[input.flow];

  const values: TemplateValues = {
    first_name: input.firstName,
    shop_name: input.shopName,
    cart_items: input.cart ? describeCart(input.cart.lines) : null,
    cart_total: input.cart?.total ? cartTotal(input.cart.total, input.cart.currency) : null,
    product_title: input.productTitle ?? null,
    discount_code: input.discount?.code ?? null,
    discount_percent: input.discount ? String(input.discount.percent) : null,
    checkout_link: input.link,
    unsubscribe_text: OPT_OUT_TEXT,
  };
  const body = applyComplianceFooter(renderTemplate(template, values), {
    brandName: input.brandName || input.shopName,
    firstMessageToNumber: input.firstMessageToNumber,
    marketing: true,
    optOutInEveryMarketingText: input.optOutInEveryMarketingText,
  });
  return { body, ...countSegments(body) };
}

/**
 * "Pink iPod Nano", "2 x Pink iPod Nano", or "Pink iPod Nano and 2 more items". A plain "x",
 * not "×": "×" is not in the GSM-7 alphabet, and one such character makes the whole text UCS-2,
 * 70 characters a segment instead of 160 (3GPP TS 23.038; Twilio bills per segment).
 */
export function describeCart(lines: CartLine[]): string | null {
  const first = lines.find((line) => line.quantity > 0);
  if (!first) return null;
  const name = first.variantTitle ? `${first.variantTitle} ${first.title}` : first.title;
  const rest = lines.filter((l) => l !== first && l.quantity > 0).length;
  const head = first.quantity > 1 ? `${first.quantity} x ${name}` : name;
  return rest === 0 ? head : `${head} and ${rest} more item${rest === 1 ? "" : "s"}`;
}

/** Shopify sends totals as decimal strings ("58.00"); one it didn't is shown as it came. */
function cartTotal(amount: string, currency: string | null): string {
  const value = Number(amount);
  return Number.isFinite(value) ? formatMoney(value, currency) : amount;
}
