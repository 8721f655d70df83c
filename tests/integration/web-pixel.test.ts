import { afterAll, describe, expect, it } from "vitest";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { fakeShopifyAdmin, mutationResult, shopDetailsResult, type AdminCall } from "../mocks/shopify-admin";
import { actionOutcome, adminRequest } from "../support/admin-request";
import { installShopAt } from "../support/shopify";

// Issue #18, item 2: the app creates the shop's web pixel (webPixelCreate, settings as the
// extension defines them) on install and from the Settings switch, and Settings says whether
// it is on. Calls go through the real Shopify client to a stand-in that checks them against
// the Admin API 2026-04 schema.
const T = new Date("2026-11-24T15:00:00Z");
const pixels = new Map<string, string>();
let refuseCreate = false;
const admin = fakeShopifyAdmin((call) => answer(call));
const { prisma } = await installShopAt(T);

function answer(call: AdminCall): Response {
  const name = /(?:query|mutation) (\w+)/.exec(call.query)?.[1];
  if (name === "nudgeShopDetails") return shopDetailsResult({ name: "Trail Co", currencyCode: "USD", ianaTimezone: "America/New_York", contactEmail: "hi@trail.example", countryCodeV2: "US" });
  if (name === "nudgeWebPixelCreate") {
    if (refuseCreate) return mutationResult("webPixelCreate", { webPixel: null, userErrors: [{ field: ["settings"], code: "INVALID_SETTINGS", message: "Settings are invalid" }] });
    if (pixels.has(call.shop)) return mutationResult("webPixelCreate", { webPixel: null, userErrors: [{ field: null, code: "TAKEN", message: "Web pixel is taken." }] });
    pixels.set(call.shop, String(call.variables.webPixel && (call.variables.webPixel as { settings: string }).settings));
    return mutationResult("webPixelCreate", { webPixel: { id: `gid://shopify/WebPixel/${pixels.size}`, settings: pixels.get(call.shop) }, userErrors: [] });
  }
  if (name === "nudgeWebPixel") return Response.json({ data: { webPixel: pixels.has(call.shop) ? { id: "gid://shopify/WebPixel/77", settings: pixels.get(call.shop) } : null } });
  if (name === "nudgeWebPixelUpdate")
    return mutationResult("webPixelUpdate", { webPixel: { id: call.variables.id, settings: (call.variables.webPixel as { settings: string }).settings }, userErrors: [] });
  if (name === "nudgeWebPixelDelete") {
    pixels.delete(call.shop);
    return mutationResult("webPixelDelete", { deletedWebPixelId: call.variables.id, userErrors: [] });
  }
  return Response.json({ errors: [{ message: `unexpected ${name}` }] });
}

const callsOf = (shop: string, name: string) => admin.calls.filter((c) => c.shop === shop && c.query.includes(` ${name}`));
const loadSettings = async (shop: string) => (await settingsLoader({ request: await adminRequest("/app/settings", { shop }), params: {}, context: {} })).webPixel;
const switchPixel = async (shop: string, on: boolean) =>
  actionOutcome<{ ok: boolean; status: { wanted: boolean; active: boolean; error: string | null } }>(
    await settingsAction({ request: await adminRequest("/app/settings", { shop, form: { intent: "web_pixel", on: String(on) } }), params: {}, context: {} }),
  );

afterAll(() => admin.restore());

describe("the shop's web pixel", () => {
  it("is created on install with the collector's URL and the shop as its settings, and Settings shows it on", async () => {
    const shop = "pixel-install.myshopify.com";
    expect(await loadSettings(shop)).toEqual({ wanted: true, active: true, error: null });
    const [create, ...more] = callsOf(shop, "nudgeWebPixelCreate");
    expect(more).toEqual([]);
    expect(JSON.parse((create!.variables.webPixel as { settings: string }).settings)).toEqual({ collectorUrl: "https://nudge.test/pixel/events", shop });
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ webPixelWanted: true, webPixelId: "gid://shopify/WebPixel/1" });
  });

  it("is switched off and on again from Settings", async () => {
    const shop = "pixel-switch.myshopify.com";
    await loadSettings(shop); // the install creates it
    const off = await switchPixel(shop, false);
    expect(off).toMatchObject({ status: 200, body: { ok: true, status: { wanted: false, active: false, error: null } } });
    expect(callsOf(shop, "nudgeWebPixelDelete")).toHaveLength(1);
    expect(await loadSettings(shop)).toEqual({ wanted: false, active: false, error: null });

    const on = await switchPixel(shop, true);
    expect(on).toMatchObject({ status: 200, body: { ok: true, status: { wanted: true, active: true, error: null } } });
    expect(callsOf(shop, "nudgeWebPixelCreate")).toHaveLength(2);
  });

  it("takes over a pixel Shopify already holds (a reinstall) and brings its settings up to date", async () => {
    const shop = "pixel-taken.myshopify.com";
    pixels.set(shop, JSON.stringify({ collectorUrl: "https://old.example/pixel/events", shop }));
    expect(await loadSettings(shop)).toEqual({ wanted: true, active: true, error: null });
    const [update] = callsOf(shop, "nudgeWebPixelUpdate");
    expect(update!.variables.id).toBe("gid://shopify/WebPixel/77");
    expect(JSON.parse((update!.variables.webPixel as { settings: string }).settings).collectorUrl).toBe("https://nudge.test/pixel/events");
  });

  it("says why it isn't running when Shopify refuses it, and the install still completes", async () => {
    const shop = "pixel-refused.myshopify.com";
    refuseCreate = true;
    try {
      expect(await loadSettings(shop)).toEqual({ wanted: true, active: false, error: "Settings are invalid" });
      expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ name: "Trail Co" });
      const again = await switchPixel(shop, true);
      expect(again.status).toBe(502);
    } finally {
      refuseCreate = false;
    }
    expect((await switchPixel(shop, true)).body.status).toEqual({ wanted: true, active: true, error: null });
  });

  it("is not created again on a reinstall once the merchant switched it off", async () => {
    const shop = "pixel-kept-off.myshopify.com";
    await loadSettings(shop);
    await switchPixel(shop, false);
    await prisma.session.deleteMany({ where: { shop } }); // a new token exchange runs afterAuth again
    await loadSettings(shop);
    expect(callsOf(shop, "nudgeWebPixelCreate")).toHaveLength(1);
  });
});
