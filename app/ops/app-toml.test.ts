import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { declaredApiVersion, declaredWebhookPaths } from "./app-toml";

describe("declaredWebhookPaths", () => {
  it("lists the /webhooks/ paths of the repository's shopify.app.toml, compliance topics included", () => {
    const result = declaredWebhookPaths(readFileSync("shopify.app.toml", "utf8"));
    expect(result.ok && result.paths).toEqual(expect.arrayContaining(["checkouts/create", "orders/create", "app/uninstalled", "shop/redact"]));
  });

  it("ignores commented-out subscriptions and subscriptions delivered elsewhere", () => {
    const toml = `
[webhooks]
api_version = "2026-04"
  # [[webhooks.subscriptions]]
  # uri = "/webhooks/orders/paid"
  [[webhooks.subscriptions]]
  topics = ["orders/create"]
  uri = "/webhooks/orders/create"
  [[webhooks.subscriptions]]
  topics = ["products/update"]
  uri = "pubsub://project:topic"
`;
    expect(declaredWebhookPaths(toml)).toEqual({ ok: true, paths: ["orders/create"] });
  });

  it("finds no paths in a file without webhooks", () => {
    expect(declaredWebhookPaths('name = "Nudge"\n')).toEqual({ ok: true, paths: [] });
  });

  it("says why a broken file can't be read", () => {
    expect(declaredWebhookPaths('[webhooks\nuri = "/webhooks/x"')).toMatchObject({ ok: false, message: expect.stringMatching(/^not valid TOML/) });
    expect(declaredWebhookPaths("[[webhooks.subscriptions]]\nuri = 3\n")).toMatchObject({ ok: false, message: expect.stringMatching(/^unexpected \[webhooks\] section/) });
  });
});

describe("declaredApiVersion", () => {
  it("reads [webhooks] api_version, and null where there is none or the file isn't TOML", () => {
    expect(declaredApiVersion('[webhooks]\napi_version = "2026-04"\n')).toBe("2026-04");
    expect(declaredApiVersion(readFileSync("shopify.app.toml", "utf8"))).toMatch(/^\d{4}-\d{2}$/);
    expect(declaredApiVersion('name = "Nudge"\n')).toBeNull();
    expect(declaredApiVersion("api_version = ")).toBeNull();
  });
});
