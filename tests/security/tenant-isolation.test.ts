import { readdirSync } from "node:fs";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encryptionKey } from "~/adapters/sms.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { CampaignDraftSchema } from "~/campaigns/campaign-draft";
import { scheduleCampaign } from "~/campaigns/campaigns.server";
import { runCli } from "~/ops/cli.server";
import { action as inbound } from "~/routes/twilio.inbound";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { PRESET_SCENARIOS } from "~/simulator/scenarios";
import { saveTwilioCredentials } from "~/services/twilio-credentials.server";
import { adminRequest } from "../support/admin-request";
import { rowsOfShop } from "../support/db";
import { checkoutPayload, fixture, installShop, orderPayload, webhookRequest } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";

// Two shops with the same shopper phone. Everything shop B's admin, CLI, webhooks and Twilio
// callbacks do must leave shop A's rows exactly as they were, and show nothing of A.
// Shop A texts from its own Twilio account (ADR 007); shop B from the app's shared one.

const T = new Date("2026-11-24T15:00:00Z");
const A = "alpha-isolation.myshopify.com";
const B = "bravo-isolation.myshopify.com";
const PHONE = "+12125550190";
const A_OWN = { accountSid: `AC${"c".repeat(32)}`, authToken: "alpha-own-token-0123456789abcdef", messagingServiceSid: `MG${"d".repeat(32)}` };
/** Text that only shop A's data holds: none of it may appear in an answer to shop B. */
const A_MARKERS = [A, "Alpha Boards", "Alice", "ALPHA-ONLY", A_OWN.accountSid, A_OWN.authToken.slice(-4)];
let prisma: PrismaClient;
// The app reads TWILIO_API_BASE_URL once: the fake Twilio starts before any import runs.
const fake = await vi.hoisted(async () => {
  const { startFakeTwilio } = await import("../mocks/twilio");
  const started = await startFakeTwilio();
  process.env.TWILIO_API_BASE_URL = started.url;
  return started;
});
let shopperA: string;
let shopperB: string;
let exportA: string;
let campaignA: string;
let eventA: string;

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
interface Case {
  path: string;
  params?: Record<string, string>;
  form?: Record<string, string>;
  /** Checks B's answer beyond "nothing of A in it, A's rows unchanged". */
  expect?: (answer: { status: number; json: unknown }) => void;
}

