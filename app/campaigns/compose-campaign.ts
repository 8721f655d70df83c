import { applyComplianceFooter, OPT_OUT_TEXT } from "../messaging/compliance";
import type { ComposedMessage } from "../messaging/compose";
import type { TemplateCheck } from "../messaging/preview";
import { SAMPLE } from "../messaging/preview";
import { countSegments } from "../messaging/segments";
import { renderTemplate, templateTokens, type TemplateToken } from "../messaging/templates";

/** The tokens a campaign text may use: no cart or product, since a campaign isn't about one. */
export const CAMPAIGN_TOKENS = ["first_name", "shop_name", "discount_code", "discount_percent", "checkout_link", "unsubscribe_text"] as const satisfies readonly TemplateToken[];

export interface CampaignTextInput {
  template: string;
  brandName: string;
  shopName: string;
  firstName: string | null;
  /** Where {{checkout_link}} leads: the campaign's link (with the code applied, when there is one). */
  link: string | null;
  discount: { code: string; percent: number } | null;
  firstMessageToNumber: boolean;
  optOutInEveryMarketingText: boolean;
}

/** A campaign's text for one shopper: the merchant's message filled, with brand and opt-out added as the rules need. Pure. */
export function composeCampaignText(input: CampaignTextInput): ComposedMessage {
  const body = applyComplianceFooter(
    renderTemplate(input.template, {
      first_name: input.firstName,
      shop_name: input.shopName,
      discount_code: input.discount?.code ?? null,
      discount_percent: input.discount ? String(input.discount.percent) : null,
      checkout_link: input.link,
      unsubscribe_text: OPT_OUT_TEXT,
    }),
    { brandName: input.brandName || input.shopName, firstMessageToNumber: input.firstMessageToNumber, marketing: true, optOutInEveryMarketingText: input.optOutInEveryMarketingText },
  );
  return { body, ...countSegments(body) };
}

function usesDiscount(template: string): boolean {
  return templateTokens(template).some((t) => t === "discount_code" || t === "discount_percent");
}

/**
 * The campaign's text on the sample shopper's phone, and what's wrong with it. Pure: the
 * composer runs it on each keystroke and the server again on save.
 */
export function previewCampaignText(template: string, brandName: string, discountPercent: number | null): TemplateCheck {
  const composed = composeCampaignText({
    template,
    brandName,
    shopName: brandName,
    firstName: SAMPLE.firstName,
    link: SAMPLE.link,
    discount: discountPercent ? { ...SAMPLE.discount, percent: discountPercent } : null,
    firstMessageToNumber: false,
    optOutInEveryMarketingText: true,
  });
  const unknown = templateTokens(template).filter((t) => !(CAMPAIGN_TOKENS as readonly string[]).includes(t));
  const errors = [
    ...unknown.map((token) => `Unknown token {{${token}}}`),
    ...(template.trim().length === 0 ? ["Write the message"] : []),
    ...(template.length > 1000 ? ["Keep the message under 1,000 characters"] : []),
    ...(usesDiscount(template) && !discountPercent ? ["The message mentions a discount: choose a discount percent, or remove {{discount_code}} and {{discount_percent}}"] : []),
  ];
  const notes = [
    ...(!template.toLowerCase().includes(brandName.toLowerCase()) && !template.includes("{{shop_name}}") ? [`"${brandName}:" is added at the start, as every text must name the brand.`] : []),
    ...(!/\bstop\b/i.test(template) ? ['"Reply STOP to opt out" is added at the end.'] : []),
    ...(composed.encoding === "UCS-2" ? ["An emoji or curly quote makes this a Unicode text: 70 characters per segment instead of 160."] : []),
  ];
  return { ...composed, errors, notes };
}
