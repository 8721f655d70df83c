import type { Flow } from "../journey";

/** Tokens a template may use. Anything else in {{ }} is an error the editor shows. */
export const TEMPLATE_TOKENS = ["first_name", "shop_name", "cart_items", "cart_total", "product_title", "discount_code", "discount_percent", "checkout_link", "unsubscribe_text"] as const;
export type TemplateToken = (typeof TEMPLATE_TOKENS)[number];
export type TemplateValues = Partial<Record<TemplateToken, string | null>>;

// What a missing value reads as, so a text never says "Hey !" or "Hey null!".
const FALLBACKS: Record<TemplateToken, string> = {
  first_name: "there",
  shop_name: "our shop",
  cart_items: "your items",
  cart_total: "",
  product_title: "the item you looked at",
  discount_code: "",
  discount_percent: "",
  checkout_link: "",
  unsubscribe_text: "Reply STOP to opt out",
};

// Double opt-in: the one text a pending sign-up gets, asking for the confirming reply.
const CONFIRM_OPTIN = "{{shop_name}}: reply Y to confirm you'd like recurring marketing texts from us. Msg & data rates may apply.";

// The post-purchase survey's question (issue #17); replies are read by app/messaging/nps.ts.
// "0-10" with a plain hyphen: an en dash would make the whole text UCS-2 (two segments' worth).
export const NPS_QUESTION = "How likely are you to recommend {{shop_name}} to a friend? Reply 0-10";

// Defaults follow the merchant examples Nudge is built from.
export const DEFAULT_TEMPLATES: Record<Flow, string> = {
  welcome: "Thanks for joining {{shop_name}}! Here's {{discount_percent}}% off your first order: {{discount_code}}",
  browse_abandonment: "Still thinking about {{product_title}}, {{first_name}}? Here's {{discount_percent}}% off at {{shop_name}}: {{checkout_link}}",
  cart_abandonment: "Hey {{first_name}}! {{product_title}} is still in your cart at {{shop_name}}. Here's {{discount_percent}}% off: {{checkout_link}}",
  cart_recovery: "Hey {{first_name}}! You left {{cart_items}} in your cart at {{shop_name}}. Here's {{discount_percent}}% off: {{checkout_link}}",
  post_purchase: "Thanks for your order from {{shop_name}}! Enjoy {{discount_percent}}% off your next purchase with {{discount_code}}",
  win_back: "We miss you at {{shop_name}}, {{first_name}}! Come back for {{discount_percent}}% off with {{discount_code}}",
  nps_survey: NPS_QUESTION,
  confirm_optin: CONFIRM_OPTIN,
};

// Used when the step carries no discount, so no text says "Here's % off".
export const DEFAULT_TEMPLATES_WITHOUT_DISCOUNT: Record<Flow, string> = {
  welcome: "Thanks for joining {{shop_name}}! You'll be first to hear about new arrivals and offers.",
  browse_abandonment: "Still thinking about {{product_title}}, {{first_name}}? It's waiting for you at {{shop_name}}: {{checkout_link}}",
  cart_abandonment: "Hey {{first_name}}! {{product_title}} is still in your cart at {{shop_name}}. Pick up where you left off: {{checkout_link}}",
  cart_recovery: "Hey {{first_name}}! You left {{cart_items}} in your cart at {{shop_name}}. Finish your order here: {{checkout_link}}",
  post_purchase: "Thanks for your order from {{shop_name}}, {{first_name}}! We hope you love it.",
  win_back: "We miss you at {{shop_name}}, {{first_name}}! See what's new: {{checkout_link}}",
  nps_survey: NPS_QUESTION,
  confirm_optin: CONFIRM_OPTIN,
};

const TOKEN = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * Fills {{tokens}}. Values are inserted as plain text: a shopper named "{{discount_code}}"
 * stays literally that, because replacement is one pass over the template only.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  const text = template.replace(TOKEN, (match, name: string) => {
    if (!isToken(name)) return match;
    const value = values[name]?.trim();
    return value ? value : FALLBACKS[name];
  });
  return tidy(text);
}

export function templateTokens(template: string): string[] {
  return [...template.matchAll(TOKEN)].map((m) => m[1]!);
}

export function unknownTokens(template: string): string[] {
  return templateTokens(template).filter((name) => !isToken(name));
}

function isToken(name: string): name is TemplateToken {
  return (TEMPLATE_TOKENS as readonly string[]).includes(name);
}

/** Removes what an empty fallback leaves behind: double spaces, a dangling ":" at the end. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, " ")
    .replace(/\s+([,.!?])/g, "$1")
    .replace(/[:\s]+$/g, "")
    .trim();
}
