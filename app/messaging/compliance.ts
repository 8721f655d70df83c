export const OPT_OUT_TEXT = "Reply STOP to opt out";

export interface FooterRules {
  brandName: string;
  /** True for the first text we ever send this number. */
  firstMessageToNumber: boolean;
  /** Marketing texts carry the opt-out line by default (CTIA Messaging Principles). */
  marketing: boolean;
  optOutInEveryMarketingText: boolean;
}

/**
 * Makes a rendered text compliant: it names the brand (CTIA: every message identifies the
 * sender) and carries "Reply STOP to opt out" in the first message to a number and, by
 * default, in every marketing message.
 */
export function applyComplianceFooter(body: string, rules: FooterRules): string {
  let text = body.trim();
  const brand = rules.brandName.trim();
  if (brand && !text.toLowerCase().includes(brand.toLowerCase())) text = `${brand}: ${text}`;
  const needsOptOut = rules.firstMessageToNumber || (rules.marketing && rules.optOutInEveryMarketingText);
  if (needsOptOut && !/\b(reply|text)\s+stop\b/i.test(text)) text = `${text}\n${OPT_OUT_TEXT}`;
  return text;
}

/**
 * The reply to HELP. Carriers require the brand and a way to reach support in it, with the
 * opt-out instructions: CTIA Messaging Principles and Best Practices (HELP returns program
 * and contact information), and Twilio's "Help at {source of help}. Msg&data rates may apply.
 * ... Text STOP to cancel." (support.twilio.com, "What are the requirements for short code
 * HELP and STOP messages?"; the first source of help preferably a support email).
 */
export function helpReply(brand: string | null, contact: string | null): string {
  const help = contact ? ` Help at ${contact}.` : "";
  return `${brand ?? "This number"}: recurring marketing texts.${help} Msg & data rates may apply. ${OPT_OUT_TEXT}.`;
}

/**
 * The one text confirming an opt-out Twilio didn't confirm itself (a STOP in the shopper's own
 * words). The FCC allows exactly one confirmation, sent within five minutes of the request and
 * with no marketing in it (47 CFR § 64.1200(a)(12), FCC 24-24); CTIA's Messaging Principles ask
 * that it name the program and say no more messages will be sent. It goes back as the webhook's
 * TwiML reply, at once.
 */
export function optOutConfirmation(brand: string | null): string {
  return `${brand ?? "This number"}: You're unsubscribed and will get no more texts from us. Reply START to resubscribe.`;
}
