import { z } from "zod";

// Empty strings in a .env file mean "not set", not "set to nothing".
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

// An amount in whole cents, kept as its decimal text ("0.02", "50", "12.50").
const Money = z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, "must be an amount such as 0.02 or 50.00 (at most two decimals)");

const PostgresUrl = z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL");

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1, "is required (Partner Dashboard → App → Client ID)"),
    SHOPIFY_API_SECRET: z.string().min(1, "is required (Partner Dashboard → App → Client secret)"),
    SHOPIFY_APP_URL: z.url("must be the public https URL of this app"),
    SCOPES: z.string().default("read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_app_proxy,write_pixels,read_customer_events"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000), // 0: any free port
    // Interface to listen on; 127.0.0.1 keeps the server on loopback (the benchmark does).
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: optional(PostgresUrl),
    // A stand-in Shopify (tests, staging): every call the Shopify libraries would make to
    // https://<shop>/... goes to this origin instead, with X-Shopify-Shop-Domain: <shop>.
    SHOPIFY_API_ORIGIN: optional(z.url()),
    // Postgres schema to use (tests give each file its own). Default: public.
    DATABASE_SCHEMA: optional(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")),
    // Where PGlite keeps its files when DATABASE_URL is unset; "memory://" keeps it in RAM.
    NUDGE_DATA_DIR: z.string().default("./data"),
    // Set only by the test setup (tests/setup/global-pglite-template.ts): a PGlite data-dir
    // tarball that an in-memory PGlite (NUDGE_DATA_DIR=memory://) starts from, already migrated,
    // instead of creating a cluster per test file. Harmless anywhere else: a PGlite folder and
    // PostgreSQL ignore it, and migrations still run over it.
    NUDGE_PGLITE_MEMORY_TEMPLATE: optional(z.string().min(1)),
    TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must look like AC followed by 32 hex digits")),
    TWILIO_AUTH_TOKEN: optional(z.string().min(16, "looks too short")),
    TWILIO_MESSAGING_SERVICE_SID: optional(z.string().regex(/^MG[0-9a-fA-F]{32}$/, "must look like MG followed by 32 hex digits")),
    TWILIO_FROM_NUMBER: optional(z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number such as +15005550006")),
    TWILIO_API_BASE_URL: optional(z.url()),
    // Encrypts merchants' own Twilio tokens at rest: 32 bytes, base64 or hex (openssl rand -base64 32).
    NUDGE_ENCRYPTION_KEY: optional(z.string().regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, "must be 32 bytes, base64 or hex")),
    NUDGE_TIME_SCALE: z.coerce.number().positive().max(1_000_000).default(1),
    // Where the app's clock starts (ISO time); default: now. The demo starts its simulated day at 8am.
    NUDGE_CLOCK_START: optional(z.iso.datetime({ offset: true })),
    // Set only by `npm run demo`: the built-in phone simulator's inbox API, for /demo/phones.
    NUDGE_DEMO_PHONES_URL: optional(z.url()),
    // "off" keeps the dispatcher out of the web process (run `npm run worker` instead).
    NUDGE_IN_PROCESS_WORKER: z.enum(["on", "off"]).default("on"),
    // Chunks of texts a dispatcher sends at once, each in its own transaction on its own
    // connection (docs/decisions/011-dispatch-batches.md). Keep it below the pool's 10.
    NUDGE_DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(4),
    // Hours an unknown storefront visitor's pixel events are kept for the chance they identify
    // themselves (checkout contact details, sign-up) before the worker drops them (ADR 019).
    NUDGE_VISITOR_RETENTION_HOURS: z.coerce.number().int().min(1).max(72).default(6),
    // Billing through Shopify (docs/decisions/023-billing.md): "on" (the default) sends a shop to
    // approve the plan before the admin works and charges each text sent on the app's Twilio
    // account; "off" for a self-hosted single shop. Amounts are in NUDGE_BILLING_CURRENCY, in
    // whole cents: Shopify's MoneyInput is the currency's usual decimals.
    NUDGE_BILLING: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["on", "off"]).default("on")),
    NUDGE_PRICE_PER_SEGMENT: z.preprocess((v) => (v === "" ? undefined : v), Money.default("0.02")),
    NUDGE_DEFAULT_CAP: z.preprocess((v) => (v === "" ? undefined : v), Money.default("50.00")),
    NUDGE_FLAT_FEE: optional(Money),
    NUDGE_BILLING_CURRENCY: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^[A-Z]{3}$/, "must be a currency code such as USD")
        .default("USD"),
    ),
    // Set only by `npm run demo`: enables /demo (a local stand-in for Shopify admin). Never in production.
    NUDGE_DEMO: optional(z.enum(["0", "1"])).transform((value) => value === "1"),
    // Set only by `npm run bench`: enables /bench/bare and /bench/webhook-bare, the no-work
    // reference routes the benchmarks compare against (scripts/bench/ingest.ts, collector.ts). Never in production.
    NUDGE_BENCH_ROUTES: optional(z.enum(["0", "1"])).transform((value) => value === "1"),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["TWILIO_AUTH_TOKEN"],
        message: "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together",
      });
    }
    if (env.TWILIO_ACCOUNT_SID && !env.TWILIO_MESSAGING_SERVICE_SID && !env.TWILIO_FROM_NUMBER) {
      ctx.addIssue({
        code: "custom",
        path: ["TWILIO_MESSAGING_SERVICE_SID"],
        message: "set TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER to send texts",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment, throwing one readable error that lists every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".") || "(env)"}: ${issue.message}`);
  throw new EnvError(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
}

let cached: Env | undefined;

/** The process environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