/** Runs a loader or action as shop B's admin: its status and data, returned or thrown. */
async function asShopB(handler: Handler, c: Case): Promise<{ status: number; json: unknown }> {
  let result: unknown;
  try {
    result = await handler({ request: await adminRequest(c.path, { shop: B, form: c.form }), params: c.params ?? {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) return { status: result.status, json: result.headers.get("content-type")?.includes("json") ? await result.json() : await result.text() };
  const r = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (r?.type === "DataWithResponseInit") return { status: r.init?.status ?? 200, json: r.data };
  return { status: 200, json: result };
}

const draft = {
  enabled: true,
  template: "Bravo here {{checkout_link}}",
  variants: [],
  holdoutPercent: 0,
  discountExpiryHours: 48,
  steps: [{ delayMinutes: 30, discountPercent: null }],
  windowHours: 48,
};

/** Every admin route's loader and action, each run as shop B. A route missing here fails the test. */
const CASES: Record<string, { loader?: Case; action?: Case[] }> = {
  "app.tsx": { loader: { path: "/app" } },
  "app._index.tsx": { loader: { path: "/app", expect: ({ status }) => expect(status).toBe(200) } },
  "app.flows._index.tsx": { loader: { path: "/app/flows", expect: ({ json }) => expect((json as unknown[]).length).toBeGreaterThan(0) } },
  "app.flows.$flow.tsx": {
    loader: { path: "/app/flows/cart_recovery", params: { flow: "cart_recovery" } },
    action: [{ path: "/app/flows/cart_recovery", params: { flow: "cart_recovery" }, form: { draft: JSON.stringify(draft) }, expect: ({ status }) => expect(status).toBe(200) }],
  },
  "app.flows.simulator.tsx": {
    loader: { path: "/app/flows/simulator" },
    action: [
      {
        path: "/app/flows/simulator",
        form: { scenario: JSON.stringify({ ...PRESET_SCENARIOS[0]!.scenario, phone: PHONE }) },
        expect: ({ json }) => expect(JSON.stringify(json)).toContain("Bravo Bikes"),
      },
    ],
  },
  "app.settings.tsx": {
    loader: { path: "/app/settings", expect: ({ json }) => expect(json).toMatchObject({ shopName: "Bravo Bikes", twilio: { state: "app" } }) },
    action: [
      {
        path: "/app/settings",
        form: { intent: "save", brandName: "Bravo", startHour: "9", endHour: "20", capPer8h: "1", capPer24h: "2", ratePerSecond: "1", segmentPrice: "0.0079", clickWindowDays: "7" },
      },
      { path: "/app/settings", form: { intent: "disconnect" } },
      // Connecting with A's account SID and no token must not borrow A's stored token.
      { path: "/app/settings", form: { intent: "connect", accountSid: A_OWN.accountSid, authToken: "", sender: A_OWN.messagingServiceSid }, expect: ({ status }) => expect(status).toBe(400) },
      { path: "/app/settings", form: { intent: "test_sms", phone: "+14155550100" }, expect: ({ status }) => expect(status).toBe(200) },
    ],
  },
  // Raising the spending cap (ADR 023): B has no plan of its own, and A's line item is never B's to raise.
  "app.billing.cap.tsx": { action: [{ path: "/app/billing/cap", form: { cap: "500" }, expect: ({ status }) => expect(status).toBe(400) }] },
  "app.campaigns._index.tsx": {
    loader: { path: "/app/campaigns", expect: ({ json }) => expect((json as { campaigns: unknown[] }).campaigns).toEqual([]) },
    action: [
      { path: "/app/campaigns", form: { rfm: JSON.stringify({ newWithinDays: 10, activeWithinDays: 60, lapsedAfterDays: 120, loyalMinOrders: 2 }) }, expect: ({ status }) => expect(status).toBe(200) },
    ],
  },
  "app.campaigns.new.tsx": {
    loader: { path: "/app/campaigns/new", expect: ({ json }) => expect(json).toMatchObject({ brandName: "Bravo Bikes" }) },
    action: [
      {
        path: "/app/campaigns/new",
        form: { intent: "send", campaign: JSON.stringify({ name: "Bravo sale", message: "Bravo sale {{checkout_link}}", audience: { kind: "subscribers" } }) },
        expect: ({ status }) => expect(status).toBe(302),
      },
    ],
  },
  "app.campaigns.reach.tsx": {
    loader: { path: "/app/campaigns/reach?audience=subscribers", expect: ({ json }) => expect(json).toMatchObject({ reach: { sendable: 1 } }) },
  },
  // A's campaign, read and cancelled by B.
  "app.campaigns.$id.tsx": {
    loader: { path: "/app/campaigns/CAMPAIGN_A", params: { id: "CAMPAIGN_A" }, expect: ({ status }) => expect(status).toBe(404) },
    action: [{ path: "/app/campaigns/CAMPAIGN_A", params: { id: "CAMPAIGN_A" }, form: { change: "cancel" }, expect: ({ status }) => expect(status).toBe(409) }],
  },
  "app.shoppers._index.tsx": {
    loader: { path: `/app/shoppers?q=${encodeURIComponent(PHONE)}`, expect: ({ json }) => expect((json as { rows: { id: string }[] }).rows.map((r) => r.id)).toEqual([shopperB]) },
  },
  // A's customers/data_request export, downloaded by B.
  "app.data-exports.$id.tsx": { loader: { path: "/app/data-exports/EXPORT_A", params: { id: "EXPORT_A" }, expect: ({ status }) => expect(status).toBe(404) } },
  // A's shopper texted A a question (flagged as a possible opt-out): B's inbox shows none of it.
  "app.inbox._index.tsx": { loader: { path: "/app/inbox", expect: ({ json }) => expect((json as { conversations: unknown[] }).conversations).toEqual([]) } },
  "app.inbox.$id.tsx": {
    loader: { path: "/app/inbox/A", params: { id: "A" }, expect: ({ status }) => expect(status).toBe(404) },
    action: [
      { path: "/app/inbox/A", params: { id: "A" }, form: { intent: "reply", body: "hello from B" }, expect: ({ status }) => expect(status).toBe(404) },
      { path: "/app/inbox/A", params: { id: "A" }, form: { intent: "done" }, expect: ({ status }) => expect(status).toBe(404) },
      { path: "/app/inbox/A", params: { id: "A" }, form: { intent: "confirm_opt_out", eventId: "EVENT_A" }, expect: ({ status }) => expect(status).toBe(404) },
    ],
  },
  "app.shoppers.$id.tsx": {
    loader: { path: "/app/shoppers/A", params: { id: "A" }, expect: ({ status }) => expect(status).toBe(404) },
    action: [{ path: "/app/shoppers/A", params: { id: "A" }, form: { intent: "opt_out" }, expect: ({ status }) => expect(status).toBe(404) }],
  },
};

/**
 * "A" in a case's params or path stands for shop A's shopper id, known once the shops exist;
 * "EXPORT_A" for A's data export; "CAMPAIGN_A" for A's scheduled campaign.
 */
const withIds = (c: Case): Case => ({
  ...c,
  path: c.path.replace("/A", `/${shopperA}`).replace("EXPORT_A", exportA).replace("CAMPAIGN_A", campaignA),
  params: Object.fromEntries(Object.entries(c.params ?? {}).map(([k, v]) => [k, v === "A" ? shopperA : v === "EXPORT_A" ? exportA : v === "CAMPAIGN_A" ? campaignA : v])),
  form: c.form && Object.fromEntries(Object.entries(c.form).map(([k, v]) => [k, v === "EVENT_A" ? eventA : v])),
});

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop(A, { name: "Alpha Boards" });
  await installShop(B, { name: "Bravo Bikes" });
  await saveTwilioCredentials((await database()).sql, A, A_OWN, encryptionKey()!);
  const settingsA = (await prisma.shop.findUniqueOrThrow({ where: { domain: A } })).settings as Record<string, unknown>;
  await prisma.shop.update({
    where: { domain: A },
    data: { settings: { ...settingsA, sending: { brandName: "Alpha", templates: { cart_recovery: "ALPHA-ONLY {{first_name}} {{checkout_link}}" } } } },
  });
  for (const [shop, name] of [
    [A, "Alice"],
    [B, "Bob"],
  ] as const) {
    const payload = checkoutPayload({ token: "same-token", createdAt: T, phone: PHONE, customerId: "4242" });
    payload.customer.first_name = name;
    expect((await checkoutsCreate({ request: webhookRequest("checkouts/create", payload, { shop }), params: {}, context: {} })).status).toBe(200);
  }
  shopperA = (await prisma.shopper.findFirstOrThrow({ where: { shop: A, phone: PHONE } })).id;
  shopperB = (await prisma.shopper.findFirstOrThrow({ where: { shop: B, phone: PHONE } })).id;
  const request = { ...fixture("customers_data_request"), shop_domain: A, customer: { id: 4242, email: null, phone: PHONE }, data_request: { id: 1 } };
  expect((await dataRequest({ request: webhookRequest("customers/data_request", request, { shop: A }), params: {}, context: {} })).status).toBe(200);
  exportA = (await prisma.dataExport.findFirstOrThrow({ where: { shop: A } })).id;
  const campaign = CampaignDraftSchema.parse({ name: "ALPHA-ONLY sale", message: "ALPHA-ONLY {{checkout_link}}", audience: { kind: "subscribers" } });
  campaignA = await scheduleCampaign((await database()).sql, A, campaign, new Date(T.getTime() + 86_400_000));
  const question = await prisma.journeyEvent.create({
    data: {
      shop: A,
      shopperId: shopperA,
      type: "sms_received",
      occurredAt: T,
      data: { body: "ALPHA-ONLY can you stop by?", messageSid: "SMalpha", possibleOptOut: { rule: "ambiguous:stop", confirmedAt: null } },
    },
  });
  eventA = question.id.toString();
  await prisma.conversation.create({ data: { shop: A, shopperId: shopperA, lastInboundAt: T } });
});
afterAll(() => fake.close());

describe("every admin route, loader and action, as another shop", () => {
  const routes = readdirSync("app/routes").filter((f) => f === "app.tsx" || f.startsWith("app."));

  it("has a case here for every admin route and every loader and action it exports", async () => {
    const missing: string[] = [];
    for (const file of routes) {
      const mod = (await import(`~/routes/${file.replace(/\.tsx$/, "")}`)) as { loader?: unknown; action?: unknown };
      if (mod.loader && !CASES[file]?.loader) missing.push(`${file} loader`);
      if (mod.action && !CASES[file]?.action?.length) missing.push(`${file} action`);
    }
    expect(missing).toEqual([]);
  });

  it.each(routes)("%s shows shop B nothing of shop A and changes none of A's rows", async (file) => {
    const mod = (await import(`~/routes/${file.replace(/\.tsx$/, "")}`)) as { loader?: Handler; action?: Handler };
    const runs: [Handler, Case][] = [
      ...(mod.loader && CASES[file]?.loader ? [[mod.loader, CASES[file].loader] as [Handler, Case]] : []),
      ...(mod.action ? (CASES[file]?.action ?? []).map((c) => [mod.action!, c] as [Handler, Case]) : []),
    ];
    const before = await rowsOfShop(A);
    for (const [handler, c] of runs) {
      const answer = await asShopB(handler, withIds(c));
      const text = JSON.stringify(answer.json);
      for (const marker of [...A_MARKERS, shopperA]) expect([c.form?.intent ?? c.path, text.includes(marker) ? marker : null]).toEqual([c.form?.intent ?? c.path, null]);
      expect(answer.status).toBeLessThan(500);
      c.expect?.(answer);
    }
    expect(await rowsOfShop(A)).toEqual(before);
  });

  it("sent B's test text from the app's shared account, not A's own", () => {
    const test = fake.messages.find((m) => m.to === "+14155550100");
    expect(test?.accountSid).toBe(process.env.TWILIO_ACCOUNT_SID);
  });
});

describe("the CLI, webhooks and Twilio callbacks", () => {
  it("npm run nudge -- inspect shopper shows the asked shop's shopper only", async () => {
    const out: string[] = [];
    const code = await runCli(["inspect", "shopper", PHONE, "--shop", B], { out: (t) => out.push(t), err: () => undefined, env: process.env, now: () => T });
    expect(code).toBe(0);
    const timeline = JSON.parse(out.join("\n"));
    expect(timeline.shopper).toMatchObject({ id: shopperB, firstName: "Bob" });
    for (const marker of [...A_MARKERS, shopperA]) expect(out.join("\n")).not.toContain(marker);
  });

  it("B's order for the same checkout token, and B's customers/redact for the same phone, leave A alone", async () => {
    const before = await rowsOfShop(A);
    const order = orderPayload({ id: "9001", checkoutToken: "same-token", createdAt: new Date(T.getTime() + 5 * 60_000) });
    expect((await ordersCreate({ request: webhookRequest("orders/create", order, { shop: B }), params: {}, context: {} })).status).toBe(200);
    const redact = { ...fixture("customers_redact"), shop_domain: B, customer: { id: 4242, email: null, phone: PHONE } };
    expect((await customersRedact({ request: webhookRequest("customers/redact", redact, { shop: B }), params: {}, context: {} })).status).toBe(200);
    expect(await prisma.shopper.count({ where: { shop: B, phone: PHONE } })).toBe(0);
    expect(await rowsOfShop(A)).toEqual(before);
  });

  it("a STOP to the shared sender opts out only where the shared sender texts, not shop A with its own account", async () => {
    // A fresh shopper in B with the same phone (the one above was redacted).
    const payload = checkoutPayload({ token: "again", createdAt: T, phone: PHONE });
    expect((await checkoutsCreate({ request: webhookRequest("checkouts/create", payload, { shop: B }), params: {}, context: {} })).status).toBe(200);
    const before = await rowsOfShop(A);
    const res = await inbound({ request: twilioWebhook("/twilio/inbound", { AccountSid: process.env.TWILIO_ACCOUNT_SID!, From: PHONE, Body: "STOP", MessageSid: "SMiso1" }), params: {}, context: {} });
    expect(res.status).toBe(200);
    expect((await prisma.shopper.findFirstOrThrow({ where: { shop: B, phone: PHONE } })).consent).toBe("revoked");
    expect(await rowsOfShop(A)).toEqual(before);

    // And a STOP to A's own sender reaches A only (B is already out; its rows stay as they are).
    const bBefore = await rowsOfShop(B);
    const own = await inbound({
      request: twilioWebhook("/twilio/inbound", { AccountSid: A_OWN.accountSid, From: PHONE, Body: "STOP", MessageSid: "SMiso2" }, A_OWN.authToken),
      params: {},
      context: {},
    });
    expect(own.status).toBe(200);
    expect((await prisma.shopper.findUniqueOrThrow({ where: { id: shopperA } })).consent).toBe("revoked");
    expect(await rowsOfShop(B)).toEqual(bBefore);
  });
});
