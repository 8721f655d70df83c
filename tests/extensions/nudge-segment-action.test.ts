import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { loader as reachLoader } from "~/routes/app.campaigns.reach";
import { fakeShopifyAdmin } from "../mocks/shopify-admin";
import { adminRequest } from "../support/admin-request";
import { installShop, TEST_SHOP } from "../support/shopify";

// Issue #19, item 5: the customer segment action extension. Its toml declares the segment details
// target; its bundle (built here as the Shopify CLI builds it, with esbuild) runs in a fresh
// context against a small stand-in for the admin's DOM and `shopify` API, and asks the app's
// real reach route (through a signed request, as Shopify's ID token signs it) for the reach.
const EXTENSION = "extensions/nudge-segment-action";
const SEGMENT = "gid://shopify/Segment/9001";
let bundle = "";

class FakeElement {
  readonly attributes = new Map<string, string>();
  readonly children: FakeElement[] = [];
  readonly listeners = new Map<string, () => void>();
  textContent = "";
  constructor(readonly tagName: string) {}
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value);
  }
  getAttribute(name: string) {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string) {
    this.attributes.delete(name);
  }
  appendChild(child: FakeElement) {
    this.children.push(child);
    return child;
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, listener);
  }
  /** Every element below, depth first. */
  all(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
}

async function render(fetchReach: (url: string) => Promise<Response>) {
  const body = new FakeElement("body");
  let closed = 0;
  const context = {
    document: { body, createElement: (tag: string) => new FakeElement(tag) },
    shopify: { data: { selected: [{ id: SEGMENT }] }, close: () => void closed++ },
    fetch: fetchReach,
    URLSearchParams,
    encodeURIComponent,
    Error,
    JSON,
    Object,
  };
  runInNewContext(`${bundle}; globalThis.extension = nudgeSegmentAction.default;`, context);
  await (context as unknown as { extension: () => Promise<void> }).extension();
  const [action] = body.children;
  return {
    action: action!,
    texts: action!
      .all()
      .filter((e) => e.tagName === "s-paragraph")
      .map((e) => e.textContent),
    closed: () => closed,
  };
}

beforeAll(async () => {
  const result = await build({ entryPoints: [`${EXTENSION}/src/index.ts`], bundle: true, format: "iife", globalName: "nudgeSegmentAction", target: "es2020", write: false, logLevel: "silent" });
  bundle = result.outputFiles[0]!.text;
  setClock(fixedClock(new Date("2026-11-24T15:00:00Z")));
  const prisma = await installShop();
  await prisma.shopper.createMany({
    data: [
      { shop: TEST_SHOP, customerId: "501", phone: "+16465550501", consent: "granted" },
      { shop: TEST_SHOP, customerId: "502", phone: "+16465550502", consent: "granted" },
      { shop: TEST_SHOP, customerId: "503", phone: "+16465550503", consent: "revoked" },
    ],
  });
});

const members = [501, 502, 503, 504].map((id) => ({ node: { id: `gid://shopify/CustomerSegmentMember/${id}`, defaultPhoneNumber: null } }));
const admin = fakeShopifyAdmin((call) => {
  const start = call.variables.after ? 2 : 0;
  return Response.json({
    data: { customerSegmentMembers: { totalCount: 4, edges: members.slice(start, start + 2), pageInfo: { hasNextPage: start === 0, endCursor: start === 0 ? "next" : null } } },
  });
});
afterAll(() => admin.restore());

describe("the customer segment action extension", () => {
  it("is declared on the segment details page's action target, labelled for the merchant", () => {
    const toml = readFileSync(`${EXTENSION}/shopify.extension.toml`, "utf8");
    expect(toml).toMatch(/^\[\[extensions\.targeting\]\]\s*\nmodule = "\.\/src\/index\.ts"\s*\ntarget = "admin\.customer-segment-details\.action\.render"$/m);
    expect(toml).toMatch(/^name = "Send an SMS with Nudge"$/m);
    expect(toml).toMatch(/^type = "ui_extension"$/m);
  });

  it("shows the segment's reach from the app and opens the composer with the segment chosen", async () => {
    const asked: string[] = [];
    const { action, texts, closed } = await render(async (url) => {
      asked.push(url);
      // The app's own route, as Shopify's fetch reaches it with a signed token.
      return reachLoader({ request: await adminRequest(url), params: {}, context: {} });
    });
    expect(asked).toEqual([`/app/campaigns/reach?audience=segment%3A${encodeURIComponent(SEGMENT)}&smart=0`]);
    expect(action.tagName).toBe("s-admin-action");
    expect(action.getAttribute("heading")).toBe("Send an SMS with Nudge");
    expect(action.getAttribute("loading")).toBeNull();
    expect(texts).toEqual(["2 customers in this segment can get a text.", "Left out: 1 opted out, 1 without SMS consent recorded by Nudge."]);
    const [primary, cancel] = action.all().filter((e) => e.tagName === "s-button");
    expect(primary!.getAttribute("slot")).toBe("primary-action");
    expect(primary!.getAttribute("href")).toBe(`app:app/campaigns/new?segment=${encodeURIComponent(SEGMENT)}`);
    cancel!.listeners.get("click")!();
    expect(closed()).toBe(1);
  });

  it("still offers the composer when the reach can't be counted", async () => {
    const { action, texts } = await render(async () => Response.json({ error: "Shopify's segment could not be read." }, { status: 503 }));
    expect(texts).toEqual(["Nudge couldn't count this segment's reach now; the composer shows it."]);
    expect(
      action
        .all()
        .find((e) => e.getAttribute("slot") === "primary-action")!
        .getAttribute("href"),
    ).toContain("segment=");
    expect(action.getAttribute("loading")).toBeNull();
  });
});
