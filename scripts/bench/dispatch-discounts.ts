import { cpus } from "node:os";
import { bulkCodeAnswers } from "../../app/demo/shopify/bulk-codes";
import { parseEnv } from "../../app/env.server";
import { startFakeTwilio, type FakeTwilio } from "../../tests/mocks/twilio";
import { startShopifyStandin, type ShopifyStandin } from "../../tests/support/shopify-standin";
import { createBenchDatabase, postgresUrl } from "./bench-database";
import { BENCH_API_KEY, BENCH_SECRET } from "./child-process";
import { watchCpu } from "./cpu-account";
import { expectOwnSenders, outboxOutcome, ownSenders, prepareOutbox, runDispatchers, textsPerSecond } from "./dispatch-run";
import type { BenchSizes } from "./options";
import { figure, round, type Figure, type ScenarioReport } from "./results";
import { installBenchShops } from "./shopify-sessions";

const SCENARIO = "dispatch-discounts";
const MAX_RATE = 1000; // as in the dispatch scenario: the limiter is not the bound
/** The cart journey's first text: 10% off for 48 h (app/journey/settings.ts defaults). */
const CART_DISCOUNT = { percent: 10, expiresInHours: 48 };

/**
 * Dispatch with discount codes (issue #17 item 6, issue #23): the dispatch scenario's outbox
 * sent twice by the same workers (2 on PostgreSQL, 1 on PGlite), back to back in one run:
 * first with no discount, then with every text offering a code minted through the real
 * Shopify client at the stand-in Shopify (tests/support/shopify-standin.ts, reached through
 * SHOPIFY_API_ORIGIN as staging would), which answers discountCodeBasicCreate after 50–150 ms,
 * drawn uniformly per call. The headline is texts/s with codes, beside texts/s without as a ratio.
 */
