import type { Scenario, ScenarioStep } from "~/simulator/scenarios";

/**
 * A journey simulator story (app/simulator/scenarios.ts): a shopper who subscribes at checkout
 * and leaves it at `startTime` their time, outside the control group, then `thenSteps`.
 */
export function abandonedCheckoutScenario(phone: string, startTime: string, thenSteps: ScenarioStep[] = []): Scenario {
  return {
    phone,
    startTime,
    inControlGroup: false,
    steps: [{ action: "subscribe", afterMinutes: 0, source: "checkout" }, { action: "abandon_checkout", afterMinutes: 0 }, ...thenSteps],
  };
}
