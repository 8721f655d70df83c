import { describe, expect, it, vi } from "vitest";

// The offline demo's shop (npm run demo) has no Admin API: segment reads answer at once,
// without calling it, and another shop on the same server is still read from Shopify.
process.env.NUDGE_DEMO = "1";

describe("Shopify segments under the offline demo", () => {
  it("answers the demo shop without calling the Admin API, and still calls it for a real shop", async () => {
    const { listSegments, readSegment, readSegmentMembers } = await import("./shopify-segments.server");
    const { DEMO_SHOP } = await import("../demo/session-token.server");
    const request = vi.fn(async () => Response.json({ data: { segments: { nodes: [{ id: "gid://shopify/Segment/1", name: "VIP" }] } } }));
    const admin = { graphql: request } as never;
    expect(await listSegments(admin, DEMO_SHOP)).toEqual({ ok: false, message: "The demo shop has no Shopify segments." });
    expect(await readSegment(admin, DEMO_SHOP, "gid://shopify/Segment/1")).toMatchObject({ ok: false });
    expect(await readSegmentMembers(admin, DEMO_SHOP, "gid://shopify/Segment/1", "US")).toMatchObject({ ok: false });
    expect(request).not.toHaveBeenCalled();
    expect(await listSegments(admin, "real-shop.myshopify.com")).toEqual({ ok: true, value: [{ id: "gid://shopify/Segment/1", name: "VIP" }] });
    expect(request).toHaveBeenCalledTimes(1);
  });
});
