import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "~/db/sql-driver.server";
import { engagementMetrics } from "~/services/engagement-metrics.server";
import { FLOW_LIFT_SQL, flowLiftParams } from "~/services/holdout-lift.server";
import { consentDetail, eventDetail, eventTitle, flowName, shopperTimeline, type TimelineEntry } from "~/services/shopper-directory.server";
import { DASHBOARD_SHOP } from "../../scripts/bench/seed-history";
import { seedDashboardHistory } from "../support/dashboard-history";

// The dashboard's texts-by-flow and holdout-lift queries and the shopper timeline were rewritten for speed at
// scale (issue #9, docs/decisions/010-dashboard-queries.md). Their answers must not change:
// each is compared here with the code it replaced, kept below as the reference, on the
// benchmark's seeded shop (a small copy) plus the edge cases the rewrites could get wrong.
const NOW = new Date("2026-11-24T12:00:00Z");
const DAY = 86_400_000;
let prisma: PrismaClient;
let sql: SqlDriver;

beforeAll(async () => {
  ({ prisma, sql } = await seedDashboardHistory(NOW));
  // A text with two clicked links (one clicked text, not two) and one with a clicked and an
  // unclicked link; a text credited with two orders (counted once per credit, as before).
  const [two, mixed] = await sql.query<{ id: string; shopper_id: string }>(`SELECT id, shopper_id FROM scheduled_message WHERE shop = $1 AND status = 'sent' AND sent_at >= $2 ORDER BY id LIMIT 2`, [
    DASHBOARD_SHOP,
    new Date(NOW.getTime() - 20 * DAY),
  ]);
  for (const [message, n, clicks] of [
    [two!, 1, 2],
    [two!, 2, 1],
    [mixed!, 1, 1],
    [mixed!, 2, 0],
  ] as const) {
    await sql.query(`INSERT INTO short_link (id, shop, message_id, shopper_id, target, clicks) VALUES ($1, $2, $3, $4, $5, $6)`, [
      `x${n}${message.id.slice(-8)}`,
      DASHBOARD_SHOP,
      message.id,
      message.shopper_id,
      `https://extra.test/${n}`,
      clicks,
    ]);
  }
  for (const n of [1, 2]) {
    const order = await prisma.order.create({
      data: { shop: DASHBOARD_SHOP, shopifyOrderId: `extra-${n}`, shopperId: two!.shopper_id, totalPrice: "12.34", currency: "USD", placedAt: NOW },
    });
    await prisma.attribution.create({
      data: {
        shop: DASHBOARD_SHOP,
        orderId: order.id,
        messageId: two!.id,
        shopperId: two!.shopper_id,
        flow: "cart_recovery",
        rule: "click",
        touchedAt: NOW,
        recovered: true,
        revenue: "12.34",
        currency: "USD",
      },
    });
  }
  // A converted checkout with two orders and two first texts (its revenue counted per text, as
  // the old join did).
  const [texted] = await sql.query<{ shopper_id: string; checkout_token: string; due_at: Date }>(
    `SELECT m.shopper_id, m.checkout_token, m.due_at FROM scheduled_message m
     JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token AND c.completed_at IS NOT NULL
     JOIN "order" o ON o.shop = m.shop AND o.checkout_token = m.checkout_token
     WHERE m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.status = 'sent' AND m.due_at >= $2
     ORDER BY m.id LIMIT 1`,
    [DASHBOARD_SHOP, new Date(NOW.getTime() - 20 * DAY)],
  );
  await prisma.order.create({
    data: {
      shop: DASHBOARD_SHOP,
      shopifyOrderId: "extra-same-checkout",
      shopperId: texted!.shopper_id,
      checkoutToken: texted!.checkout_token,
      totalPrice: "7.00",
      currency: "USD",
      placedAt: texted!.due_at,
    },
  });
  await prisma.scheduledMessage.create({
    data: {
      shop: DASHBOARD_SHOP,
      shopperId: texted!.shopper_id,
      dedupeKey: "extra-first-text",
      flow: "cart_recovery",
      step: 1,
      checkoutToken: texted!.checkout_token,
      dueAt: texted!.due_at,
      status: "sent",
      sentAt: texted!.due_at,
    },
  });
}, 120_000);

describe("holdout lift", () => {
  it.each([7, 30, 90, 365])("matches the query it replaced over %i days", async (days) => {
    const params = [DASHBOARD_SHOP, new Date(NOW.getTime() - days * DAY), NOW, 7];
    // Since issue #17 one statement gives every flow's lift; its cart-recovery row must still
    // be the one the replaced query gave.
    const rows = await sql.query<Record<string, unknown>>(FLOW_LIFT_SQL, flowLiftParams(DASHBOARD_SHOP, { from: params[1] as Date, to: NOW }));
    const row = rows.find((r) => r.flow === "cart_recovery");
    const [reference] = await sql.query<Record<string, unknown>>(
      `WITH eligible AS (
         SELECT m.status, m.reason, c.completed_at IS NOT NULL AND c.completed_at <= m.due_at + make_interval(days => $4) AS converted, c.token
         FROM scheduled_message m
         JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token
         WHERE m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.due_at >= $2 AND m.due_at < $3
           AND (m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout')))
       SELECT count(*) FILTER (WHERE status = 'sent')::int AS treated,
              count(*) FILTER (WHERE status = 'sent' AND converted)::int AS treated_converted,
              count(*) FILTER (WHERE status = 'skipped')::int AS control,
              count(*) FILTER (WHERE status = 'skipped' AND converted)::int AS control_converted,
              (SELECT sum(o.total_price) FROM "order" o JOIN eligible e ON e.token = o.checkout_token
                WHERE o.shop = $1 AND e.status = 'sent' AND e.converted)::text AS treated_revenue,
              (SELECT max(o.currency) FROM "order" o WHERE o.shop = $1) AS currency
       FROM eligible`,
      params,
    );
    expect(reference!.control).toBeGreaterThan(0);
    expect(row).toEqual({ flow: "cart_recovery", ...reference });
  });
});

