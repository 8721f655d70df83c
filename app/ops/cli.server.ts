import { parseArgs } from "node:util";
import { normalizePhone } from "../lib/phone";
import { PRESET_SCENARIOS, ScenarioSchema } from "../simulator/scenarios";
import { describeRow } from "../simulator/describe";
import { runDoctor, type Check } from "./doctor.server";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  now: () => Date;
}

const USAGE = `Usage: npm run nudge -- <command>

  doctor [--json]                                 check env, database, migrations, sending, shop tokens, consent sync, webhooks in, Twilio, webhooks
  inspect shopper <phone> --shop <domain>         a shopper's timeline as JSON
  consent-sync retry [--shop <domain>]            re-queue the consent changes the doctor reports as parked
  webhooks retry [--shop <domain>]                re-queue the webhooks the doctor reports as parked
  simulate --shop <domain> [--preset <id>] [--phone <e164>] [--start HH:MM] [--control-group]
                                                  the journey simulator; presets: ${PRESET_SCENARIOS.map((p) => p.id).join(", ")}`;

/** The ops CLI. Returns the exit code; all output goes through `io`. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      json: { type: "boolean" },
      shop: { type: "string" },
      preset: { type: "string" },
      phone: { type: "string" },
      start: { type: "string" },
      "control-group": { type: "boolean" },
    },
  });
  const [command, ...rest] = positionals;
  switch (command) {
    case "doctor":
      return doctor(io, Boolean(values.json));
    case "inspect":
      if (rest[0] !== "shopper" || !rest[1] || typeof values.shop !== "string") return usage(io, "inspect needs: shopper <phone> --shop <domain>");
      return inspectShopper(io, values.shop, rest[1]);
    case "consent-sync":
      if (rest[0] !== "retry") return usage(io, "consent-sync needs: retry [--shop <domain>]");
      return retryConsentSync(io, typeof values.shop === "string" ? values.shop : undefined);
    case "webhooks":
      if (rest[0] !== "retry") return usage(io, "webhooks needs: retry [--shop <domain>]");
      return retryWebhooks(io, typeof values.shop === "string" ? values.shop : undefined);
    case "simulate":
      if (typeof values.shop !== "string") return usage(io, "simulate needs --shop <domain>");
      return simulate(io, values.shop, {
        preset: values.preset as string | undefined,
        phone: values.phone as string | undefined,
        start: values.start as string | undefined,
        controlGroup: Boolean(values["control-group"]),
      });
    default:
      return usage(io, command ? `unknown command: ${command}` : null);
  }
}

function usage(io: CliIo, problem: string | null): number {
  if (problem) io.err(problem);
  io.err(USAGE);
  return problem ? 2 : 0;
}

async function doctor(io: CliIo, json: boolean): Promise<number> {
  const checks = await runDoctor({ env: io.env, now: io.now });
  if (json) io.out(JSON.stringify(checks, null, 2));
  else for (const check of checks) io.out(formatCheck(check));
  return checks.some((c) => c.status === "fail") ? 1 : 0;
}

const MARK = { ok: "✓", warn: "!", fail: "✗" } as const;
const formatCheck = (c: Check) => `${MARK[c.status]} ${c.name.padEnd(12)} ${c.detail}`;

async function inspectShopper(io: CliIo, shop: string, rawPhone: string): Promise<number> {
  const phone = normalizePhone(rawPhone);
  if (!phone) return fail(io, `not a phone number: ${rawPhone}`);
  const { database } = await import("../db.server");
  const { shopperTimeline } = await import("../services/shopper-directory.server");
  const { prisma, sql } = await database();
  const shopper = await prisma.shopper.findFirst({ where: { shop, phone: phone.e164 }, select: { id: true } });
  const timeline = shopper ? await shopperTimeline({ prisma, sql }, shop, shopper.id) : null;
  if (!timeline) return fail(io, `no shopper with ${phone.e164} in ${shop}`);
  io.out(JSON.stringify(timeline, null, 2));
  return 0;
}

async function retryConsentSync(io: CliIo, shop: string | undefined): Promise<number> {
  const { database } = await import("../db.server");
  const { retryParkedConsentSync } = await import("../consent-sync/queue.server");
  const { sql } = await database();
  const count = await retryParkedConsentSync(sql, { shop, now: io.now() });
  io.out(`${count} parked consent change${count === 1 ? "" : "s"} re-queued for Shopify${shop ? ` (${shop})` : ""}`);
  return 0;
}

async function retryWebhooks(io: CliIo, shop: string | undefined): Promise<number> {
  const { database } = await import("../db.server");
  const { retryParkedWebhooks } = await import("../webhooks/inbox.server");
  const { sql } = await database();
  const count = await retryParkedWebhooks(sql, { shop, now: io.now() });
  io.out(`${count} parked webhook${count === 1 ? "" : "s"} re-queued for ingest${shop ? ` (${shop})` : ""}; the worker takes them within a second`);
  return 0;
}

async function simulate(io: CliIo, shop: string, options: { preset?: string; phone?: string; start?: string; controlGroup: boolean }): Promise<number> {
  const preset = PRESET_SCENARIOS.find((p) => p.id === (options.preset ?? PRESET_SCENARIOS[0]!.id));
  if (!preset) return fail(io, `unknown preset: ${options.preset}`);
  const scenario = ScenarioSchema.safeParse({
    ...preset.scenario,
    ...(options.phone ? { phone: options.phone } : {}),
    ...(options.start ? { startTime: options.start } : {}),
    inControlGroup: options.controlGroup,
  });
  if (!scenario.success) return fail(io, scenario.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  const { database } = await import("../db.server");
  const { runSimulator } = await import("../services/journey-simulator.server");
  const prisma = (await database()).prisma;
  if (!(await prisma.shop.findUnique({ where: { domain: shop }, select: { domain: true } }))) return fail(io, `no shop ${shop}`);
  const run = await runSimulator(prisma, shop, scenario.data, io.now());
  if (!run.ok) return fail(io, Object.values(run.errors).join("\n"));
  const local = (at: number) => new Date(at).toLocaleString("sv-SE", { timeZone: run.shopperZone }).slice(0, 16);
  io.out(
    JSON.stringify(
      {
        scenario: preset.name,
        shopperZone: run.shopperZone,
        window: run.window,
        timeline: run.result.timeline.map((row) => {
          const shown = describeRow(row, local);
          return { at: new Date(row.at).toISOString(), local: local(row.at), outcome: shown.outcome, what: shown.what, ...(shown.body ? { body: shown.body } : {}) };
        }),
        notes: run.result.notes,
      },
      null,
      2,
    ),
  );
  return 0;
}

function fail(io: CliIo, message: string): number {
  io.err(message);
  return 1;
}
