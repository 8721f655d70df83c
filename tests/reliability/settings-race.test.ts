import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { loadFlowDraft, saveFlowDraft } from "~/services/flow-settings.server";
import { createUuidHelper, seedOutbox, shopDomain } from "../../scripts/bench/seed-outbox";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { reportFigures } from "./support/report";
import { firstSeenAt, runDispatchers, sleep } from "./support/races";
import { databaseKind, SIZES } from "./support/sizes";

// Promise (issue #10, item 2): two dispatchers share one database while the merchant changes
// a flow through the real settings service. No text is sent twice, and none that the new
// settings cancel or move leaves after the change was committed.
let fake: FakeTwilio;

beforeAll(async () => {
  fake = await startFakeTwilio();
  const { sql } = await database();
  await createUuidHelper(sql);
});
afterAll(() => fake.close());

type Change = { name: string; edit: (draft: Awaited<ReturnType<typeof loadFlowDraft>>["draft"]) => void };
const CHANGES: Change[] = [
  { name: "flow switched off", edit: (draft) => void (draft.enabled = false) },
  { name: "first delay moved to 10 hours", edit: (draft) => void (draft.steps[0]!.delayMinutes = 600) },
];

describe.each(CHANGES)("two dispatchers while the cart flow is edited: $name", ({ name, edit }) => {
  it("sends nothing the change cancelled after it committed, and nothing twice", async () => {
    const { sql } = await database();
    const prisma = (await database()).prisma;
    const shop = shopDomain(1);
    // A fresh outbox per scenario.
    await sql.query(`DELETE FROM scheduled_message`);
    await sql.query(`DELETE FROM checkout`);
    await sql.query(`DELETE FROM shopper`);
    await sql.query(`DELETE FROM shop`);
    await seedOutbox(sql, { shops: 1, shoppers: SIZES.twoDispatcherMessages / 2, messages: SIZES.twoDispatcherMessages, dueFrom: new Date(), windowMs: 0, ratePerSecond: 1000 });
    const total = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM scheduled_message`))[0]!.n;
    const before = fake.messages.length;
    fake.setLatency(5);
    const dispatchers = runDispatchers(fake, 2, 1);
    let changedBy = 0;
    try {
      // Change the flow once about a third of the texts have gone.
      while (fake.messages.length - before < total / 3) await sleep(1);
      const { draft } = await loadFlowDraft(prisma, shop, "cart_recovery");
      edit(draft);
      const oldSettings = JSON.stringify((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).settings);
      const seen = firstSeenAt(`SELECT 1 FROM shop WHERE domain = $1 AND settings::jsonb <> $2::jsonb`, [shop, oldSettings]);
      const saved = await saveFlowDraft({ prisma, sql, now: new Date() }, shop, "cart_recovery", draft);
      expect(saved.ok).toBe(true);
      changedBy = await seen;
      // Let the dispatchers run on until nothing due is left.
      for (let i = 0; i < 3_000; i++) {
        const [left] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM scheduled_message WHERE status = 'sending' OR (status = 'scheduled' AND due_at <= now())`);
        if (left!.n === 0) break;
        await sleep(20);
      }
    } finally {
      const { errors } = await dispatchers.stop();
      fake.setLatency(0);
      expect(errors).toBe(0);
    }
    const texts = fake.messages.slice(before);
    const perRecipient = new Map<string, number>();
    for (const t of texts) {
      const key = `${t.to} ${t.body.match(/ck-\d+-\d/)?.[0] ?? t.body}`;
      perRecipient.set(key, (perRecipient.get(key) ?? 0) + 1);
    }
    const duplicates = [...perRecipient.values()].reduce((sum, n) => sum + n - 1, 0);
    const afterChange = texts.filter((t) => t.receivedAt.getTime() > changedBy);
    const rows = await sql.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM scheduled_message GROUP BY status`);
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    reportFigures(`settings-race-${name.split(" ").slice(0, 2).join("-")}`, databaseKind, {
      messages: total,
      dispatchers: 2,
      textsBeforeChange: texts.length - afterChange.length,
      textsAfterChange: afterChange.length,
      duplicates,
      statuses: JSON.stringify(byStatus),
    });
    expect(duplicates).toBe(0);
    expect(afterChange).toEqual([]);
    expect(byStatus.sent ?? 0).toBe(texts.length);
    expect(byStatus.sending ?? 0).toBe(0);
  }, 300_000);
});