describe("texts by flow and stage", () => {
  it.each([7, 30, 90, 365])("matches the correlated-EXISTS query it replaced over %i days", async (days) => {
    const range = { from: new Date(NOW.getTime() - days * DAY), to: NOW };
    const metrics = await engagementMetrics(sql, DASHBOARD_SHOP, range, 0.0083);
    const reference = await sql.query<{ flow: string; stage: string; sent: number; delivered: number; clicked: number; converted: number; recovered: string; segments: number }>(
      `SELECT m.flow, s.stage,
              count(*)::int AS sent,
              count(*) FILTER (WHERE m.delivery_status = 'delivered')::int AS delivered,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM short_link l WHERE l.message_id = m.id AND l.clicks > 0))::int AS clicked,
              count(a.id)::int AS converted,
              COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0)::text AS recovered,
              COALESCE(sum(m.segments), 0)::int AS segments
       FROM scheduled_message m
       JOIN shopper s ON s.id = m.shopper_id
       LEFT JOIN attribution a ON a.message_id = m.id
       WHERE m.shop = $1 AND m.status = 'sent' AND m.sent_at >= $2 AND m.sent_at < $3
       GROUP BY m.flow, s.stage
       ORDER BY m.flow, s.stage`,
      [DASHBOARD_SHOP, range.from, range.to],
    );
    expect(reference.length).toBeGreaterThan(3);
    expect(metrics.byFlowAndStage).toEqual(reference.map(({ recovered, ...r }) => ({ ...r, recoveredRevenue: Number(recovered) })));
  });
});

describe("shopper timeline", () => {
  it("matches the six Prisma reads it replaced, for shoppers with every kind of entry", async () => {
    const ids = await sql.query<{ id: string }>(
      `SELECT s.id FROM shopper s WHERE s.shop = $1
         AND EXISTS (SELECT 1 FROM attribution a WHERE a.shopper_id = s.id) AND EXISTS (SELECT 1 FROM consent c WHERE c.shopper_id = s.id)
       ORDER BY s.id LIMIT 5`,
      [DASHBOARD_SHOP],
    );
    expect(ids.length).toBe(5);
    for (const { id } of [...ids, { id: "0000000b-0000-4000-8000-000000000002" }]) {
      const timeline = await shopperTimeline({ prisma, sql }, DASHBOARD_SHOP, id);
      expect(timeline).toEqual(await referenceTimeline(prisma, DASHBOARD_SHOP, id));
      expect(timeline!.entries.length).toBeGreaterThan(0);
    }
  });

  it("is null for a shopper of another shop or none", async () => {
    const [other] = await sql.query<{ id: string }>(`SELECT id FROM shopper WHERE shop = $1 LIMIT 1`, [DASHBOARD_SHOP]);
    expect(await shopperTimeline({ prisma, sql }, "other-shop.myshopify.com", other!.id)).toBeNull();
    expect(await shopperTimeline({ prisma, sql }, DASHBOARD_SHOP, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});

/** The timeline as it was read before issue #9: six Prisma reads. */
async function referenceTimeline(prisma: PrismaClient, shop: string, id: string) {
  const shopper = await prisma.shopper.findFirst({ where: { shop, id } });
  if (!shopper) return null;
  const scope = { shop, shopperId: id };
  const [events, messages, consents, orders, attributions] = await Promise.all([
    prisma.journeyEvent.findMany({ where: scope, orderBy: { occurredAt: "desc" }, take: 200 }),
    prisma.scheduledMessage.findMany({ where: scope, orderBy: { dueAt: "desc" }, take: 200 }),
    prisma.consent.findMany({ where: scope, orderBy: { collectedAt: "desc" }, take: 50 }),
    prisma.order.findMany({ where: scope, orderBy: { placedAt: "desc" }, take: 100 }),
    prisma.attribution.findMany({ where: scope, orderBy: { createdAt: "desc" }, take: 100 }),
  ]);
  const entries: TimelineEntry[] = [
    ...events.map((e) => ({ at: e.occurredAt, kind: "event" as const, title: eventTitle(e.type), detail: eventDetail(e.type, e.data) })),
    ...messages.map((m) => ({
      at: m.sentAt ?? m.dueAt,
      kind: "message" as const,
      title: `${flowName(m.flow)} text ${m.status}${m.reason ? ` (${m.reason.replace(/_/g, " ")})` : ""}`,
      detail: m.body ?? (m.deliveryStatus ? `delivery: ${m.deliveryStatus}` : null),
    })),
    ...consents.map((c) => ({
      at: c.collectedAt,
      kind: "consent" as const,
      title: `Consent ${c.status} via ${c.source}`,
      detail: consentDetail(c),
    })),
    ...orders.map((o) => ({ at: o.placedAt, kind: "order" as const, title: `Order ${o.name ?? o.shopifyOrderId}`, detail: `${o.totalPrice.toFixed(2)} ${o.currency}` })),
    ...attributions.map((a) => ({
      at: a.createdAt,
      kind: "attribution" as const,
      title: `Order credited to the ${flowName(a.flow)} text (${a.rule})`,
      detail: `${a.revenue.toFixed(2)} ${a.currency}${a.recovered ? " recovered" : ""}`,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  return { shopper, entries };
}
