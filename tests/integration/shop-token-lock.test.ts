import { describe, expect, it, vi } from "vitest";

// The production build bundles app/ twice into one process: the Remix server build
// (build/server) and npm start's entry with the in-process dispatcher (build/entry). Each has its
// own copy of every module, so the token lock must hold across copies, or on PGlite (where it is
// an in-process queue) the admin's and the dispatcher's renewals of one shop race: the loser
// sends a refresh token Shopify has just rotated and the shop is flagged for re-auth.
async function freshCopy() {
  vi.resetModules();
  return (await import("~/adapters/shop-token-lock.server")).withShopTokenLock;
}

describe("a shop's token lock", () => {
  it("holds across two copies of the module in one process: one renewal at a time", async () => {
    const [first, second] = [await freshCopy(), await freshCopy()];
    expect(first).not.toBe(second);
    const events: string[] = [];
    const renewal = (name: string) => async () => {
      events.push(`${name} starts`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push(`${name} ends`);
    };
    await Promise.all([first("lock-copies.myshopify.com", renewal("a")), second("lock-copies.myshopify.com", renewal("b"))]);
    expect(events).toEqual(["a starts", "a ends", "b starts", "b ends"]);
  });
});
