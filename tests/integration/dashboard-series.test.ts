import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { periodInstants, periodOf } from "~/dashboard/period";
import { database } from "~/db.server";
import { loadDashboard } from "~/services/dashboard.server";
import { activityOverTime, customerOrders, shopHasActivity, stageFunnel, type SeriesWindow } from "~/services/dashboard-series.server";
import { installShop, TEST_SHOP } from "../support/shopify";

// A shop in Toronto (installShop), checked by hand. Toronto leaves daylight time (UTC-4) for
// standard time (UTC-5) on 1 November 2026, the first day of the period.
const ZONE = "America/Toronto";
const OTHER_SHOP = "other-shop.myshopify.com";
let prisma: PrismaClient;

function windowFor(firstDay: string, lastDay: string, timeZone = ZONE, shop = TEST_SHOP): SeriesWindow {
  const period = periodOf(firstDay, lastDay);
  return { shop, ...periodInstants(period, timeZone), firstDay, lastDay, timeZone, bucket: period.bucket };
}
const WEEK = windowFor("2026-11-01", "2026-11-07");

beforeAll(async () => {
  prisma = await installShop();
  await installShop(OTHER_SHOP);
  const shopper = (shop: string, phone: string, stage: string, createdAt: string, consent = "granted") =>
    prisma.shopper.create({ data: { shop, phone, stage, consent, createdAt: new Date(createdAt) } });
  const a = await shopper(TEST_SHOP, "+14165550101", "loyalty", "2026-11-01T04:00:00Z"); // Nov 1, 00:00 local: in
  const b = await shopper(TEST_SHOP, "+14165550102", "conversion", "2026-11-02T12:00:00Z");
  const c = await shopper(TEST_SHOP, "+14165550103", "conversion", "2026-11-01T03:59:00Z"); // Oct 31 local: out
  await shopper(TEST_SHOP, "+14165550104", "consideration", "2026-11-04T12:00:00Z");
  await shopper(TEST_SHOP, "+14165550105", "awareness", "2026-11-05T12:00:00Z");
  await shopper(TEST_SHOP, "+14165550106", "loyalty", "2026-11-06T12:00:00Z", "redacted");
  await shopper(TEST_SHOP, "+14165550107", "loyalty", "2026-11-08T05:00:00Z"); // Nov 8, 00:00 local: out
  const d = await shopper(TEST_SHOP, "+14165550108", "conversion", "2026-08-01T12:00:00Z");
  const e = await shopper(TEST_SHOP, "+14165550109", "conversion", "2026-08-01T12:00:00Z");
  const f = await shopper(TEST_SHOP, "+14165550110", "conversion", "2026-08-01T12:00:00Z");
  const g = await shopper(TEST_SHOP, "+14165550111", "conversion", "2026-01-01T12:00:00Z");
  const x = await shopper(OTHER_SHOP, "+14165550101", "loyalty", "2026-11-03T12:00:00Z");
  // The funnel's edge cases, all created in the week: a number known only from its STOP, one
  // that only replied HELP, one that signed up and then sent STOP (joined), and one whose only
  // trace is a checkout (joined, though the journey put it back at awareness).
  const consent = (shopperId: string, phone: string, status: string, source: string, at: string) =>
    prisma.consent.create({ data: { shop: TEST_SHOP, shopperId, phone, status, source, collectedAt: new Date(at) } });
  const stopOnly = await shopper(TEST_SHOP, "+14165550121", "awareness", "2026-11-02T12:00:00Z", "revoked");
  await consent(stopOnly.id, "+14165550121", "revoked", "sms", "2026-11-02T12:00:00Z");
  await shopper(TEST_SHOP, "+14165550122", "awareness", "2026-11-02T13:00:00Z", "none");
  const signedThenStopped = await shopper(TEST_SHOP, "+14165550123", "awareness", "2026-11-03T12:00:00Z", "revoked");
  await consent(signedThenStopped.id, "+14165550123", "granted", "popup", "2026-11-03T12:00:00Z");
  await consent(signedThenStopped.id, "+14165550123", "revoked", "sms", "2026-11-04T12:00:00Z");
  const checkedOut = await shopper(TEST_SHOP, "+14165550124", "awareness", "2026-11-03T12:00:00Z", "none");
  await prisma.checkout.create({
    data: { shop: TEST_SHOP, token: "funnel-checkout", shopperId: checkedOut.id, startedAt: new Date("2026-11-03T12:00:00Z"), lastActivityAt: new Date("2026-11-03T12:00:00Z") },
  });

  let n = 0;
  const text = (shop: string, shopperId: string, sentAt: string, status = "sent", flow = "cart_recovery") =>
    prisma.scheduledMessage.create({
      data: { shop, shopperId, dedupeKey: `k${++n}`, flow, step: 1, dueAt: new Date(sentAt), status, sentAt: new Date(sentAt), segments: 1 },
    });
  await text(TEST_SHOP, a.id, "2026-11-01T04:00:00Z"); // Nov 1 00:00 local: first instant, in
  await text(TEST_SHOP, a.id, "2026-11-01T03:59:59Z"); // Oct 31 23:59:59 local: out (in the weekly test below)
  const t3 = await text(TEST_SHOP, b.id, "2026-11-03T04:30:00Z"); // Nov 2 23:30 local (Nov 3 in UTC)
  const t4 = await text(TEST_SHOP, a.id, "2026-11-03T15:00:00Z");
  await text(TEST_SHOP, c.id, "2026-11-08T04:59:00Z"); // Nov 7 23:59 local: in
  await text(TEST_SHOP, c.id, "2026-11-08T05:00:00Z"); // Nov 8 00:00 local: out
  await text(TEST_SHOP, b.id, "2026-11-04T15:00:00Z", "failed"); // not sent
  const winback = await text(TEST_SHOP, a.id, "2026-11-04T15:00:00Z", "sent", "winback");
  const other = await text(OTHER_SHOP, x.id, "2026-11-03T15:00:00Z");

  const order = (shop: string, shopperId: string | null, total: string, placedAt: string) =>
    prisma.order.create({ data: { shop, shopifyOrderId: `o${++n}`, shopperId, totalPrice: total, currency: "CAD", placedAt: new Date(placedAt) } });
  const credit = (shop: string, orderId: string, messageId: string, revenue: string, recovered: boolean) =>
    prisma.attribution.create({
      data: { shop, orderId, messageId, flow: recovered ? "cart_recovery" : "winback", rule: "click", touchedAt: new Date("2026-11-01T12:00:00Z"), recovered, revenue, currency: "CAD" },
    });
  // A: three orders in the period (125), two of them credited to texts.
  await credit(TEST_SHOP, (await order(TEST_SHOP, a.id, "40.00", "2026-11-03T15:00:00Z")).id, t4.id, "40.00", true);
  await credit(TEST_SHOP, (await order(TEST_SHOP, a.id, "60.00", "2026-11-05T15:00:00Z")).id, winback.id, "60.00", false);
  await order(TEST_SHOP, a.id, "25.00", "2026-11-06T17:00:00Z");
  // B: one order at Nov 2 22:00 local (Nov 3 in UTC), credited.
  await credit(TEST_SHOP, (await order(TEST_SHOP, b.id, "100.00", "2026-11-03T03:00:00Z")).id, t3.id, "100.00", true);
  // C: one order before the period, one in it.
  await order(TEST_SHOP, c.id, "300.00", "2026-10-20T15:00:00Z");
  await order(TEST_SHOP, c.id, "10.00", "2026-11-07T15:00:00Z");
  // D: last ordered 68 days before the period's end; E: exactly 30; F: only after the period; G: 200+.
  await order(TEST_SHOP, d.id, "80.00", "2026-09-01T05:00:00Z");
  await order(TEST_SHOP, e.id, "20.00", "2026-10-09T05:00:00Z");
  await order(TEST_SHOP, f.id, "500.00", "2026-11-10T15:00:00Z");
  await order(TEST_SHOP, g.id, "20.00", "2026-04-01T15:00:00Z");
  await order(TEST_SHOP, null, "999.00", "2026-11-04T15:00:00Z"); // no known customer
  await credit(OTHER_SHOP, (await order(OTHER_SHOP, x.id, "777.00", "2026-11-03T15:00:00Z")).id, other.id, "777.00", true);
});

