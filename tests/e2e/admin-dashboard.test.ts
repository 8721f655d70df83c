import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CHROME_UA, expectNoPageErrors, SHOTS, untilDemo as until, setUpAdminHarness } from "../support/admin-browser";
import { daytimePhones } from "../support/daytime-phones";
import { checkoutPayload, orderPayload } from "../support/shopify";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

// The dashboard of `npm run demo` with real data in it, made the way a shop makes it: signed
// checkout and order webhooks, cart texts through Twilio (a local fake), a click on a text's
// link, and an order credited to it. The demo runs 120x fast so the 20-minute cart delay
// passes in ten seconds.
const SCALE = 120;
const DAY = 86_400_000;
const { admin, fake } = setUpAdminHarness({ sender: true, timeScale: SCALE });

/** Data made the way a shop makes it (see the top of this file). */
async function seedShop(): Promise<void> {
  const send = async (topic: string, payload: unknown) => expect((await admin.webhook(topic, payload)).status).toBe(200);

  // Five shoppers start checkouts; the demo texts those outside its 10% control group.
  // In a zone where it is daytime by the demo's clock (quiet hours would hold the texts).
  const phones = daytimePhones(new Date((await admin.demoNow()) - 10 * 60_000));
  const now = new Date();
  for (const [i, phone] of phones.entries()) {
    await send("checkouts/create", checkoutPayload({ token: `dash-${i}`, createdAt: now, phone, customerId: String(7000 + i) }));
  }
  await until(() => fake.messages.length > 0, 60_000);
  const text = fake.messages[0]!;
  const texted = phones.indexOf(text.to);
  const link = text.body.match(/http:\/\/localhost:\d+\/r\/[0-9A-Za-z]{10}/)![0];
  expect((await fetch(link, { redirect: "manual", headers: { "user-agent": CHROME_UA } })).status).toBe(302);

  // The texted shopper buys after the click (stamped by the demo's fast clock).
  await send("orders/create", orderPayload({ id: "9001", checkoutToken: `dash-${texted}`, createdAt: new Date((await admin.demoNow()) + 60_000) }));
  // Two other shoppers bought earlier; one of them also 40 days ago (a repeat buyer over 90 days).
  const [second, third] = [0, 1, 2, 3, 4].filter((i) => i !== texted) as [number, number];
  await send("orders/create", orderPayload({ id: "9002", checkoutToken: `dash-${second}`, createdAt: new Date(Date.now() - 3 * DAY) }));
  await send("checkouts/create", checkoutPayload({ token: "dash-old", createdAt: new Date(Date.now() - 41 * DAY), phone: phones[third], customerId: String(7000 + third) }));
  await send("orders/create", orderPayload({ id: "9003", checkoutToken: "dash-old", createdAt: new Date(Date.now() - 40 * DAY) }));
  await send("orders/create", orderPayload({ id: "9004", checkoutToken: `dash-${third}`, createdAt: new Date(Date.now() - 5 * DAY) }));
}

const CHARTS = ["chart-revenue", "chart-texts", "chart-funnel", "chart-repeat", "chart-value", "chart-recency"];

/** The chart's own SVG (not just its legend's swatches) has been laid out. */
async function expectChartDrawn(page: Page, testId: string): Promise<void> {
  const widest = () =>
    page
      .getByTestId(testId)
      .locator("svg")
      .evaluateAll((svgs) => Math.max(0, ...svgs.map((svg) => svg.getBoundingClientRect().width)));
  await expect.poll(widest, { timeout: 10_000 }).toBeGreaterThan(150);
}

/** A headline figure: the paragraph after its label. */
async function metric(page: Page, label: string): Promise<string> {
  return (await page.getByText(label, { exact: true }).locator("xpath=following-sibling::p[1]").textContent()) ?? "";
}

