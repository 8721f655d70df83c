import { z } from "zod";

/** What a shopper texts to subscribe when the merchant hasn't chosen another word. */
export const DEFAULT_SIGNUP_KEYWORD = "JOIN";

// Words that already mean something on every sender: Twilio's and CTIA's opt-out, opt-in and
// help keywords, and the "Y" that confirms a double opt-in. A sign-up keyword can't be one.
const RESERVED = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "START", "UNSTOP", "YES", "Y", "HELP", "INFO", "ARRET", "BAJA", "PARAR"]);

/** One word of 2–20 letters or digits, stored upper-case, never a reserved keyword. */
export const SignupKeywordSchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(
    z
      .string()
      .regex(/^[A-Z0-9]{2,20}$/, "One word of 2 to 20 letters or digits, like JOIN")
      .refine((v) => !RESERVED.has(v), "That word is a carrier keyword (STOP, START, HELP, YES, …): choose another"),
  );

/**
 * The keyword a text is, when it is one: the whole text, any case, trailing punctuation
 * dropped ("join", "Join!"). "I'd like to join" is an ordinary reply, not a sign-up.
 */
export function keywordOf(body: string): string | null {
  const word = body
    .trim()
    .toUpperCase()
    .replace(/[.!?\s]+$/, "");
  return /^[A-Z0-9]{2,20}$/.test(word) ? word : null;
}

/**
 * The double opt-in confirmation a keyword sign-up gets. The request itself is not consent:
 * the shopper subscribes by replying Y. CTIA's Messaging Principles and Best Practices (section
 * 5.1, "Consumer Consent"; 5.2.1, opt-in confirmation) ask that the confirmation name the
 * program (brand), say what will be sent and how often, carry "Msg & data rates may apply",
 * and tell how to get help (HELP) and opt out (STOP); carriers reject campaigns whose
 * confirmation misses any of them.
 */
export function keywordConfirmation(brand: string): string {
  return `${brand}: Reply Y to get recurring marketing texts (offers, cart reminders, order updates). Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`;
}
