import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clock as appClock, fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { loader as follow } from "~/routes/r.$id";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

const T = new Date("2026-11-24T15:00:00Z");
const MIN = 60_000;
const clock = fixedClock(T);
const HUMAN = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
let prisma: PrismaClient;
let fake: FakeTwilio;
let linkId: string;
const phone = "+12125550300";

const visit = (id: string, init: { method?: string; userAgent?: string } = {}) =>
  follow({ request: new Request(`https://nudge.test/r/${id}`, { method: init.method ?? "GET", headers: { "user-agent": init.userAgent ?? HUMAN } }), params: { id }, context: {} });

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  fake = await startFakeTwilio();
  await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: "sl1", createdAt: T, phone })), params: {}, context: {} });
  clock.set(new Date(T.getTime() + 20 * MIN));
  const { sql } = await database();
  const gateway = testGateway(fake);
  await dispatchDueMessages({ sql, gatewayFor: () => gateway, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null, linkBase: "https://nudge.test" });
  linkId = fake.messages.find((m) => m.to === phone)!.body.match(/https:\/\/nudge\.test\/r\/([0-9A-Za-z]{10})/)![1]!;
});
afterAll(() => fake.close());

describe("tracked links", () => {
  it("puts a short tracked link in the text instead of the long checkout URL", async () => {
    const body = fake.messages.find((m) => m.to === phone)!.body;
    expect(body).not.toContain("checkout.local");
    const link = await prisma.shortLink.findUniqueOrThrow({ where: { id: linkId } });
    expect(link.target).toMatch(/^https:\/\/checkout\.local\//);
  });

  it("redirects a click to the stored target and records it on the shopper's journey", async () => {
    clock.advance(5 * MIN);
    const res = await visit(linkId);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^https:\/\/checkout\.local\//);
    expect(await prisma.shortLink.findUniqueOrThrow({ where: { id: linkId } })).toMatchObject({ clicks: 1, firstClickedAt: clock.now() });
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { phone } });
    expect((shopper.state as { lastClickAt: number }).lastClickAt).toBe(clock.now().getTime());
    expect(await prisma.journeyEvent.count({ where: { shopperId: shopper.id, type: "link_clicked" } })).toBe(1);
  });

  it("redirects link-preview bots and HEAD requests without counting them", async () => {
    const before = (await prisma.shortLink.findUniqueOrThrow({ where: { id: linkId } })).clicks;
    expect((await visit(linkId, { userAgent: "facebookexternalhit/1.1" })).status).toBe(302);
    expect((await visit(linkId, { method: "HEAD" })).status).toBe(302);
    expect((await prisma.shortLink.findUniqueOrThrow({ where: { id: linkId } })).clicks).toBe(before);
  });

  it.each(["ZZZZZZZZZZ", "short", "..%2F..%2Fetc", "https:evil.example"])("answers %s with a friendly 404 and no redirect", async (id) => {
    const res = await visit(id);
    expect(res.status).toBe(404);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("This link has expired or doesn't exist");
  });
});