describe("the dashboard in a real browser", () => {
  it("explains what will appear, next to the setup steps, before the shop has any data", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    await page.getByText("Your results will appear here", { exact: true }).waitFor();
    expect(await page.getByRole("heading", { name: "Get set up" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Review flows" }).getAttribute("href")).toBe("/app/flows");
    expect(await page.getByText("Revenue from texts").count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/dashboard-empty.png`, fullPage: true });
    expectNoPageErrors(errors);
  });
});

describe("the dashboard in a real browser, with data", () => {
  beforeAll(seedShop, 300_000);

  it("charts the shop's results and changes the period with the date range picker", async () => {
    const { page, errors } = await admin.newPage();
    // polaris-viz skips its entry animations then, so screenshots show the finished charts.
    await page.emulateMedia({ reducedMotion: "reduce" });
    // Tall enough for the whole page: a full-page screenshot then needs no resize, which
    // would make polaris-viz measure and draw its charts again mid-capture.
    await page.setViewportSize({ width: 1280, height: 1800 });
    // The credited order is stamped a little ahead of the demo's clock; reload until the
    // clock has caught up and the order's day is inside the default period.
    await expect
      .poll(
        async () => {
          await admin.openAdmin(page);
          return page.getByTestId("chart-revenue").count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(1);
    for (const id of CHARTS) await expectChartDrawn(page, id);
    // No NPS answers yet: a sentence, not an empty axis.
    expect(await page.getByRole("heading", { name: "Net Promoter Score" }).isVisible()).toBe(true);
    expect(await page.getByText("No data in this period").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Last 30 days", exact: true }).isVisible()).toBe(true);
    // Three buyers in the last 30 days, one order each.
    expect(await metric(page, "Repeat purchase rate")).toBe("0.0%");
    expect(await metric(page, "Recovered revenue")).toBe("$404.95");
    await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

    // A preset: the last 90 days take in the order from 40 days ago.
    await page.getByRole("button", { name: "Last 30 days", exact: true }).click();
    await page.getByRole("button", { name: "Last 90 days", exact: true }).click();
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page.getByRole("button", { name: "Apply", exact: true }).waitFor({ state: "detached" });
    await page.waitForURL(/[?&]from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
    const url = new URL(page.url());
    const days = (Date.parse(url.searchParams.get("to")!) - Date.parse(url.searchParams.get("from")!)) / DAY + 1;
    expect(days).toBe(90);
    await page.getByRole("button", { name: "Last 90 days", exact: true }).waitFor();
    await expect.poll(() => metric(page, "Repeat purchase rate")).toBe("33.3%");
    await expectChartDrawn(page, "chart-repeat");
    await page.screenshot({ path: `${SHOTS}/dashboard-range.png`, fullPage: true });

    // A custom range typed in, long before the shop had any data.
    await page.getByRole("button", { name: "Last 90 days", exact: true }).click();
    await page.getByLabel("Since").fill("2025-01-01");
    await page.getByLabel("Until").fill("2025-01-07");
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page.getByRole("button", { name: "Apply", exact: true }).waitFor({ state: "detached" });
    await page.waitForURL(/from=2025-01-01&to=2025-01-07/);
    await page.getByRole("button", { name: "Jan 1 – Jan 7, 2025", exact: true }).waitFor();
    expect(await metric(page, "Repeat purchase rate")).toBe("–");
    expect(await page.getByText("No data in this period").count()).toBe(7);
    expectNoPageErrors(errors);
  });

  it("answers a reversed period in the address with the default period and a notice, not an error", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    const url = new URL(page.url());
    url.searchParams.set("from", "2026-03-10");
    url.searchParams.set("to", "2026-03-01");
    const response = await page.goto(url.toString());
    expect(response?.status()).toBe(200);
    await page.getByText("The start date was after the end date, so this shows the last 30 days.").waitFor();
    expect(await page.getByRole("button", { name: "Last 30 days", exact: true }).isVisible()).toBe(true);
    expectNoPageErrors(errors);
  });
});

describe("the dashboard in a real browser, with control groups big enough to measure", () => {
  // Issue #17, item 2: each flow with a control group shows its lift and interval, and the
  // incremental revenue sits beside the recovered revenue. Half of the cart-recovery shoppers
  // are held out (set in Flows), and 90 more shoppers abandon a checkout: both groups reach 30.
  const SHOPPERS = 90;
  beforeAll(async () => {
    const { page } = await admin.newPage();
    await admin.openAdmin(page);
    await page.getByRole("link", { name: "Flows" }).first().click();
    await page.getByRole("link", { name: "Abandoned checkout" }).click();
    await page.getByLabel("Shoppers held out of this flow").fill("50");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Flow saved.").waitFor();

    const send = async (topic: string, payload: unknown) => expect((await admin.webhook(topic, payload)).status).toBe(200);
    const phones = daytimePhones(new Date((await admin.demoNow()) - 10 * 60_000), SHOPPERS);
    const now = new Date();
    for (const [i, phone] of phones.entries()) {
      await send("checkouts/create", checkoutPayload({ token: `lift-${i}`, createdAt: now, phone, customerId: String(8000 + i) }));
    }
    // Texts go out within seconds at the demo's speed: wait until no new one came for 5 s.
    const textedOf = () => new Set(fake.messages.map((m) => m.to).filter((to) => phones.includes(to)));
    let seen = -1;
    await until(
      () => {
        const n = textedOf().size;
        const settled = n === seen && n > 0;
        seen = n;
        return settled;
      },
      120_000,
      5_000,
    );
    // Every second texted shopper buys, every fourth held-out one: a lift of about 25 points.
    const texted = textedOf();
    const buyers = [...phones.filter((p) => texted.has(p)).filter((_, i) => i % 2 === 0), ...phones.filter((p) => !texted.has(p)).filter((_, i) => i % 4 === 0)];
    for (const [n, phone] of buyers.entries()) {
      const i = phones.indexOf(phone);
      await send("orders/create", orderPayload({ id: String(95_000 + n), checkoutToken: `lift-${i}`, createdAt: new Date((await admin.demoNow()) + 60_000) }));
    }
  }, 300_000);

  it("shows the cart-recovery lift with its interval, the incremental revenue and the ROI on it", async () => {
    const { page, errors } = await admin.newPage();
    await page.setViewportSize({ width: 1280, height: 1800 });
    await admin.openAdmin(page);
    const cart = page.getByTestId("lift-cart_recovery");
    await expect
      .poll(
        async () => {
          await admin.openAdmin(page);
          return cart.textContent();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toMatch(/^Lift \+\d+\.\d pts \(95% CI [-+]\d+\.\d to \+\d+\.\d\) · texted \d+\.\d% of (\d+) vs held out \d+\.\d% of (\d+) · incremental revenue \$[\d,]+\.\d\d/);
    const [, treated, control] = (await cart.textContent())!.match(/of (\d+) vs held out [\d.]+% of (\d+)/)!;
    expect(Number(treated)).toBeGreaterThanOrEqual(30);
    expect(Number(control)).toBeGreaterThanOrEqual(30);
    expect(await page.getByText("50% held out").isVisible()).toBe(true);
    // No other flow holds anyone out in the demo.
    expect(await page.getByTestId("lift-welcome").count()).toBe(0);
    expect(await metric(page, "Incremental revenue")).toMatch(/^-?\$[\d,]+\.\d\d$/);
    expect(await page.getByText(/^ROI -?[\d.]+×: incremental revenue over the cost of cart recovery texts$/).isVisible()).toBe(true);
    await page.getByTestId("lift-cart_recovery").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/dashboard-lift.png`, fullPage: true });
    expectNoPageErrors(errors);
  });
});
