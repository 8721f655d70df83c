import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log, maskPhone } from "./log.server";

let stdout: string[];
let stderr: string[];
const lines = (written: string[]) =>
  written
    .join("")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  vi.stubEnv("LOG_LEVEL", "debug");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("log", () => {
  it("writes one JSON line per call: info on stdout, warn and error on stderr", () => {
    log.info("consent sync round", { claimed: 2 });
    log.warn("could not sync", { shop: "a.myshopify.com", error: new Error("502 Bad Gateway") });
    expect(lines(stdout)).toEqual([{ level: "info", time: expect.any(String), msg: "consent sync round", claimed: 2 }]);
    expect(lines(stderr)).toEqual([{ level: "warn", time: expect.any(String), msg: "could not sync", shop: "a.myshopify.com", error: { name: "Error", message: "502 Bad Gateway" } }]);
  });

  it("honours LOG_LEVEL at each call", () => {
    vi.stubEnv("LOG_LEVEL", "warn");
    log.info("hidden");
    log.debug("hidden too");
    log.error("shown");
    vi.stubEnv("LOG_LEVEL", "debug");
    log.debug("shown at debug");
    vi.stubEnv("LOG_LEVEL", "loud");
    log.info("shown at info, an unknown level's stand-in");
    log.debug("hidden at info");
    expect([...lines(stdout), ...lines(stderr)].map((l) => l.msg).sort()).toEqual(["shown", "shown at debug", "shown at info, an unknown level's stand-in"]);
  });

  it("never writes a secret passed in the context, at its top or one level down", () => {
    const secrets = ["shpat_abc123", "shprt_def456", "Bearer eyJhbGciOi", "twilio-secret-789", "api-secret-000"];
    log.error("Shopify call failed", {
      accessToken: secrets[0],
      refresh_token: secrets[1],
      headers: { authorization: secrets[2], "X-Shopify-Access-Token": secrets[0] },
      credentials: { authToken: secrets[3] },
      apiSecret: secrets[4],
      shop: "a.myshopify.com",
    });
    const written = stderr.join("");
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(lines(stderr)[0]).toMatchObject({ accessToken: "[Redacted]", headers: { authorization: "[Redacted]", "X-Shopify-Access-Token": "[Redacted]" }, shop: "a.myshopify.com" });
  });

  it("masks a phone number logged unmasked, and leaves a masked one as it was", () => {
    log.info("test text sent", { to: "+16135550123", phone: maskPhone("+16135550144") });
    expect(lines(stdout)[0]).toMatchObject({ to: "+1613***0123", phone: "+1613***0144" });
    expect(stdout.join("")).not.toContain("5550123");
  });
});