describe("dashboard series", () => {
  it("counts texts sent and revenue credited to texts per day in the shop's zone, every day present", async () => {
    const { sql } = await database();
    expect(await activityOverTime(sql, WEEK)).toEqual([
      { start: "2026-11-01", texts: 1, recoveredRevenue: 0, otherRevenue: 0 },
      { start: "2026-11-02", texts: 1, recoveredRevenue: 100, otherRevenue: 0 },
      { start: "2026-11-03", texts: 1, recoveredRevenue: 40, otherRevenue: 0 },
      { start: "2026-11-04", texts: 1, recoveredRevenue: 0, otherRevenue: 0 },
      { start: "2026-11-05", texts: 0, recoveredRevenue: 0, otherRevenue: 60 },
      { start: "2026-11-06", texts: 0, recoveredRevenue: 0, otherRevenue: 0 },
      { start: "2026-11-07", texts: 1, recoveredRevenue: 0, otherRevenue: 0 },
    ]);
  });

  it("buckets by UTC day when asked for UTC (the zone decides which day a late-evening text is on)", async () => {
    const { sql } = await database();
    const utc = await activityOverTime(sql, windowFor("2026-11-02", "2026-11-03", "UTC"));
    expect(utc).toEqual([
      { start: "2026-11-02", texts: 0, recoveredRevenue: 0, otherRevenue: 0 },
      { start: "2026-11-03", texts: 2, recoveredRevenue: 140, otherRevenue: 0 },
    ]);
  });

  it("groups long periods by Monday-start week, including the partial first week's days in the period only", async () => {
    const { sql } = await database();
    const weekly = await activityOverTime(sql, { ...windowFor("2026-10-28", "2026-11-07"), bucket: "week" });
    expect(weekly).toEqual([
      { start: "2026-10-26", texts: 2, recoveredRevenue: 0, otherRevenue: 0 },
      { start: "2026-11-02", texts: 4, recoveredRevenue: 140, otherRevenue: 60 },
    ]);
  });

  it("zero-fills a quiet period", async () => {
    const { sql } = await database();
    const quiet = await activityOverTime(sql, windowFor("2025-01-01", "2025-01-03"));
    expect(quiet).toEqual(["2025-01-01", "2025-01-02", "2025-01-03"].map((start) => ({ start, texts: 0, recoveredRevenue: 0, otherRevenue: 0 })));
  });

  it("funnels the shoppers who joined in the period by the furthest stage reached, without redacted ones", async () => {
    const { sql } = await database();
    // A, B, the consideration and the awareness sign-ups, the sign-up who later sent STOP, and
    // the checkout: 6. Not the STOP-only or HELP-only numbers, C (before), the redacted one, or Nov 8.
    expect(await stageFunnel(sql, WEEK)).toEqual({ joined: 6, startedCheckout: 3, bought: 2, boughtAgain: 1 });
    expect(await stageFunnel(sql, windowFor("2025-01-01", "2025-01-03"))).toEqual({ joined: 0, startedCheckout: 0, bought: 0, boughtAgain: 0 });
  });

  it("counts customers by orders placed in the period: 1, 2, 3, 4+", async () => {
    const { sql } = await database();
    // B and C once, A three times; the order with no customer and the other shop's don't count.
    expect((await customerOrders(sql, WEEK)).ordersPerCustomer).toEqual([2, 0, 1, 0]);
  });

  it("histograms what each customer had spent in all, as of the period's end", async () => {
    const { sql } = await database();
    // E 20 and G 20 (under 50), D 80, B 100 and A 125 (100 to 250; 100 is the bucket's lower
    // edge), C 300 + 10; F's only order comes after the period, and the other shop is out.
    expect((await customerOrders(sql, WEEK)).customerValue).toEqual({ edges: [50, 100, 250, 500, 1000], counts: [2, 1, 2, 1, 0, 0] });
  });

  it("histograms days since each customer's last order as of the period's end", async () => {
    const { sql } = await database();
    // A, B, C within days; E exactly 30 days (the second bucket's lower edge); D 68; G 221.
    // F's only order comes after the period, and the other shop is out.
    expect((await customerOrders(sql, WEEK)).recency).toEqual({ edges: [30, 60, 90, 180], counts: [3, 1, 1, 0, 1] });
  });

  it("tells a shop with activity from one without", async () => {
    const { sql } = await database();
    expect(await shopHasActivity(sql, TEST_SHOP)).toBe(true);
    expect(await shopHasActivity(sql, "never-seen.myshopify.com")).toBe(false);
  });
});