export async function benchDispatchDiscounts(sizes: BenchSizes["dispatchDiscounts"]): Promise<ScenarioReport> {
  const started = Date.now();
  const postgres = Boolean(process.env.DATABASE_URL);
  const workers = postgres ? sizes.workers : 1;
  const label = `${workers} worker${workers > 1 ? "s" : ""}`;
  const [minMs, maxMs] = sizes.mintLatencyMs;
  const notes: string[] = [
    `${sizes.messages} due cart texts for ${sizes.shoppers} shoppers in ${sizes.shops} shops (each its own Twilio sender at ${MAX_RATE}/s), ${label}, sent once without and once with a ${CART_DISCOUNT.percent}% code each`,
    `the stand-in Shopify answers each call (discountCodeBasicCreate, and a pool's bulk add and its status) after ${minMs}–${maxMs} ms (uniform) and never throttles; real Shopify's cost limit would (docs/benchmarks.md)`,
  ];
  if (!postgres) notes.push(`${sizes.workers} workers skipped: PGlite is opened by one process only (set DATABASE_URL); 1 worker instead`);
  const scope = parseEnv({ ...process.env, SHOPIFY_API_KEY: BENCH_API_KEY, SHOPIFY_API_SECRET: BENCH_SECRET, SHOPIFY_APP_URL: "https://nudge.bench.example" }).SCOPES;
  const twilio = await startFakeTwilio();
  const shopify = await startShopifyStandin({ apiKey: BENCH_API_KEY, apiSecret: BENCH_SECRET, scope });
  const latencies: number[] = [];
  shopify.setAdminLatency(() => {
    const ms = minMs + Math.random() * (maxMs - minMs);
    latencies.push(ms);
    return ms;
  });
  const atShopify = answerDiscountsLikeShopify(shopify);
  try {
    const plain = await sendOutbox(twilio, shopify, scope, sizes, workers, false);
    const coded = await sendOutbox(twilio, shopify, scope, sizes, workers, true);
    const inTexts = new Set(coded.codesInTexts);
    const mean = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null;
    notes.push(
      `no discount: ${plain.statuses}`,
      `with codes: ${coded.statuses}; ${atShopify.codes.size} codes at the stand-in from ${atShopify.calls} calls (${atShopify.bulkAdds} bulk adds, ${atShopify.taken} answered TAKEN), mean answer ${mean === null ? "–" : round(mean, 1)} ms`,
    );
    const figures: Figure[] = [
      figure(SCENARIO, `texts/s, ${label}, no discount`, plain.rate, "texts/s", { note: "the dispatch scenario's run, repeated here so the ratio below compares like with like" }),
      figure(SCENARIO, `texts/s, ${label}, with discount codes`, coded.rate, "texts/s", {
        reference: { name: "no discount, same run", value: plain.rate ?? 0, unit: "texts/s" },
        goal: postgres ? "≥ 2000 texts/s on PostgreSQL with 2 workers (issue #23)" : "judged on PostgreSQL",
        met: postgres && coded.rate !== null ? coded.rate >= 2000 : null,
      }),
      figure(SCENARIO, `texts with a code of their own that Shopify made, per text sent, ${label}`, coded.sent ? inTexts.size / coded.sent : null, "codes", {
        goal: "1: every text its own code, made at Shopify, none minted twice",
        met: inTexts.size === coded.sent && coded.sentWithCode === coded.sent && [...inTexts].every((c) => atShopify.codes.has(c)) && atShopify.taken === 0,
        note: `${coded.sent} texts sent, ${coded.sentWithCode} with a code recorded for them alone, ${coded.pooledInTexts} of those from a pool (ADR 025); ${atShopify.codes.size} codes at Shopify (${atShopify.pooled} added in bulk), ${atShopify.codes.size - inTexts.size} in no text: left in pools`,
      }),
      figure(SCENARIO, `calls to Shopify per text sent, ${label}`, coded.sent ? atShopify.calls / coded.sent : null, "calls", {
        note: `${atShopify.calls} calls (${atShopify.bulkAdds} bulk adds of up to 250 codes); one discountCodeBasicCreate per text without pools. Shopify's cost limit counts calls (docs/benchmarks.md)`,
      }),
      figure(SCENARIO, `duplicates, ${label}, with discount codes`, coded.duplicatePairs + Math.abs(coded.atFake - coded.sent), "texts", {
        goal: "0",
        met: coded.duplicatePairs === 0 && coded.atFake === coded.sent,
        note: `${coded.atFake} at the fake, ${coded.sent} rows sent`,
      }),
    ];
    if (coded.cpuPerText !== null) {
      figures.push(
        figure(SCENARIO, `CPU per text, ${label}, with discount codes`, coded.cpuPerText, "ms", {
          reference: { name: "no discount, same run", value: plain.cpuPerText ?? 0, unit: "ms" },
          note: `${coded.cpuNote}; without codes: ${plain.cpuNote}`,
        }),
      );
    }
    return { scenario: SCENARIO, figures, notes, seconds: round((Date.now() - started) / 1000, 1) };
  } finally {
    await twilio.close();
    await shopify.close();
  }
}

/**
 * Discount codes as Shopify answers them: discountCodeBasicCreate gives a new code an id and
 * answers TAKEN for a code the shop already has (which the app counts as its own earlier code);
 * discountRedeemCodeBulkAdd (pooled codes, ADR 025) starts a bulk creation that is done by the
 * time it is asked about, refusing codes the shop already has. Counts calls and codes.
 */
