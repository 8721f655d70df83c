import { describe, expect, it, vi } from "vitest";
import { parseEncryptionKey, sealSecret } from "../lib/secret-box.server";
import { encryptionKey, gatewayResolver } from "./sms.server";
import type { SmsGateway } from "./twilio.server";

// How often a shop's sealed Twilio token is opened.
const opened = vi.hoisted(() => ({ count: 0 }));
vi.mock("../lib/secret-box.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("../lib/secret-box.server")>();
  return { ...original, openSecret: (...args: Parameters<typeof original.openSecret>) => (opened.count++, original.openSecret(...args)) };
});

const key = () => parseEncryptionKey(process.env.NUDGE_ENCRYPTION_KEY!);
const settingsWith = (authToken: string) => ({
  twilio: { accountSid: `AC${"1".repeat(32)}`, sealedAuthToken: sealSecret(authToken, key()), messagingServiceSid: `MG${"2".repeat(32)}` },
});

describe("gatewayResolver", () => {
  it("opens a shop's sealed token once, not on every chunk, and again only when the stored account changes", () => {
    expect(encryptionKey()).not.toBeNull();
    const fallback = { sender: "env" } as unknown as SmsGateway;
    const resolve = gatewayResolver(fallback);
    const settings = settingsWith("token-one-0123456789");
    const first = resolve("a.myshopify.com", settings);
    expect(first).not.toBe(fallback);
    expect(resolve("a.myshopify.com", settings)).toBe(first);
    expect(resolve("a.myshopify.com", structuredClone(settings))).toBe(first);
    expect(opened.count).toBe(1);

    const changed = resolve("a.myshopify.com", settingsWith("token-two-0123456789"));
    expect(changed).not.toBe(first);
    expect(opened.count).toBe(2);

    expect(resolve("a.myshopify.com", {})).toBe(fallback);
    expect(opened.count).toBe(2);
  });

  it("falls back to the app's account when the stored token can't be opened, without trying each time", () => {
    const fallback = { sender: "env" } as unknown as SmsGateway;
    const resolve = gatewayResolver(fallback);
    const before = opened.count;
    const broken = { twilio: { accountSid: `AC${"3".repeat(32)}`, sealedAuthToken: "not-sealed", fromNumber: "+15005550006" } };
    expect(resolve("b.myshopify.com", broken)).toBe(fallback);
    expect(resolve("b.myshopify.com", broken)).toBe(fallback);
    expect(opened.count).toBe(before + 1);
  });
});