describe("the dashboard for a period in the address", () => {
  const deps = async () => ({ ...(await database()), twilioFromEnv: true, encryptionKey: null });

  it("reads days in the shop's zone: at 03:30 UTC on 8 November it is still the 7th in Toronto", async () => {
    const dashboard = await loadDashboard(await deps(), TEST_SHOP, { from: "2026-11-01", to: "2026-11-07" }, new Date("2026-11-08T03:30:00Z"));
    expect(dashboard).toMatchObject({ today: "2026-11-07", timeZone: ZONE, notice: null, currency: "CAD", hasActivity: true });
    expect(dashboard.period).toEqual({ from: "2026-11-01", to: "2026-11-07", days: 7, bucket: "day" });
    expect(dashboard.series.activity.map((p) => p.texts)).toEqual([1, 1, 1, 1, 0, 0, 1]);
    expect(dashboard.series.funnel.joined).toBe(6);
  });

  it("shows the last 30 days with a notice for a reversed period, and says when a shop has nothing yet", async () => {
    await installShop("empty-shop.myshopify.com");
    const dashboard = await loadDashboard(await deps(), "empty-shop.myshopify.com", { from: "2026-11-07", to: "2026-11-01" }, new Date("2026-11-08T12:00:00Z"));
    expect(dashboard.period).toMatchObject({ from: "2026-10-10", to: "2026-11-08", days: 30 });
    expect(dashboard.notice).toMatch(/start date was after the end date/);
    expect(dashboard.hasActivity).toBe(false);
    expect(dashboard.series.activity).toHaveLength(30);
    expect(dashboard.series.activity.every((p) => p.texts === 0 && p.recoveredRevenue === 0)).toBe(true);
  });
});
