export type ReplyKeyword = "stop" | "start" | "help";

// CTIA and Twilio's default opt-out, opt-in and help keywords, matched on the whole reply.
const STOP = new Set(["STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "OPT OUT", "REVOKE"]);
const START = new Set(["START", "UNSTOP", "YES"]);
const HELP = new Set(["HELP", "INFO"]);

/**
 * What a reply asks for. Twilio's Advanced Opt-Out sends OptOutType; without it we read the
 * body ourselves. Anything else is an ordinary reply.
 */
export function classifyReply(body: string, optOutType?: string | null): ReplyKeyword | null {
  const type = optOutType?.toUpperCase();
  if (type === "STOP") return "stop";
  if (type === "START") return "start";
  if (type === "HELP") return "help";
  const word = body.trim().toUpperCase().replace(/[.!\s]+$/, "").replace(/\s+/g, " ");
  if (STOP.has(word)) return "stop";
  if (START.has(word)) return "start";
  if (HELP.has(word)) return "help";
  return null;
}
