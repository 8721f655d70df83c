import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fanOutDueCampaigns } from "~/campaigns/schedule.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { action as composerAction, loader as composerLoader } from "~/routes/app.campaigns.new";
import { loader as reachLoader } from "~/routes/app.campaigns.reach";
import { fakeShopifyAdmin, throttled, type AdminCall } from "../mocks/shopify-admin";
import { adminRequest } from "../support/admin-request";
import { installShop, TEST_SHOP } from "../support/shopify";

// Issue #19: any Shopify customer segment as a campaign's audience. A stand-in Admin API (which
// checks every query against the 2026-04 schema) answers `segments` and `customerSegmentMembers`
// over several pages; members become recipients by customer id or phone, and anyone without
// consent recorded by Nudge is left out and counted, whatever Shopify says of their consent.
const T = new Date("2026-11-24T15:00:00Z");
const SEGMENT = "gid://shopify/Segment/7001";
const OTHER_SEGMENT = "gid://shopify/Segment/7002";
const member = (customerId: number, phone: string | null, marketingState = "SUBSCRIBED") => ({
  node: { id: `gid://shopify/CustomerSegmentMember/${customerId}`, defaultPhoneNumber: phone ? { phoneNumber: phone, marketingState } : null },
});
// Seven members over three pages (the stand-in pages by 3 whatever `first` asks for).
const MEMBERS = [
  member(1001, "+16465550101"), // a subscriber, by customer id
  member(1002, "(646) 555-0102"), // a subscriber Nudge knows by phone only (national format)
  member(1003, "+16465550103"), // subscribed in Shopify, no consent recorded by Nudge
  member(1004, "+16465550104", "UNSUBSCRIBED"), // opted out in Nudge
  member(1005, null), // consent, no phone
  member(1006, "+16465550106"), // Shopify says subscribed; Nudge never met them
  member(1007, null, "NOT_SUBSCRIBED"), // unknown, no phone
];
const PAGE = 3;
let prisma: PrismaClient;
let throttleNext = 0;
let down = false;

function answer(call: AdminCall): Response {
  if (down) return new Response("Service Unavailable", { status: 503 });
  if (call.query.includes("query nudgeSegments")) {
    return Response.json({ data: { segments: { nodes: [{ id: SEGMENT, name: "Bought twice" }] } } });
  }
  if (call.query.includes("query nudgeSegment(")) {
    return Response.json({ data: { segment: call.variables.id === OTHER_SEGMENT ? { id: OTHER_SEGMENT, name: "VIPs" } : null } });
  }
  if (call.query.includes("query nudgeSegmentMembers")) {
    if (throttleNext > 0) {
      throttleNext--;
      return throttled();
    }
    const start = call.variables.after ? Number(String(call.variables.after).replace("cursor-", "")) : 0;
    const edges = MEMBERS.slice(start, start + PAGE);
    const next = start + PAGE;
    return Response.json({
      data: { customerSegmentMembers: { totalCount: MEMBERS.length, edges, pageInfo: { hasNextPage: next < MEMBERS.length, endCursor: next < MEMBERS.length ? `cursor-${next}` : null } } },
      extensions: { cost: { requestedQueryCost: 7, actualQueryCost: 5 } },
    });
  }
  return Response.json({ errors: [{ message: "unexpected" }] });
}
const admin = fakeShopifyAdmin(answer);
const memberCalls = () => admin.calls.filter((c) => c.query.includes("query nudgeSegmentMembers"));

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop();
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { country: "US" } });
  await prisma.shopper.createMany({
    data: [
      { shop: TEST_SHOP, customerId: "1001", phone: "+16465550101", consent: "granted" },
      { shop: TEST_SHOP, phone: "+16465550102", consent: "granted" },
      { shop: TEST_SHOP, customerId: "1003", phone: "+16465550103", consent: "none" },
      { shop: TEST_SHOP, customerId: "1004", phone: "+16465550104", consent: "revoked" },
      { shop: TEST_SHOP, customerId: "1005", consent: "granted" },
      // A subscriber outside the segment: never in its campaign.
      { shop: TEST_SHOP, customerId: "2001", phone: "+16465550201", consent: "granted" },
    ],
  });
});
afterAll(() => admin.restore());

const segmentDraft = (name: string) => ({ name, message: "Just for you: {{checkout_link}}", audience: { kind: "segment", id: SEGMENT, name: "Bought twice" }, controlPercent: 0 });
async function compose(campaign: unknown, intent = "send") {
  const request = await adminRequest("/app/campaigns/new", { form: { campaign: JSON.stringify(campaign), intent } });
  return composerAction({ request, params: {}, context: {} }).catch((thrown: unknown) => thrown) as Promise<Response>;
}
async function recipientsOf(campaignId: string) {
  const ids = (await prisma.scheduledMessage.findMany({ where: { campaignId } })).map((m) => m.shopperId);
  return (await prisma.shopper.findMany({ where: { id: { in: ids } } })).map((s) => s.phone).sort();
}

