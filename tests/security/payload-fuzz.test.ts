import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { action as checkoutsUpdate } from "~/routes/webhooks.checkouts.update";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as optin } from "~/routes/proxy.optin";
import { appProxyRequest, fixture, installShop, webhookRequest } from "../support/shopify";

// Hostile values a field might carry: injection attempts, huge and emoji-heavy strings, wrong types.
const hostile = fc.oneof(
  fc.constantFrom("'; DROP TABLE shopper; --", "{{discount_code}}", "{% raw %}{{ shop.secret }}", "<script>alert(1)</script>", "\u0000", "+1 (555) 555-BILL", "NaN", "1e309", "-1"),
  fc.string({ maxLength: 40, unit: "grapheme" }),
  fc.string({ minLength: 10_000, maxLength: 10_000 }).map((s) => s || "x".repeat(10_000)),
  fc.constant("😀".repeat(2_000)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** The sample payload with some fields, top-level or nested, replaced by hostile values. */
function mutated(base: Record<string, unknown>) {
  const paths = collectPaths(base);
  return fc.array(fc.tuple(fc.constantFrom(...paths), hostile), { minLength: 1, maxLength: 6 }).map((edits) => {
    const copy = structuredClone(base);
    for (const [path, value] of edits) setPath(copy, path, value);
    return copy;
  });
}

function collectPaths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      out.push([...prefix, key]);
      if (prefix.length < 3) collectPaths(child, [...prefix, key], out);
    }
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== "object") return;
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

// 413: bodies over 16 KiB; 429: the per-IP and per-phone sign-up limits.
const ANSWERS_FOR_BAD_INPUT = [200, 400, 413, 422, 429];

/** The route's answer, returned or thrown (Remix sends a thrown Response as the reply). */
const answer = (run: Promise<Response>) => run.catch((thrown: unknown) => (thrown instanceof Response ? thrown : Promise.reject(thrown)));

beforeAll(async () => {
  await installShop();
});

describe("fuzzing signed payloads with hostile values", () => {
  it("refuses a NUL character (which PostgreSQL can't store) with 400, not a 500", async () => {
    const order = { ...fixture("orders_create"), note: "before\u0000after" };
    const res = await ordersCreate({ request: webhookRequest("orders/create", order), params: {}, context: {} });
    expect(res.status).toBe(400);
    const signUp = await answer(optin({ request: appProxyRequest("/proxy/optin", '{"phone":"+12125550140","firstName":"a\\u0000b"}'), params: {}, context: {} }));
    expect(signUp.status).toBe(422);
  });

  it("checkouts/update answers 200 or 400, never a 500 or a crash", async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(mutated(fixture("checkouts_create")), async (payload) => {
        const res = await checkoutsUpdate({ request: webhookRequest("checkouts/update", payload), params: {}, context: {} });
        statuses.add(res.status);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
    // Both outcomes happen: the fuzzer reaches the parser's refusals and the happy path.
    expect([...statuses].sort()).toEqual([200, 400]);
  });

  it("orders/create answers 200 or 400, never a 500 or a crash", async () => {
    await fc.assert(
      fc.asyncProperty(mutated(fixture("orders_create")), async (payload) => {
        const res = await ordersCreate({ request: webhookRequest("orders/create", payload), params: {}, context: {} });
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
  });

  it("the storefront opt-in answers with a 2xx or a clear 4xx, never a 500", async () => {
    const base = {
      phone: "+12125550140",
      country: "US",
      consent: true,
      disclosureText: "By signing up you agree to texts. Reply STOP to opt out.",
      disclosureVersion: "v1",
      pageUrl: "https://shop.example/",
    };
    let ip = 0;
    await fc.assert(
      fc.asyncProperty(mutated(base), async (payload) => {
        ip++;
        const res = await answer(optin({ request: appProxyRequest("/proxy/optin", payload, { ip: `198.51.100.${ip % 250}` }), params: {}, context: {} }));
        expect(ANSWERS_FOR_BAD_INPUT).toContain(res.status);
        const body = await res.json();
        if (res.status >= 400) expect(typeof body.error).toBe("string");
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
