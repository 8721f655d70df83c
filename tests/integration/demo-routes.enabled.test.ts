import { describe, expect, it } from "vitest";

// The demo routes as `npm run demo` serves them (NUDGE_DEMO=1), without the phone simulator.
process.env.NUDGE_DEMO = "1";
const { action: phoneReply } = await import("~/routes/demo.phones");
const { loader: phonesJson } = await import("~/routes/demo.phones[.]json");
const { loader: storefront } = await import("~/routes/demo.store.$");
const { loader: demoClock } = await import("~/routes/demo.clock");

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

describe("demo routes with NUDGE_DEMO=1", () => {
  it("turns the shopper's discount link into a cookie and a redirect that stays on the local stand-in", async () => {
    const res = await storefront(args(new Request("https://nudge.test/demo/store/discount/NUDGE-ABCDEFGH?redirect=%2Fcheckouts%2Fcn%2Ftok1%2Frecover%3Fkey%3D1"), { "*": "discount/NUDGE-ABCDEFGH" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/demo/store/checkouts/cn/tok1/recover?key=1");
    expect(res.headers.get("set-cookie")).toMatch(/^demo_discount=NUDGE-ABCDEFGH; Path=\/demo\/store/);
  });

  it("keeps the code of a cart permalink (a browse or cart text's link) and lands on the stand-in", async () => {
    const res = await storefront(args(new Request("https://nudge.test/demo/store/cart/70011:1,70021:2?discount=NUDGE-ABCDEFGH"), { "*": "cart/70011:1,70021:2" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/demo/store");
    expect(res.headers.get("set-cookie")).toMatch(/^demo_discount=NUDGE-ABCDEFGH; Path=\/demo\/store/);
  });

  it.each(["//evil.example/phish", "https://evil.example/", "javascript:alert(1)"])("never redirects to %s", async (target) => {
    const url = `https://nudge.test/demo/store/discount/X?redirect=${encodeURIComponent(target)}`;
    const res = await storefront(args(new Request(url), { "*": "discount/X" }));
    expect(res.headers.get("location")).toBe("/demo/store");
  });

  it("shows the checkout stand-in with the code that was applied", async () => {
    const res = await storefront(
      args(new Request("https://nudge.test/demo/store/checkouts/cn/unknown-token/recover", { headers: { cookie: "demo_discount=NUDGE-ABCDEFGH" } }), { "*": "checkouts/cn/unknown-token/recover" }),
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Checkout</h1>");
    expect(html).toContain("Discount <strong>NUDGE-ABCDEFGH</strong> applied");
  });

  it("escapes whatever the cookie holds", async () => {
    const res = await storefront(args(new Request("https://nudge.test/demo/store/", { headers: { cookie: "demo_discount=%3Cscript%3E" } }), { "*": "" }));
    expect(await res.text()).not.toContain("<script>");
  });

  it("answers a reply with a bad number or an empty body with 422, and a body that isn't a form with 400", async () => {
    const post = (body: BodyInit, type?: string) => phoneReply(args(new Request("https://nudge.test/demo/phones", { method: "POST", body, headers: type ? { "content-type": type } : {} })));
    expect((await post(new URLSearchParams({ from: "12", body: "STOP" }))).status).toBe(422);
    expect((await post(new URLSearchParams({ from: "+12125550100", body: "  " }))).status).toBe(422);
    expect((await post("{not a form", "application/json")).status).toBe(400);
  });

  it("says the phones are unavailable when the demo runs without its phone simulator", async () => {
    const res = await phonesJson(args(new Request("https://nudge.test/demo/phones.json")));
    expect(await res.json()).toEqual({ available: false, phones: [] });
  });

  it("reports the app's clock and its speed", async () => {
    const body = await (await demoClock(args(new Request("https://nudge.test/demo/clock")))).json();
    expect(body.scale).toBe(1);
    expect(Math.abs(Date.parse(body.now) - Date.now())).toBeLessThan(5_000);
  });
});
