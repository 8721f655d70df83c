import { startFakeTwilio } from "../../tests/mocks/twilio";
import { createBenchDatabase } from "./bench-database";
import { expectOwnSenders, outboxOutcome, ownSenders, prepareOutbox, runDispatchers } from "./dispatch-run";
import type { BenchSizes } from "./options";
import { figure, p99ByTenth, percentile, round, type ScenarioReport } from "./results";

const SCENARIO = "send-lag";
const SHOPS = 10; // each with its own sender, as in the dispatch scenario
// From the moment the due times are set to the first text falling due: room for the VACUUM
// after the move and for every dispatcher process to start (each prints when it polls).
const START_LEAD_MS = 20_000;
// Dispatchers that have only polled so far run their send path cold (JIT, the pool's other
// connections, prepared statements) for the first seconds of load: the texts due then are
// reported on their own, as the cost of a (re)start.
const COLD_START_MS = 5_000;

/**
 * Scenario 3: texts coming due evenly over a window, sent by the dispatcher processes as they
 * fall due; lag = when the fake Twilio accepted the text − when it was due. The window is
 * sized so texts arrive at half the dispatch rate measured in the same run (or at --arrival's
 * rate, or the size's default; at most the size's maximum window), i.e. where "the rate limit allows". The goal is judged on every text; those
 * due in the first COLD_START_MS also get a figure of their own, and a note shows the p99 of
 * each tenth of the window.
 */
export async function benchSendLag(sizes: BenchSizes["sendLag"], arrival?: { perSecond: number; why: string }): Promise<ScenarioReport> {
  const started = Date.now();
  const postgres = Boolean(process.env.DATABASE_URL);
  const workers = postgres ? 4 : 1;
  const arrivalPerSecond = arrival?.perSecond ?? sizes.defaultArrivalPerSecond;
  // At least twice the cold start, so some texts always fall due after it (a quick run's few).
  const windowSeconds = Math.min(sizes.maxWindowSeconds, Math.max((2 * COLD_START_MS) / 1000, Math.ceil(sizes.messages / arrivalPerSecond)));
  const notes = [
    `${sizes.messages} texts due evenly over ${windowSeconds} s (${round(sizes.messages / windowSeconds, 1)}/s), ${workers} dispatcher process${workers > 1 ? "es" : ""}` +
      (arrival ? `; arrival rate ${arrival.why}` : ""),
  ];
  const fake = await startFakeTwilio();
  const db = createBenchDatabase("lag");
  try {
    // Seeded an hour ahead, then moved to start START_LEAD_MS from now and vacuumed, before any
    // dispatcher starts: a live outbox has no 100k freshly dead row versions for the claim to
    // step over, and a move made while the dispatchers ran would take seconds (100k rows and
    // their indexes) that would count as lag.
    await prepareOutbox(
      db,
      {
        shops: SHOPS,
        shoppers: sizes.shoppers,
        messages: sizes.messages,
        dueFrom: new Date(Date.now() + 3_600_000),
        plannedFrom: new Date(Date.now() - 60_000),
        windowMs: windowSeconds * 1000,
        ratePerSecond: 1000,
      },
      async (sql) => {
        await ownSenders(sql, SHOPS);
        await sql.query(`UPDATE scheduled_message SET due_at = due_at + ((clock_timestamp() + $1::bigint * interval '1 millisecond') - (SELECT min(due_at) FROM scheduled_message))`, [START_LEAD_MS]);
        await sql.exec("VACUUM scheduled_message");
      },
    );
    const { allReadyAt } = await runDispatchers(db, fake, workers, windowSeconds + 300);
    expectOwnSenders(fake.messages, SHOPS);
    const sentAt = new Map(fake.messages.map((m) => [m.sid, m.dateCreated.getTime()]));
    const outcome = await outboxOutcome(db, fake, (sql) => sql.query<{ provider_sid: string; due_at: Date }>(`SELECT provider_sid, due_at FROM scheduled_message WHERE status = 'sent'`));
    const due = outcome.more.map((row) => ({ due: new Date(row.due_at).getTime(), sent: sentAt.get(row.provider_sid)! }));
    const windowStart = Math.min(...due.map((d) => d.due));
    const readyBefore = (windowStart - allReadyAt) / 1000;
    notes.push(
      readyBefore >= 0
        ? `every dispatcher was polling ${round(readyBefore, 1)} s before the first text fell due`
        : `the last dispatcher started ${round(-readyBefore, 1)} s after the first text fell due: its start-up counts as lag (raise START_LEAD_MS)`,
    );
    const all = due.map((d) => d.sent - d.due);
    const cold = due.filter((d) => d.due < windowStart + COLD_START_MS).map((d) => d.sent - d.due);
    notes.push(`${outcome.statuses}; ${cold.length} of them fell due in the first ${COLD_START_MS / 1000} s (cold start)`);
    const tenths = p99ByTenth(
      due.map((d) => ({ at: d.due - windowStart, ms: d.sent - d.due })),
      windowSeconds * 1000,
    );
    notes.push(`p99 by tenth of the window, in order: ${tenths.join(", ")} ms`);
    const p99 = percentile(all, 99);
    return {
      scenario: SCENARIO,
      figures: [
        figure(SCENARIO, "due→sent p50", percentile(all, 50), "ms", { reference: { name: "poll interval", value: 250, unit: "ms" } }),
        figure(SCENARIO, "due→sent p99", p99, "ms", {
          reference: { name: "poll interval", value: 250, unit: "ms" },
          goal: "< 1000 ms",
          met: p99 === null ? null : p99 < 1000,
          note: `max ${round(Math.max(...all), 0)} ms over ${all.length} texts`,
        }),
        figure(SCENARIO, `due→sent p99, first ${COLD_START_MS / 1000} s (cold start)`, percentile(cold, 99), "ms", {
          reference: { name: "poll interval", value: 250, unit: "ms" },
          note: `p50 ${round(percentile(cold, 50) ?? 0, 0)} ms over ${cold.length} texts due while the dispatchers warmed up`,
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
