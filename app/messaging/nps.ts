/**
 * Reads a reply to the NPS question ("How likely are you to recommend … Reply 0-10") as a
 * score, or null when it isn't one. Pure. Only replies from a shopper who was asked reach it
 * (app/services/inbound-sms.server.ts), so a short text with one number from 0 to 10 is
 * taken as the answer: "9", "9!", "I'd say 8", "8/10", "10 out of 10", "ten".
 *
 * It refuses rather than guess: two numbers ("7 or 8", "6-7"), a number above 10 ("order
 * 1234"), a fraction ("8.5"), or a long message (a question, a complaint that happens to hold
 * a digit) are not scores. A wrong score would skew the figure; a missed one only shrinks it.
 */

const WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

/** Longer than this, a reply is a message, not an answer. */
const MAX_LENGTH = 40;
const MAX_WORDS = 6;

export function parseNpsReply(body: string): number | null {
  const text = body.trim().toLowerCase();
  if (text === "" || text.length > MAX_LENGTH || text.split(/\s+/).length > MAX_WORDS) return null;
  // "8/10", "8 / 10", "8 out of 10", "8 of 10": the scale, not a second number.
  const unscaled = text.replace(/\s*(\/|out of|of)\s*10\b/g, " ");
  if (/\d[.,]\d/.test(unscaled) || /(^|\s)-\s*\d/.test(unscaled)) return null;
  const numbers = [...unscaled.matchAll(/\d+/g)].map((m) => Number(m[0]));
  const words = [...unscaled.matchAll(/[a-z]+/g)].map((m) => WORDS[m[0]]).filter((n) => n !== undefined);
  const found = [...numbers, ...words];
  if (found.length !== 1) return null;
  const score = found[0]!;
  return score >= 0 && score <= 10 ? score : null;
}
