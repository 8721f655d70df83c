import { describe, expect, it } from "vitest";
import { loader as demoEntry } from "~/routes/demo._index";
import { loader as idToken } from "~/routes/demo.id-token";
import { loader as appBridge } from "~/routes/demo.app-bridge[.]js";

describe("demo-only routes outside the demo", () => {
  it.each([
    ["/demo", demoEntry],
    ["/demo/id-token", idToken],
    ["/demo/app-bridge.js", appBridge],
  ])("%s answers 404 unless NUDGE_DEMO=1, so no one can mint session tokens", async (path, loader) => {
    expect(process.env.NUDGE_DEMO).toBeUndefined();
    const outcome = await Promise.resolve()
      .then(() => loader({ request: new Request(`https://nudge.test${path}`), params: {}, context: {} }))
      .catch((thrown: unknown) => thrown);
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(404);
  });
});
