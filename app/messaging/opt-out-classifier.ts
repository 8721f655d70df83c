/**
 * Reads an opt-out in a shopper's own words. Deterministic and pure: the same text always gets
 * the same answer, and the rule that decided it is named, so it can be stored as evidence.
 *
 * Why: since April 11, 2025 the FCC's TCPA rule lets a consumer revoke consent "using any
 * reasonable method to clearly express a desire not to receive further calls or text messages";
 * "stop", "quit", "end", "revoke", "opt out", "cancel" and "unsubscribe" in reply to a text are
 * reasonable per se, and other words count when a reasonable person would read them as a
 * revocation (47 CFR § 64.1200(a)(10), FCC 24-24, CG Docket No. 02-278). CTIA's Messaging
 * Principles and Best Practices ask senders to honour the standard keywords and "other
 * reasonable means" of opting out, and carriers list ARRET (French) and BAJA / PARAR (Spanish)
 * beside them. See docs/decisions/020-free-text-opt-outs.md.
 *
 * Ambiguous texts ("can you stop by the store?") are not opt-outs: they are "possible" ones,
 * kept with the reply for the merchant to confirm with one click.
 */
type OptOutKind = "opt_out" | "possible_opt_out" | "none";

export interface OptOutVerdict {
  kind: OptOutKind;
  /** Which rule decided it, e.g. "keyword:STOP", "fuzzy:UNSUBSCRIBE", "phrase:stop_texting"; null for none. */
  rule: string | null;
}

interface Keyword {
  /** As carriers spell it, for the rule name. */
  name: string;
  /** Normalised tokens (lower case, no accents), e.g. ["stop", "all"]. */
  tokens: string[];
  /**
   * Edit distance 1 (one letter added, dropped, changed, or two neighbours swapped) also
   * matches, for a one-word keyword. Only for keywords whose neighbours are not everyday words:
   * END ("and", "send", "ends"), QUIT ("quiet", "quite", "suit"), PARAR ("para"), BAJA ("caja")
   * and ARRET ("arrest") match exactly only. STOP's real-word neighbours ("shop", "step", "top")
   * are refused by NOT_TYPOS.
   */
  fuzzy: boolean;
  /** An opt-out wherever it appears (unless negated): words with no everyday meaning. */
  anywhere: boolean;
  /** Seen inside a longer text that isn't clearly an opt-out: flag it as a possible one. */
  flagInSentence: boolean;
}

const KEYWORDS: Keyword[] = [
  { name: "STOP ALL", tokens: ["stop", "all"], fuzzy: false, anywhere: false, flagInSentence: true },
  { name: "OPT OUT", tokens: ["opt", "out"], fuzzy: false, anywhere: true, flagInSentence: true },
  { name: "STOP", tokens: ["stop"], fuzzy: true, anywhere: false, flagInSentence: true },
  { name: "STOPALL", tokens: ["stopall"], fuzzy: true, anywhere: true, flagInSentence: true },
  { name: "UNSUBSCRIBE", tokens: ["unsubscribe"], fuzzy: true, anywhere: true, flagInSentence: true },
  { name: "UNSUB", tokens: ["unsub"], fuzzy: false, anywhere: true, flagInSentence: true },
  { name: "CANCEL", tokens: ["cancel"], fuzzy: true, anywhere: false, flagInSentence: true },
  { name: "END", tokens: ["end"], fuzzy: false, anywhere: false, flagInSentence: false },
  { name: "QUIT", tokens: ["quit"], fuzzy: false, anywhere: false, flagInSentence: true },
  { name: "REVOKE", tokens: ["revoke"], fuzzy: true, anywhere: false, flagInSentence: true },
  { name: "OPTOUT", tokens: ["optout"], fuzzy: true, anywhere: true, flagInSentence: true },
  // French and Spanish carrier keywords (ARRÊT arrives as "arret" once accents are dropped).
  { name: "ARRET", tokens: ["arret"], fuzzy: false, anywhere: false, flagInSentence: true },
  { name: "ARRETE", tokens: ["arrete"], fuzzy: false, anywhere: false, flagInSentence: true },
  { name: "BAJA", tokens: ["baja"], fuzzy: false, anywhere: false, flagInSentence: true },
  { name: "PARAR", tokens: ["parar"], fuzzy: false, anywhere: false, flagInSentence: true },
  { name: "CANCELAR", tokens: ["cancelar"], fuzzy: false, anywhere: false, flagInSentence: true },
];

/** Everyday words one edit from a fuzzy keyword: never read as a misspelt keyword. */
const NOT_TYPOS = new Set(["shop", "step", "top", "atop", "stoop", "stomp", "strop", "slop", "stow", "swop", "sop", "scop", "cancer", "evoke"]);

/** Words that may surround a keyword without changing what it says ("STOP please", "unsubscribe me"). */
const FILLER = new Set(
  "please pls plz plse pleas me now it all just ok okay can yes yeah yep no nope thanks thank you thx ty asap immediately already again i said ive told u you texts text txt txts messages message msgs sms them this these that now right hi hey hello sorry seriously lol the my number".split(
    " ",
  ),
);

