import { randomBytes } from "node:crypto";
import type { SqlTx } from "../db/sql-driver.server";

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 10 base-62 characters (about 59 bits): short in a text, not guessable. */
export function newLinkId(): string {
  const bytes = randomBytes(10);
  let id = "";
  for (const byte of bytes) id += BASE62[byte % 62];
  return id;
}

export function isLinkId(value: string): boolean {
  return /^[0-9A-Za-z]{10}$/.test(value);
}

/**
 * Replaces every link in a text with <base>/r/<id>, one id per recipient, message and
 * target (reused when the message is sent again), so clicks can be counted and attributed.
 */
export async function shortenLinks(tx: SqlTx, text: string, owner: { shop: string; messageId: string; shopperId: string }, base: string): Promise<string> {
  const targets = [...new Set(text.match(URL_IN_TEXT) ?? [])];
  let result = text;
  for (const target of targets) {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO short_link (id, shop, message_id, shopper_id, target) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id, target) DO UPDATE SET target = EXCLUDED.target
       RETURNING id`,
      [newLinkId(), owner.shop, owner.messageId, owner.shopperId, target],
    );
    result = result.split(target).join(`${base.replace(/\/$/, "")}/r/${row!.id}`);
  }
  return result;
}
