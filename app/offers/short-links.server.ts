import { randomInt } from "node:crypto";
import type { SqlTx } from "../db/sql-driver.server";

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * 10 base-62 characters (about 59 bits): short in a text, not guessable. randomInt draws each
 * uniformly; a random byte % 62 would favour the first 8 characters (256 = 4 * 62 + 8).
 */
export function newLinkId(): string {
  let id = "";
  for (let i = 0; i < 10; i++) id += BASE62[randomInt(BASE62.length)];
  return id;
}

export function isLinkId(value: string): boolean {
  return /^[0-9A-Za-z]{10}$/.test(value);
}

export interface LinkOwner {
  messageId: string;
  shopperId: string;
  text: string;
}

/**
 * Replaces every link in each text with <base>/r/<id>, one id per recipient, message and
 * target (reused when the message is sent again), so clicks can be counted and attributed.
 * One statement for all of a shop's texts; returns the new texts in the same order.
 */
export async function shortenLinks(tx: SqlTx, shop: string, texts: readonly LinkOwner[], base: string): Promise<string[]> {
  const wanted = texts.flatMap((t) => [...new Set(t.text.match(URL_IN_TEXT) ?? [])].map((target) => ({ id: newLinkId(), message_id: t.messageId, shopper_id: t.shopperId, target })));
  if (wanted.length === 0) return texts.map((t) => t.text);
  const rows = await tx.query<{ id: string; message_id: string; target: string }>(
    `INSERT INTO short_link (id, shop, message_id, shopper_id, target)
     SELECT v.id, $1, v.message_id, v.shopper_id, v.target
     FROM jsonb_to_recordset($2::jsonb) AS v(id text, message_id uuid, shopper_id uuid, target text)
     ON CONFLICT (message_id, target) DO UPDATE SET target = EXCLUDED.target
     RETURNING id, message_id, target`,
    [shop, JSON.stringify(wanted)],
  );
  const idOf = new Map(rows.map((r) => [`${r.message_id}\n${r.target}`, r.id]));
  const prefix = `${base.replace(/\/$/, "")}/r/`;
  return texts.map((t) => [...new Set(t.text.match(URL_IN_TEXT) ?? [])].reduce((text, target) => text.split(target).join(prefix + idOf.get(`${t.messageId}\n${target}`)!), t.text));
}