describe("a Shopify segment as a campaign's audience", () => {
  it("lists the shop's segments beside Nudge's audiences, and preselects the one asked for by ?segment=", async () => {
    const listed = (await composerLoader({ request: await adminRequest("/app/campaigns/new"), params: {}, context: {} })) as { segments: unknown[]; initialAudience: string | null };
    expect(listed.segments).toEqual([{ id: SEGMENT, name: "Bought twice" }]);
    expect(listed.initialAudience).toBeNull();
    const chosen = (await composerLoader({ request: await adminRequest(`/app/campaigns/new?segment=${encodeURIComponent(OTHER_SEGMENT)}`), params: {}, context: {} })) as typeof listed;
    expect(chosen.initialAudience).toBe(`segment:${OTHER_SEGMENT}`);
    expect(chosen.segments).toEqual([
      { id: OTHER_SEGMENT, name: "VIPs" },
      { id: SEGMENT, name: "Bought twice" },
    ]);
    // Junk in ?segment= is ignored, never sent to Shopify.
    const calls = admin.calls.length;
    const junk = (await composerLoader({ request: await adminRequest("/app/campaigns/new?segment=DROP%20TABLE"), params: {}, context: {} })) as typeof listed;
    expect(junk.initialAudience).toBeNull();
    expect(admin.calls.slice(calls).some((c) => c.query.includes("query nudgeSegment("))).toBe(false);
  });

  it("reads every page of members (waiting out a throttle) and shows who is left out and why", async () => {
    throttleNext = 1;
    const before = memberCalls().length;
    const response = await reachLoader({ request: await adminRequest(`/app/campaigns/reach?audience=segment:${SEGMENT}&smart=0`), params: {}, context: {} });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reach: { sendable: 2, optedOut: 1, noConsent: 1, noPhone: 1, recentlyTexted: 0, unknown: 2 } });
    const pages = memberCalls().slice(before);
    expect(pages.map((c) => c.variables.after ?? null)).toEqual([null, null, "cursor-3", "cursor-6"]);
    expect(pages.every((c) => c.variables.first === 250 && c.variables.segmentId === SEGMENT)).toBe(true);
  });

  it("texts only the members with consent recorded by Nudge, and records who was left out", async () => {
    const sent = await compose(segmentDraft("Segment sale"));
    expect(sent.status).toBe(302);
    const campaign = await prisma.campaign.findFirstOrThrow({ where: { name: "Segment sale" } });
    expect(await recipientsOf(campaign.id)).toEqual(["+16465550101", "+16465550102"]);
    expect(campaign).toMatchObject({ recipients: 2, leftOut: { optedOut: 1, noConsent: 1, noPhone: 1, unknown: 2 } });
  });

  it("stores nothing and enqueues nothing when Shopify can't give the members (503)", async () => {
    down = true;
    try {
      const failed = await compose(segmentDraft("Shopify down"));
      expect(failed.status).toBe(503);
      expect(await failed.json()).toMatchObject({ ok: false, errors: { audience: expect.stringMatching(/try again/i) } });
      expect(await prisma.campaign.count({ where: { name: "Shopify down" } })).toBe(0);
      const reach = await reachLoader({ request: await adminRequest(`/app/campaigns/reach?audience=segment:${SEGMENT}&smart=0`), params: {}, context: {} });
      expect(reach.status).toBe(503);
    } finally {
      down = false;
    }
  });

  it("fans out a scheduled segment campaign with members read through the shop's offline session", async () => {
    const scheduled = await compose({ ...segmentDraft("Segment later"), sendAt: "2026-11-24T16:00:00Z" }, "schedule");
    expect(scheduled.status).toBe(302);
    const campaign = await prisma.campaign.findFirstOrThrow({ where: { name: "Segment later" } });
    expect(await prisma.scheduledMessage.count({ where: { campaignId: campaign.id } })).toBe(0);
    const { sql } = await database();
    expect(await fanOutDueCampaigns(sql, new Date("2026-11-24T16:00:00Z"))).toBe(1);
    expect(await recipientsOf(campaign.id)).toEqual(["+16465550101", "+16465550102"]);
    const rows = await prisma.scheduledMessage.findMany({ where: { campaignId: campaign.id } });
    expect(rows.every((r) => r.dueAt.getTime() === Date.parse("2026-11-24T16:00:00Z"))).toBe(true);
  });
});
