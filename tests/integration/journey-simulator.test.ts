import { beforeAll, describe, expect, it } from "vitest";
import { action as simulate } from "~/routes/app.flows.simulator";
import { action as saveFlow } from "~/routes/app.flows.$flow";
import { PRESET_SCENARIOS } from "~/simulator/scenarios";
import { adminRequest } from "../support/admin-request";
import { installShop } from "../support/shopify";

const florida = PRESET_SCENARIOS.find((p) => p.id === "florida-late")!.scenario;
const post = async (scenario: unknown) => {
  const res = await simulate({ request: await adminRequest("/app/flows/simulator", { form: { scenario: JSON.stringify(scenario) } }), params: {}, context: {} });
  return { status: res.status, body: await res.json() };
};

beforeAll(async () => {
  await installShop(undefined, { name: "Snow Devil" });
});

describe("the journey simulator page", () => {
  it("runs the shop's settings for a Florida number: Florida's 8pm quiet hours, one text, the shop's brand", async () => {
    const { status, body } = await post(florida);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, shopperZone: "America/New_York", region: "US", window: { startHour: 8, endHour: 20 } });
    const sent = body.result.timeline.filter((r: { kind: string }) => r.kind === "sent");
    expect(sent.map((r: { key: string }) => r.key)).toEqual(["cart:sim-checkout-1:1", "post_purchase:sim-order-1", "nps:sim-order-1", "win_back:sim-order-1"]);
    expect(sent[0].body).toMatch(/^Hey Maya! .*Snow Devil.*Reply STOP to opt out$/s);
    expect(body.result.timeline.some((r: { kind: string; reason?: string }) => r.kind === "deferred" && r.reason === "quiet_hours")).toBe(true);
  });

  it("follows the flows as saved: with the cart flow off, nothing is sent for the checkout", async () => {
    const draft = {
      enabled: false,
      template: "Hi {{first_name}} {{checkout_link}}",
      variants: [],
      holdoutPercent: 0,
      discountExpiryHours: 48,
      steps: [{ delayMinutes: 20, discountPercent: 10 }],
      windowHours: 48,
    };
    const saved = await saveFlow({ request: await adminRequest("/app/flows/cart_recovery", { form: { draft: JSON.stringify(draft) } }), params: { flow: "cart_recovery" }, context: {} });
    expect(saved.status).toBe(200);
    const { body } = await post(florida);
    expect(body.result.timeline.filter((r: { flow?: string }) => r.flow === "cart_recovery")).toEqual([]);
    expect(body.result.notes).toContain("No cart text: the abandoned checkout flow is off.");
  });

  it.each([
    [{ ...florida, phone: "12345" }, "phone"],
    [{ ...florida, startTime: "25:99" }, "startTime"],
    [{ ...florida, steps: [] }, "steps"],
    [{ ...florida, steps: [{ action: "click_text", afterMinutes: 5 }] }, "steps.0.afterText"],
    ["not json", "form"],
  ])("answers a bad scenario with 422 and the field at fault (%#)", async (scenario, field) => {
    const res = await simulate({
      request: await adminRequest("/app/flows/simulator", { form: { scenario: typeof scenario === "string" ? scenario : JSON.stringify(scenario) } }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(422);
    expect(Object.keys((await res.json()).errors)).toContain(field);
  });

  it("refuses a request without a valid session token", async () => {
    const request = await adminRequest("/app/flows/simulator", { form: { scenario: JSON.stringify(florida) }, token: "not-a-token" });
    const outcome = await simulate({ request, params: {}, context: {} }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBeGreaterThanOrEqual(400);
  });
});
