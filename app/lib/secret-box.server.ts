import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM: confidentiality and integrity for secrets we must store (a merchant's Twilio
// auth token). The key comes from NUDGE_ENCRYPTION_KEY and never from the database.
const VERSION = "v1";

export function parseEncryptionKey(value: string): Buffer {
  const key = Buffer.from(value, /^[0-9a-f]{64}$/i.test(value) ? "hex" : "base64");
  if (key.length !== 32) throw new Error("NUDGE_ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded (openssl rand -base64 32)");
  return key;
}

export function sealSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), ciphertext.toString("base64")].join(":");
}

/** The plaintext, or null when the value was not sealed with this key or was altered. */
export function openSecret(sealed: string, key: Buffer): string | null {
  const [version, iv, tag, ciphertext] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || !ciphertext) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
