import { availableParallelism } from "node:os";
import { startFakeTwilio } from "../../tests/mocks/twilio";
import { createBenchDatabase } from "./bench-database";
import { fakeCeiling } from "./dispatch";
import { expectOwnSenders, outboxOutcome, ownSenders, prepareOutbox, runDispatchers } from "./dispatch-run";
import type { SqlDriver } from "../../app/db/sql-driver.server";
import type { BenchSizes } from "./options";
import { figure, p99ByTenth, percentile, round, type ScenarioReport } from "./results";

const SCENARIO = "send-lag";
const SHOPS = 10; // each with its own sender, as in the dispatch scenario
// From the moment the due times are set to the first text falling due: room for the move itself
// (100k rows and their indexes, about 3 s) and the VACUUM after it. On PostgreSQL they are set
// once every dispatcher is ready (warm, listening), so the clock starts against running
// processes, as in production, where workers are up long before a text falls due; their start-up
// is not part of the lag. PGlite has one owner, so there they are set before its one dispatcher
// starts, with room for it to start too.
const START_LEAD_MS = { postgres: 15_000, pglite: 20_000 };
// The texts due in the first seconds are the dispatchers' first load after idling: reported on
// their own, so that a regression in start-up (JIT, housekeeping, connections) shows.
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
  // One dispatcher process per core, as a deployment runs them. Four on two cores (before
  // 7 Dec 2026) spent the window contending: each process ticks, claims and JITs on its own,
  // and the system ran at ~180% of 200% CPU at half the measured dispatch rate (docs/benchmarks.md).
  const workers = postgres ? availableParallelism() : 1;
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
    // Seeded an hour ahead, then moved to start START_LEAD_MS from then and vacuumed (and
    // analyzed), before the first text falls due: a live outbox has no 100k freshly dead row
    // versions for the claim to step over, and the move's own seconds must not count as lag.
    const moveDueTimes = async (sql: SqlDriver) => {
      const lead = postgres ? START_LEAD_MS.postgres : START_LEAD_MS.pglite;
      await sql.query(`UPDATE scheduled_message SET due_at = due_at + ((clock_timestamp() + $1::bigint * interval '1 millisecond') - (SELECT min(due_at) FROM scheduled_message))`, [lead]);
      await sql.exec("VACUUM ANALYZE scheduled_message");
    };
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
        if (!postgres) await moveDueTimes(sql);
      },
    );
    let movedAt: number | null = null;
    const moveOnceReady = async () => {
      const database = await db.open();
      try {
        await moveDueTimes(database.sql);
      } finally {
        await database.close();
      }
      movedAt = Date.now();
    };
    // The stand-in for Twilio runs in this process, on the same two cores: warmed first (its
    // HTTP server and its checks JIT-compiled), as Twilio's API is, so its own first seconds
    // don't count as the dispatchers' lag. It is emptied again before the window.
    const warmUp = Math.min(sizes.messages, 5_000);
    const fakeRate = await fakeCeiling(fake, warmUp, workers);
    notes.push(`the fake Twilio was warmed with ${warmUp} texts from ${workers} driver processes first (${round(fakeRate, 0)}/s)`);
    const { allReadyAt } = await runDispatchers(db, fake, workers, windowSeconds + 300, {}, postgres ? moveOnceReady : undefined);
    expectOwnSenders(fake.messages, SHOPS);
    const sentAt = new Map(fake.messages.map((m) => [m.sid, m.dateCreated.getTime()]));
    const outcome = await outboxOutcome(db, fake, (sql) => sql.query<{ provider_sid: string; due_at: Date }>(`SELECT provider_sid, due_at FROM scheduled_message WHERE status = 'sent'`));
    const due = outcome.more.map((row) => ({ due: new Date(row.due_at).getTime(), sent: sentAt.get(row.provider_sid)! }));
    const windowStart = Math.min(...due.map((d) => d.due));
    const readyBefore = (windowStart - allReadyAt) / 1000;
    notes.push(
      readyBefore < 0
        ? `the last dispatcher was ready ${round(-readyBefore, 1)} s after the first text fell due: its start-up counts as lag (raise START_LEAD_MS)`
        : movedAt === null
          ? `every dispatcher was ready (warm, listening) ${round(readyBefore, 1)} s before the first text fell due`
          : `every dispatcher was ready (warm, listening) before the due times were set; the move and VACUUM ended ${round((windowStart - movedAt) / 1000, 1)} s before the first text fell due` +
            (movedAt > windowStart ? " (after it: the move counts as lag, raise START_LEAD_MS)" : ""),
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
    const coldP99 = percentile(cold, 99);
    return {
      scenario: SCENARIO,
      figures: [
        figure(SCENARIO, "due→sent p50", percentile(all, 50), "ms", { reference: { name: "poll interval", value: 250, unit: "ms" } }),
        figure(SCENARIO, "due→sent p99", p99, "ms", {
          reference: { name: "poll interval", value: 250, unit: "ms" },
          goal: "< 500 ms (issue #23)",
          met: p99 === null ? null : p99 < 500,
          note: `max ${round(Math.max(...all), 0)} ms over ${all.length} texts`,
        }),
        figure(SCENARIO, `due→sent p99, first ${COLD_START_MS / 1000} s (cold start)`, coldP99, "ms", {
          reference: { name: "poll interval", value: 250, unit: "ms" },
          goal: "< 500 ms (issue #23)",
          met: coldP99 === null ? null : coldP99 < 500,
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
