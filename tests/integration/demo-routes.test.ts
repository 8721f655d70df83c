import { describe, expect, it } from "vitest";
import { loader as demoEntry } from "~/routes/demo._index";
import { loader as idToken } from "~/routes/demo.id-token";
import { loader as appBridge } from "~/routes/demo.app-bridge[.]js";
import { loader as demoClock } from "~/routes/demo.clock";
import { loader as demoOutcome } from "~/routes/demo.outcome";
import { action as phoneReply, loader as phonesPage } from "~/routes/demo.phones";
import { loader as phonesJson } from "~/routes/demo.phones[.]json";
import { loader as storefront } from "~/routes/demo.store.$";

describe("demo-only routes outside the demo", () => {
  it.each([
    ["/demo", demoEntry],
    ["/demo/id-token", idToken],
    ["/demo/app-bridge.js", appBridge],
    ["/demo/phones", phonesPage],
    ["/demo/phones.json", phonesJson],
    ["/demo/clock", demoClock],
    ["/demo/outcome", demoOutcome],
    ["/demo/store/discount/NUDGE-ABCDEFGH", storefront],
  ])("%s answers 404 unless NUDGE_DEMO=1, so no one can mint session tokens", async (path, loader) => {
    expect(process.env.NUDGE_DEMO).toBeUndefined();
    const outcome = await Promise.resolve()
      .then(() => loader({ request: new Request(`https://nudge.test${path}`), params: {}, context: {} }))
      .catch((thrown: unknown) => thrown);
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(404);
  });
});

describe("the phones page's reply action outside the demo", () => {
  it("answers 404 before reading the form", async () => {
    const request = new Request("https://nudge.test/demo/phones", { method: "POST", body: new URLSearchParams({ from: "+12125550100", body: "STOP" }) });
    const outcome = await Promise.resolve()
      .then(() => phoneReply({ request, params: {}, context: {} }))
      .catch((thrown: unknown) => thrown);
    expect((outcome as Response).status).toBe(404);
  });
});
