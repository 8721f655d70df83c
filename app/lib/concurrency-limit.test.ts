import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "./concurrency-limit";

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe("concurrencyLimit", () => {
  it("never runs more than its limit at once across callers, and runs every call", async () => {
    const limit = concurrencyLimit(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          most = Math.max(most, ++running);
          await tick();
          running--;
          return i;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("frees a slot when a call throws, and passes the error on", async () => {
    const limit = concurrencyLimit(1);
    await expect(limit(async () => Promise.reject(new Error("Shopify said no")))).rejects.toThrow("Shopify said no");
    expect(await limit(async () => "next")).toBe("next");
  });
});
