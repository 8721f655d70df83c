import { startFakeTwilio } from "../../tests/mocks/twilio";
import { createBenchDatabase } from "./bench-database";
import { outboxOutcome, prepareOutbox, runDispatchers } from "./dispatch-run";
import type { BenchSizes } from "./options";
import { figure, percentile, round, type ScenarioReport } from "./results";

const SCENARIO = "send-lag";
const START_LEAD_MS = 1_000; // after every dispatcher is up, before the first text falls due
// Freshly started workers run cold (JIT, connections, prepared statements) for their first
// seconds: texts due then are reported on their own, as the cost of a (re)start.
const COLD_START_MS = 5_000;

/**
 * Scenario 3: texts coming due evenly over a window, sent by the dispatcher processes as they
 * fall due; lag = when the fake Twilio accepted the text − when it was due. The window is
 * sized so texts arrive at half the dispatch rate measured in the same run (or the size's
 * maximum window), i.e. where "the rate limit allows". The goal is judged on texts due after
 * the workers' first COLD_START_MS; the texts due during it get figures of their own.
 */
export async function benchSendLag(sizes: BenchSizes["sendLag"], measuredTextsPerSecond?: number): Promise<ScenarioReport> {
  const started = Date.now();
  const postgres = Boolean(process.env.DATABASE_URL);
  const workers = postgres ? 4 : 1;
  const arrivalPerSecond = measuredTextsPerSecond ? 0.5 * measuredTextsPerSecond : sizes.defaultArrivalPerSecond;
  // At least twice the cold start, so some texts always fall due after it (a quick run's few).
  const windowSeconds = Math.min(sizes.maxWindowSeconds, Math.max((2 * COLD_START_MS) / 1000, Math.ceil(sizes.messages / arrivalPerSecond)));
  const notes = [
    `${sizes.messages} texts due evenly over ${windowSeconds} s (${round(sizes.messages / windowSeconds, 1)}/s), ${workers} dispatcher process${workers > 1 ? "es" : ""}` +
      (measuredTextsPerSecond ? `; arrival rate set to half the ${round(measuredTextsPerSecond, 1)} texts/s measured by the dispatch scenario` : ""),
  ];
  const fake = await startFakeTwilio();
  const db = createBenchDatabase("lag");
  try {
    const placeholder = new Date(Date.now() + 3_600_000);
    // Seeded an hour ahead; once every dispatcher is up, the first moves them to start just after.
    await prepareOutbox(db, {
      shops: 10,
      shoppers: sizes.shoppers,
      messages: sizes.messages,
      dueFrom: placeholder,
      plannedFrom: new Date(Date.now() - 60_000),
      windowMs: windowSeconds * 1000,
      ratePerSecond: 1000,
    });
    await runDispatchers(db, fake, workers, windowSeconds + 300, START_LEAD_MS);
    const sentAt = new Map(fake.messages.map((m) => [m.sid, m.dateCreated.getTime()]));
    const outcome = await outboxOutcome(db, fake, (sql) =>
      sql.query<{ provider_sid: string; due_at: Date }>(`SELECT provider_sid, due_at FROM scheduled_message WHERE status = 'sent'`),
    );
    const due = outcome.more.map((row) => ({ due: new Date(row.due_at).getTime(), sent: sentAt.get(row.provider_sid)! }));
    const windowStart = Math.min(...due.map((d) => d.due));
    const lags = (cold: boolean) => due.filter((d) => d.due < windowStart + COLD_START_MS === cold).map((d) => d.sent - d.due);
    const [warm, cold] = [lags(false), lags(true)];
    notes.push(`${outcome.statuses}; ${cold.length} texts fell due in the workers' first ${COLD_START_MS / 1000} s (cold start), ${warm.length} after`);
    const p50 = percentile(warm, 50);
    const p99 = percentile(warm, 99);
    return {
      scenario: SCENARIO,
      figures: [
        figure(SCENARIO, "due→sent p50", p50, "ms", { reference: { name: "poll interval", value: 250, unit: "ms" } }),
        figure(SCENARIO, "due→sent p99", p99, "ms", {
          reference: { name: "poll interval", value: 250, unit: "ms" },
          goal: "< 1000 ms",
          met: p99 === null ? null : p99 < 1000,
          note: `max ${round(Math.max(...warm), 0)} ms over ${warm.length} texts due after the first ${COLD_START_MS / 1000} s`,
        }),
        figure(SCENARIO, `due→sent p99, first ${COLD_START_MS / 1000} s (cold start)`, percentile(cold, 99), "ms", {
          reference: { name: "poll interval", value: 250, unit: "ms" },
          note: `p50 ${round(percentile(cold, 50) ?? 0, 0)} ms over ${cold.length} texts due while the workers warmed up`,
        }),
      ],
      notes,
      seconds: round((Date.now() - started) / 1000, 1),
    };
  } finally {
    await fake.close();
    await db.drop();
  }
}
