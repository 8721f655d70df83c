import { sendCampaignNow } from "../../app/campaigns/campaigns.server";
import { CampaignDraftSchema } from "../../app/campaigns/campaign-draft";
import { createBenchDatabase } from "./bench-database";
import type { BenchSizes } from "./options";
import { figure, round, type ScenarioReport } from "./results";
import { createUuidHelper } from "./seed-outbox";

const SCENARIO = "campaign-fanout";
const SHOP = "bench-campaigns.myshopify.com";
/** Issue #19: a campaign to 100k subscribers is enqueued in under 5 s on PostgreSQL. */
const GOAL_SECONDS_AT_100K = 5;

/**
 * Scenario: a shop with `subscribers` consenting shoppers (and a tenth as many without consent),
 * then "Send now" to all SMS subscribers: the campaign saved and its recipients fanned out to
 * the outbox in one INSERT … SELECT (app/campaigns/fan-out.server.ts), timed end to end. The
 * reference, in the same run, is the floor: the same number of outbox rows written by one bare
 * INSERT … SELECT from generate_series, with no audience, consent filter or conflict check.
 */
export async function benchCampaignFanout(sizes: BenchSizes["campaignFanout"]): Promise<ScenarioReport> {
  const started = Date.now();
  const notes: string[] = [];
  const db = createBenchDatabase("campaigns");
  try {
    const { sql, close } = await db.open();
    try {
      await createUuidHelper(sql);
      await sql.query("INSERT INTO shop (domain, name) VALUES ($1, 'Bench Campaigns')", [SHOP]);
      await sql.query(
        `INSERT INTO shopper (id, shop, phone, consent, stage, updated_at)
         SELECT bench_uuid(12, n), $1, '+1646' || lpad(n::text, 7, '0'), CASE WHEN n % 11 = 0 THEN 'none' ELSE 'granted' END, 'consideration', now()
         FROM generate_series(1, $2::int) AS n`,
        [SHOP, Math.round(sizes.subscribers * 1.1)],
      );
      await sql.exec("VACUUM ANALYZE shopper");

      const draft = CampaignDraftSchema.parse({ name: "Bench", message: "Sale {{checkout_link}}", audience: { kind: "subscribers" } });
      const t0 = performance.now();
      const sent = await sendCampaignNow(sql, SHOP, draft, new Date());
      const seconds = (performance.now() - t0) / 1000;

      // The reference: the same number of rows, one bare statement, into a fresh copy of the outbox.
      await sql.exec("CREATE TEMP TABLE bench_outbox (LIKE scheduled_message INCLUDING DEFAULTS INCLUDING INDEXES)");
      const r0 = performance.now();
      await sql.query(
        `INSERT INTO bench_outbox (shop, shopper_id, dedupe_key, flow, step, due_at, status, updated_at)
         SELECT $1, bench_uuid(13, n), 'campaign:ref', 'campaign', 1, now(), 'scheduled', now() FROM generate_series(1, $2::int) AS n`,
        [SHOP, sent.fanOut.recipients],
      );
      const referenceSeconds = (performance.now() - r0) / 1000;

      const perSecond = sent.fanOut.recipients / seconds;
      const atHundredK = sent.fanOut.recipients >= 100_000;
      notes.push(`${sent.fanOut.recipients} recipients enqueued in ${round(seconds, 2)} s; left out ${JSON.stringify(sent.fanOut.leftOut)}`);
      return {
        scenario: SCENARIO,
        figures: [
          figure(SCENARIO, "recipients enqueued per second", perSecond, "rows/s", {
            reference: { name: "bare INSERT … SELECT", value: round(sent.fanOut.recipients / referenceSeconds, 0), unit: "rows/s" },
            goal: `${GOAL_SECONDS_AT_100K} s or less at 100k`,
            met: atHundredK ? seconds <= GOAL_SECONDS_AT_100K : null,
          }),
          figure(SCENARIO, "fan-out time", seconds, "s", { note: `${sent.fanOut.recipients} recipients` }),
        ],
        notes,
        seconds: round((Date.now() - started) / 1000, 1),
      };
    } finally {
      await close();
    }
  } finally {
    await db.drop();
  }
}
