import { describe, expect, it, vi } from "vitest";
import { CHROME_UA, expectNoPageErrors, SHOTS, untilDemo as until, setUpAdminHarness } from "../support/admin-browser";
import { daytimePhones } from "../support/daytime-phones";
import { checkoutPayload, orderPayload } from "../support/shopify";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 180_000 });

// Issue #17, item 2: the A/B scoreboard in Flows and "Promote the winner", in a real browser,
// with results made the way a shop makes them: the merchant adds text B in the editor, signed
// checkout webhooks, cart texts through Twilio (a local fake), clicks on the texts' links and
// orders credited to them. The demo runs 120x fast so the 20-minute cart delay passes in ten seconds.
const SCALE = 120;
const SHOPPERS = 12;
const TEXT_B = "{{first_name}}, {{shop_name}} saved your cart: {{checkout_link}}";
const { admin, fake } = setUpAdminHarness({ sender: true, timeScale: SCALE });

describe("the A/B test in a real browser", () => {
  it("shows sends, clicks, conversions and P(best) per text, and promotes the winner", async () => {
    const { page, errors } = await admin.newPage();
    const openFlow = async () => {
      await admin.openAdmin(page);
      await page.getByRole("link", { name: "Flows" }).first().click();
      await page.getByRole("link", { name: "Abandoned checkout" }).click();
      await page.getByRole("heading", { name: "Control group" }).waitFor();
    };
    await openFlow();
    await page.getByRole("button", { name: "Add an A/B variant" }).click();
    await page.getByLabel("Text B").fill(TEXT_B);
    await page.getByLabel("Shoppers held out of this flow").fill("0");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Flow saved.").waitFor();
    // No sends yet: the table, and no winner to promote.
    await page.getByText("No text of this test has been sent yet.").waitFor();

    // Shoppers leave checkouts; every B shopper clicks and buys, no A shopper does.
    const send = async (topic: string, payload: unknown) => expect((await admin.webhook(topic, payload)).status).toBe(200);
    const phones = daytimePhones(new Date((await admin.demoNow()) - 10 * 60_000), SHOPPERS);
    for (const [i, phone] of phones.entries()) {
      await send("checkouts/create", checkoutPayload({ token: `ab-${i}`, createdAt: new Date(), phone, customerId: String(7100 + i) }));
    }
    await until(() => fake.messages.length >= SHOPPERS, 90_000);
    const texts = phones.map((phone) => fake.messages.find((m) => m.to === phone)!);
    const bShoppers = texts.flatMap((t, i) => (t.body.includes("saved your cart") ? [i] : []));
    expect(bShoppers.length).toBeGreaterThan(0);
    expect(bShoppers.length).toBeLessThan(SHOPPERS);
    for (const i of bShoppers) {
      const link = texts[i]!.body.match(/http:\/\/localhost:\d+\/r\/[0-9A-Za-z]{10}/)![0];
      expect((await fetch(link, { redirect: "manual", headers: { "user-agent": CHROME_UA } })).status).toBe(302);
      await send("orders/create", orderPayload({ id: String(9100 + i), checkoutToken: `ab-${i}`, createdAt: new Date((await admin.demoNow()) + 60_000) }));
    }

    // The scoreboard, once the orders are credited: A sent, not clicked, not converted; B all three.
    const board = page.getByTestId("ab-scoreboard");
    const a = SHOPPERS - bShoppers.length;
    const b = bShoppers.length;
    const readCells = () => board.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td,th")].map((c) => c.textContent!.trim())));
    let cells: string[][] = [];
    await expect
      .poll(
        async () => {
          // Through the admin, as the merchant goes back to the flow (a bare reload loses the session token).
          await openFlow();
          await board.waitFor({ timeout: 30_000 });
          cells = await readCells();
          return cells[1]?.[3];
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(String(b));
    expect(cells[0]!.slice(1, 4)).toEqual([String(a), "0", "0"]);
    expect(cells[1]!.slice(1, 4)).toEqual([String(b), String(b), String(b)]);
    const pBest = (cell: string) => Number(cell.replace(/[<>%]/g, ""));
    expect(pBest(cells[1]![4]!)).toBeGreaterThan(pBest(cells[0]![4]!));
    await page.screenshot({ path: `${SHOTS}/ab-scoreboard.png`, fullPage: true });

    await page.getByRole("button", { name: "Promote the winner (text B)" }).click();
    await page.getByText("Text B is now this flow's only text.").waitFor();
    // The editor now holds B as the flow's one text, and the test is over.
    expect(await page.getByLabel("Text", { exact: true }).inputValue()).toBe(TEXT_B);
    expect(await page.getByLabel("Text B").count()).toBe(0);
    expect(await board.count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/ab-promoted.png`, fullPage: true });
    expectNoPageErrors(errors);
  });
});