/** Unambiguous phrases: an opt-out wherever they appear, unless negated ("don't stop sending"). */
const PHRASES: { rule: string; pattern: RegExp }[] = [
  {
    rule: "phrase:stop_texting",
    pattern:
      /\bstop(?:\s+(?:all|the|these|those|your|ur|this|with|sending|me|them|us|of))*\s+(?:texting|txting|texing|texts?|txts?|messaging|messages?|msgs?|sms|sending|contacting|spamming|spam|calling|emailing|promos?|promotions?|ads|marketing|notifications?|alerts?)\b/,
  },
  { rule: "phrase:remove_me", pattern: /\b(?:remove|delete|erase|drop|lose)\s+(?:me|my\s+(?:number|phone|cell|contact|info))\b/ },
  { rule: "phrase:take_me_off", pattern: /\btake\s+(?:me|my\s+(?:number|phone|cell))\s+off\b/ },
  { rule: "phrase:off_your_list", pattern: /\boff\s+(?:of\s+)?(?:your|ur|the|this|that|these|all)\s+(?:\w+\s+)?lists?\b(?!\s+price)/ },
  { rule: "phrase:no_more", pattern: /^(?:no\s+(?:more|mas)|enough)(?:\s+(?:please|pls|plz|thanks?|thx|ty|por\s+favor))?$/ },
  { rule: "phrase:dont_text_me", pattern: /\b(?:dont|do\s+not|don\s+t|never)\s+(?:ever\s+)?(?:text|txt|message|msg|contact|sms|send)\s+(?:me|this\s+number|my\s+number)\b/ },
  { rule: "phrase:no_more_texts", pattern: /\bno\s+more\s+(?:texts?|txts?|messages?|msgs?|sms|promos?|spam|marketing)\b/ },
  {
    rule: "phrase:dont_want_texts",
    pattern:
      /\b(?:dont|do\s+not|don\s+t|no\s+longer)\s+(?:want|wish\s+to\s+receive|need)\s+(?:to\s+(?:receive|get)\s+)?(?:any\s+|these\s+|your\s+|ur\s+|the\s+|more\s+)*(?:texts?|txts?|messages?|msgs?|sms|promos?|marketing)\b/,
  },
  { rule: "phrase:opt_me_out", pattern: /\b(?:opt|sign|count)\s+me\s+out\b/ },
  { rule: "phrase:cancel_subscription", pattern: /\bcancel\s+(?:my\s+|the\s+|this\s+|your\s+|these\s+|all\s+)*(?:subscription|texts?|txts?|messages?|sms|alerts?|notifications?)\b/ },
  { rule: "phrase:leave_me_alone", pattern: /\bleave\s+me\s+alone\b/ },
  { rule: "phrase:wrong_number", pattern: /\bwrong\s+(?:number|person|#)\b/ },
  { rule: "phrase:go_away", pattern: /\b(?:fuck|f|piss|buzz|bugger)\s+off\b/ },
  // Spanish: "darme/dame de baja" (unsubscribe me), "no más mensajes", "no me envíes/manden más".
  { rule: "phrase:dar_de_baja", pattern: /\b(?:darme|dame|denme|dar|dieron)\s+de\s+baja\b/ },
  { rule: "phrase:no_mas_mensajes", pattern: /\bno\s+(?:mas|quiero)\s+(?:mas\s+)?(?:mensajes|textos|sms)\b/ },
  { rule: "phrase:no_me_envien", pattern: /\bno\s+me\s+(?:envie|envies|envien|manden|mandes|escriban|escribas)\b/ },
  // French: "arrêtez de m'envoyer", "ne plus recevoir", "désabonner".
  { rule: "phrase:arretez_de", pattern: /\barret(?:ez|e|er)\s+de\b/ },
  { rule: "phrase:desabonner", pattern: /\bdesabonne[rz]?\b|\bdesinscri(?:re|vez|s)\b/ },
];

/** Words that, just before a phrase or keyword, turn it around: "don't stop sending", "never unsubscribe". */
const NEGATION = /\b(?:dont|do\s+not|don\s+t|never|not|didnt|did\s+not|wont|will\s+not|why\s+did|how\s+come|accidentally|by\s+mistake)\s+(?:\w+\s+){0,3}$/;

/** Short replies that decline an offer: maybe an opt-out, the merchant decides. */
const POSSIBLE_PHRASES: { rule: string; pattern: RegExp }[] = [
  { rule: "possible:not_interested", pattern: /^(?:no\s+)?(?:thanks?\s+)?(?:i\s*m\s+|im\s+|i\s+am\s+)?not\s+interested\b/ },
  { rule: "possible:no_thanks", pattern: /^no\s+(?:thanks?|thank\s+you|thx|ty)$/ },
  { rule: "possible:too_many_texts", pattern: /\btoo\s+many\s+(?:texts?|messages?|msgs?)\b/ },
  { rule: "possible:who_is_this", pattern: /^who\s+(?:is\s+this|this\s+is|r\s+u|are\s+you)$/ },
];

const STOP_SIGN = /^(?:\u{1F6D1}\uFE0F?\s*)+$/u;

/** The verdict for one inbound text. */
export function classifyOptOut(body: string): OptOutVerdict {
  const trimmed = body.trim();
  // 🛑 alone: a stop sign is a reasonable person's "stop".
  if (STOP_SIGN.test(trimmed)) return { kind: "opt_out", rule: "emoji:stop_sign" };
  const text = normalise(trimmed.replace(/\u{1F6D1}/gu, " stop "));
  const tokens = text.split(" ").filter(Boolean);
  if (tokens.length === 0) return none();

  const whole = keywordOnly(tokens);
  if (whole) return { kind: "opt_out", rule: whole };

  for (const { rule, pattern } of PHRASES) {
    const match = pattern.exec(text);
    if (!match) continue;
    // "don't text me" is itself the phrase; other phrases after a negation are only possible ones.
    if (rule !== "phrase:dont_text_me" && rule !== "phrase:dont_want_texts" && negatedBefore(text.slice(0, match.index))) return { kind: "possible_opt_out", rule: `negated:${rule}` };
    return { kind: "opt_out", rule };
  }

  // Unambiguous words anywhere: "how do I unsubscribe?", "unsubscibe from this", "I want to opt out".
  for (let i = 0; i < tokens.length; i++) {
    const match = matchKeyword(tokens, i, "anywhere");
    if (!match?.keyword.anywhere) continue;
    const rule = `${match.fuzzy ? "fuzzy" : "keyword"}:${match.keyword.name}`;
    if (negatedBefore(`${tokens.slice(0, i).join(" ")} `)) return { kind: "possible_opt_out", rule: `negated:${rule}` };
    return { kind: "opt_out", rule };
  }

  for (const { rule, pattern } of POSSIBLE_PHRASES) if (pattern.test(text)) return { kind: "possible_opt_out", rule };
  // A keyword inside an ordinary sentence ("when does the sale stop?"): possible, not certain.
  for (let i = 0; i < tokens.length; i++) {
    const keyword = matchKeyword(tokens, i, "exact");
    if (keyword?.keyword.flagInSentence) return { kind: "possible_opt_out", rule: `in_sentence:${keyword.keyword.name}` };
  }
  // A misspelt keyword standing alone that is also a real word ("Shop"): possible.
  if (tokens.length === 1 && NOT_TYPOS.has(tokens[0]!)) return { kind: "possible_opt_out", rule: `near_keyword:${tokens[0]}` };
  return none();
}

/** Lower case, accents dropped (ARRÊT → arret), apostrophes removed (don't → dont), punctuation to spaces. */
function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’‘`´]/g, "")
    .replace(/[^a-z0-9#]+/g, " ")
    .trim();
}

/** The whole text is keywords and filler words ("STOP please", "Stop stop stop", "unsubscribe me"). */
function keywordOnly(tokens: string[]): string | null {
  let found: string | null = null;
  let fuzzyFound: string | null = null;
  for (let i = 0; i < tokens.length;) {
    const match = matchKeyword(tokens, i, "whole_message");
    if (match) {
      if (match.fuzzy) fuzzyFound ??= match.keyword.name;
      else found ??= match.keyword.name;
      i += match.keyword.tokens.length;
      continue;
    }
    if (!FILLER.has(tokens[i]!)) return null;
    i++;
  }
  if (found) return `keyword:${found}`;
  return fuzzyFound ? `fuzzy:${fuzzyFound}` : null;
}

function matchKeyword(tokens: string[], at: number, mode: "exact" | "whole_message" | "anywhere"): { keyword: Keyword; fuzzy: boolean } | null {
  // KEYWORDS lists two-word keywords first, so "stop all" wins over "stop".
  const exact = KEYWORDS.find((k) => k.tokens.every((t, j) => tokens[at + j] === t));
  if (exact) return { keyword: exact, fuzzy: false };
  const token = tokens[at]!;
  if (mode === "exact" || NOT_TYPOS.has(token)) return null;
  const fuzzy = KEYWORDS.find((k) => k.fuzzy && (mode === "whole_message" || k.anywhere) && withinOneEdit(token, k.tokens[0]!));
  return fuzzy ? { keyword: fuzzy, fuzzy: true } : null;
}

/** The words before a match end in a negation. */
function negatedBefore(prefix: string): boolean {
  return NEGATION.test(prefix);
}

/**
 * True when a and b differ by at most one insertion, deletion, substitution, or swap of two
 * neighbouring letters (optimal string alignment distance ≤ 1).
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length && diffs.length <= 2; i++) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return true;
    const [i, j] = diffs;
    return diffs.length === 2 && j === i! + 1 && a[i!] === b[j] && a[j] === b[i!];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

function none(): OptOutVerdict {
  return { kind: "none", rule: null };
}
