import pino, { type LevelWithSilent } from "pino";

/**
 * Structured one-line JSON logs (pino): debug and info on stdout, warn and error on stderr, so
 * a command whose stdout is its result (the demo's --ci summary) stays clean at LOG_LEVEL=warn.
 * Phone numbers should be masked (maskPhone) before they reach a log line; the redaction below
 * is the net under that, and under a secret passed by mistake.
 */

/**
 * Keys whose values never reach a log line, in the context or one level down (`headers`,
 * `credentials`, a session). Not deeper: each wildcard level multiplies what redaction costs
 * every line, and contexts are flat objects built at the call.
 */
const SECRET_KEYS = [
  ...["token", "accessToken", "access_token", "refreshToken", "refresh_token", "authToken", "auth_token", "idToken", "id_token"],
  ...["apiSecret", "api_secret", "secret", "password", "authorization", "Authorization", "cookie", "x-shopify-access-token", "X-Shopify-Access-Token"],
];
/** Keys holding a phone number: logged masked, as maskPhone does. */
const PHONE_KEYS = ["phone", "to", "from"];
const REDACT_PATHS = [...SECRET_KEYS, ...PHONE_KEYS].flatMap((key) => [`["${key}"]`, `*["${key}"]`]);

function censor(value: unknown, at: string[]): unknown {
  if (PHONE_KEYS.includes(at.at(-1)!) && (typeof value === "string" || value == null)) return maskPhone(value);
  return "[Redacted]";
}

/** Name and message only, as before pino: a stack or an error's own fields (a vendor's response) can carry more than we mean to log. */
const errorFields = (value: unknown) => (value instanceof Error ? { name: value.name, message: value.message } : value);

const logger = pino(
  {
    level: "info",
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { error: errorFields, err: errorFields },
    redact: { paths: REDACT_PATHS, censor },
  },
  // process.stdout/stderr, not pino.destination(fd): written in the caller's turn (pipes and
  // files are synchronous on Linux), and anything that wraps the streams sees the lines.
  pino.multistream(
    [
      { level: "trace", stream: process.stdout },
      { level: "warn", stream: process.stderr },
    ],
    { dedupe: true },
  ),
);

/** LOG_LEVEL, read at each call: entry scripts set it after their imports have loaded this module. */
function syncLevel(): void {
  const configured = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info");
  const level = Object.hasOwn(logger.levels.values, configured) || configured === "silent" ? (configured as LevelWithSilent) : "info";
  if (logger.level !== level) logger.level = level;
}

type Context = Record<string, unknown>;
const at =
  (level: "debug" | "info" | "warn" | "error") =>
  (message: string, context?: Context): void => {
    syncLevel();
    if (context) logger[level](context, message);
    else logger[level](message);
  };

export const log = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };

/** +16135550123 -> +1613***0123 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length <= 8 ? "***" : `${phone.slice(0, 5)}***${phone.slice(-4)}`;
}
