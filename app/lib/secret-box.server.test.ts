import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, parseEncryptionKey, sealSecret } from "./secret-box.server";

const key = randomBytes(32);

describe("secret box", () => {
  it("opens what it sealed, and the sealed form does not contain the secret", () => {
    const sealed = sealSecret("twilio-auth-token-1234", key);
    expect(sealed).not.toContain("twilio-auth-token-1234");
    expect(openSecret(sealed, key)).toBe("twilio-auth-token-1234");
  });

  it("seals the same secret differently each time", () => {
    expect(sealSecret("same", key)).not.toBe(sealSecret("same", key));
  });

  it("refuses a tampered value or the wrong key", () => {
    const sealed = sealSecret("secret", key);
    const parts = sealed.split(":");
    parts[3] = Buffer.from("SECRET").toString("base64");
    expect(openSecret(parts.join(":"), key)).toBeNull();
    expect(openSecret(sealed, randomBytes(32))).toBeNull();
    expect(openSecret("not sealed", key)).toBeNull();
  });

  it("accepts a 32-byte key in base64 or hex and nothing shorter", () => {
    expect(parseEncryptionKey(key.toString("base64"))).toEqual(key);
    expect(parseEncryptionKey(key.toString("hex"))).toEqual(key);
    expect(() => parseEncryptionKey(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });
});
