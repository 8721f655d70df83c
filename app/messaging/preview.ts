import type { Flow } from "../journey";
import { composeMessage, type ComposedMessage } from "./compose";
import { unknownTokens } from "./templates";

/** The sample shopper the editor previews a template with. */
export const SAMPLE = {
  firstName: "Maya",
  cart: {
    lines: [
      { title: "Wool Beanie", variantTitle: "Charcoal", quantity: 1 },
      { title: "Scarf", quantity: 1 },
    ],
    total: "58.00",
    currency: "USD",
  },
  link: "https://nudge.app/r/Ab3dE6gH9k",
  productTitle: "Wool Beanie",
  discount: { code: "NUDGE-7KQ2MX9P", percent: 10 },
};

export interface TemplateCheck extends ComposedMessage {
  errors: string[];
  notes: string[];
}

/**
 * What a template will look like on a phone, with the sample shopper's cart priced in the
 * shop's currency, and what's wrong with it. Pure, so the editor runs it live in the browser
 * and the server runs it again on save.
 */
export function previewTemplate(flow: Flow, template: string, brandName: string, discountPercent: number | null, currency = SAMPLE.cart.currency): TemplateCheck {
  const composed = composeMessage({
    flow,
    overrides: { [flow]: template },
    brandName,
    shopName: brandName,
    firstName: SAMPLE.firstName,
    cart: flow === "cart_recovery" || flow === "cart_abandonment" ? { ...SAMPLE.cart, currency } : null,
    productTitle: SAMPLE.productTitle,
    link: SAMPLE.link,
    discount: discountPercent ? { ...SAMPLE.discount, percent: discountPercent } : null,
    firstMessageToNumber: false,
    optOutInEveryMarketingText: true,
  });
  const errors = [
    ...unknownTokens(template).map((token) => `Unknown token {{${token}}}`),
    ...(template.trim().length === 0 ? ["The template is empty"] : []),
    ...(template.length > 1000 ? ["Keep templates under 1,000 characters"] : []),
  ];
  const notes = [
    ...(!template.toLowerCase().includes(brandName.toLowerCase()) && !template.includes("{{shop_name}}") ? [`"${brandName}:" is added at the start, as every text must name the brand.`] : []),
    ...(!/\bstop\b/i.test(template) ? ['"Reply STOP to opt out" is added at the end.'] : []),
    ...(composed.encoding === "UCS-2" ? ["An emoji or curly quote makes this a Unicode text: 70 characters per segment instead of 160."] : []),
  ];
  return { ...composed, errors, notes };
}