function answerDiscountsLikeShopify(shopify: ShopifyStandin) {
  const seen = { codes: new Set<string>(), calls: 0, taken: 0, bulkAdds: 0, pooled: 0 };
  const forget = () => void (shopify.adminCalls.length = 0); // a run makes up to 100k calls: keep the stand-in's log from growing
  shopify.answer("nudgeDiscount", (call) => {
    seen.calls++;
    forget();
    const { code } = call.variables.basicCodeDiscount as { code: string };
    const key = `${call.shop} ${code}`;
    if (seen.codes.has(key)) {
      seen.taken++;
      return {
        discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["basicCodeDiscount", "code"], code: "TAKEN", message: "Code must be unique. Please try a different code." }] },
      };
    }
    seen.codes.add(key);
    return { discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${seen.codes.size}` }, userErrors: [] } };
  });
  const bulk = bulkCodeAnswers((shop, code) => {
    const key = `${shop} ${code}`;
    const taken = seen.codes.has(key);
    seen.codes.add(key);
    if (!taken) seen.pooled++;
    return taken;
  });
  shopify.answer("nudgeDiscountCodesAdd", (call) => {
    seen.calls++;
    seen.bulkAdds++;
    forget();
    return bulk.nudgeDiscountCodesAdd(call);
  });
  shopify.answer("nudgeDiscountCodesAdded", (call) => {
    seen.calls++;
    forget();
    return bulk.nudgeDiscountCodesAdded(call);
  });
  return seen;
}

async function sendOutbox(twilio: FakeTwilio, shopify: ShopifyStandin, scope: string, sizes: BenchSizes["dispatchDiscounts"], workers: number, withCodes: boolean) {
  const db = createBenchDatabase(withCodes ? "discounts" : "nodiscount");
  try {
    const seed = { shops: sizes.shops, shoppers: sizes.shoppers, messages: sizes.messages, dueFrom: new Date(Date.now() - 60_000), windowMs: 0, ratePerSecond: MAX_RATE };
    await prepareOutbox(db, { ...seed, discount: withCodes ? CART_DISCOUNT : undefined }, async (sql) => {
      await ownSenders(sql, sizes.shops);
      await installBenchShops(sql, shopify, sizes.shops, scope);
    });
    twilio.messages.length = 0;
    const cpu = await watchCpu(postgresUrl(), () => twilio.messages.length > 0);
    await runDispatchers(db, twilio, workers, 900, { SHOPIFY_API_ORIGIN: shopify.url });
    const split = await cpu.stop();
    expectOwnSenders(twilio.messages, sizes.shops);
    const rate = textsPerSecond(twilio.messages);
    // Sent texts that offer a code ("Here's 10% off: <link>", the link's target applying it) recorded for that message alone, that Shopify made.
    const outcome = await outboxOutcome(db, twilio, async (sql) =>
      sql.query<{ shop: string; code: string; pooled: boolean }>(
        `SELECT m.shop, d.code, EXISTS (SELECT 1 FROM discount_pool p WHERE p.shopify_id = d.shopify_id) AS pooled
         FROM scheduled_message m JOIN discount_code d ON d.message_id = m.id AND d.shopify_id IS NOT NULL
         WHERE m.status = 'sent' AND position('% off' IN m.body) > 0
           AND EXISTS (SELECT 1 FROM short_link l WHERE l.message_id = m.id AND position('/discount/' || d.code IN l.target) > 0)`,
      ),
    );
    const codes = outcome.more;
    const perText = (seconds: number) => (outcome.atFake ? (seconds * 1000) / outcome.atFake : 0);
    const total = split.workers + split.postgres + split.bench;
    return {
      rate,
      sent: outcome.sent,
      sentWithCode: codes.length,
      codesInTexts: codes.map((c) => `${c.shop} ${c.code}`),
      pooledInTexts: codes.filter((c) => c.pooled).length,
      atFake: outcome.atFake,
      duplicatePairs: outcome.duplicatePairs,
      statuses: outcome.statuses,
      cpuPerText: outcome.atFake ? perText(total) : null,
      cpuNote: `workers ${round(perText(split.workers), 3)} ms${split.postgres ? ` + PostgreSQL ${round(perText(split.postgres), 3)} ms` : " (PGlite inside them)"} + fakes ${round(perText(split.bench), 3)} ms on ${cpus().length} cores`,
    };
  } finally {
    await db.drop();
  }
}
