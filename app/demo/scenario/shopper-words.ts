/**
 * What the demo's simulated shoppers text back in their own words (issue #21, item 5): opt-outs
 * as people write them, which the app must honour like a bare STOP, and questions, some of which
 * read like an opt-out, for the merchant's inbox. Chosen by a hash of the phone number, not the
 * scenario's random stream, so the seeded week plays out as before: the same shoppers opt out,
 * and questions come only after the post-purchase text, when no other text is due that week.
 * scripts/lib/demo-simulation.ts passes these to the store simulator.
 */
export interface ShopperWords {
  /** What a shopper who wants no more texts replies. */
  optOut(phone: string): string;
  /** A question after the post-purchase text, or null for a shopper who stays silent. */
  question(phone: string): string | null;
}

const OPT_OUTS = ["STOP", "please stop texting me", "Stop.", "UNSUBSCRIBE ME", "stop sending these pls", "take me off your list", "no more texts please"];

const QUESTIONS = [
  "Do you have the parka in blue?",
  "When will my order ship?",
  "can I change the size on my order?",
  "Is there a store near Boston?",
  // Possible opt-outs: flagged in the inbox for the merchant to confirm.
  "can I cancel my order?",
  "not interested in more deals tbh, but thanks",
];

function hash(phone: string): number {
  let h = 2166136261;
  for (const ch of phone) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

export const DEMO_SHOPPER_WORDS: ShopperWords = {
  optOut: (phone) => OPT_OUTS[hash(phone) % OPT_OUTS.length]!,
  // About one shopper in three asks something.
  question: (phone) => (hash(`q${phone}`) % 3 === 0 ? QUESTIONS[hash(phone) % QUESTIONS.length]! : null),
};
