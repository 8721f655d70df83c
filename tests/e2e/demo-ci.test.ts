import { describe, expect, it } from "vitest";
import { compareOutcomes, expectedOutcome } from "~/demo/scenario/expected-outcome";
import { planScenario } from "~/demo/scenario/plan";
import { runDemoToEnd } from "../support/demo-process";

// `npm run demo -- --ci`: a fixed scenario played through the real app to its end, and a
// summary whose numbers must be the ones the scenario's plan predicts.
const SEED = 4242;
const SHOPPERS = 24;

describe("npm run demo -- --ci", () => {
  it("plays the seeded scenario to the end, prints a summary matching the plan, and exits 0", async () => {
    const run = await runDemoToEnd({ args: ["--ci", "--seed", String(SEED), "--shoppers", String(SHOPPERS)] });
    const summary = JSON.parse(run.stdout.slice(run.stdout.indexOf("{")) || "null");
    expect(summary?.differences, run.stderr.slice(-3000)).toEqual([]);
    expect(summary.matchesExpected).toBe(true);
    expect(run.code).toBe(0);

    // The expectation again, worked out here from the plan alone (and the control group the
    // app drew), so the comparison doesn't rest on the demo's own arithmetic.
    const scenario = planScenario({ seed: SEED, shoppers: SHOPPERS, days: 1, followUps: false });
    const control = new Set<string>(summary.controlGroup);
    const expected = expectedOutcome(scenario, (phone) => control.has(phone));
    expect(compareOutcomes(expected, summary.measured)).toEqual([]);
    expect(summary.measured.texts).toEqual(expected.texts);
    expect(summary.measured.revenue).toEqual(expected.revenue);
    expect(summary.scenario).toMatchObject({ seed: SEED, shoppers: SHOPPERS, days: 1 });

    // A real run: texts went out and were delivered, links were followed, orders credited.
    expect(summary.measured.texts.sent).toBeGreaterThan(5);
    expect(summary.measured.texts.delivered).toBe(summary.measured.texts.sent);
    expect(summary.measured.texts.clicked).toBeGreaterThan(0);
    expect(summary.measured.orders.attributed).toBeGreaterThan(0);
    expect(summary.measured.revenue.recovered).toBeGreaterThan(0);
    expect(summary.activity.failures).toEqual([]);

    // Issue #19: the merchant's campaign, sent from the composer as the run started through the
    // real fan-out and dispatcher, with results: its subscribers outside the control group got
    // it, some followed the link and bought (the store simulator), and it shows on its page.
    const campaign = summary.campaign;
    expect(campaign).toMatchObject({ name: "Weekend trail sale", status: "sent", recipients: 12 });
    expect(campaign.sent + campaign.held).toBe(12);
    expect(campaign.delivered).toBe(campaign.sent);
    expect(campaign.clicked).toBeGreaterThan(0);
    expect(campaign.orders).toBeGreaterThan(0);
    expect(campaign.revenue).toBeGreaterThan(0);
  }, 180_000);
});
