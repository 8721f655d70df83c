import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { redirectLinksHome } from "~/privacy/redirect-links-home.server";
import { loader as follow } from "~/routes/r.$id";
import { installShop, TEST_SHOP } from "../support/shopify";

// customers/redact sends a shopper's tracked links home (app/privacy/redirect-links-home.server.ts).
// Here the case a whole redaction rarely meets: one text with several links.

const PREVIEW_BOT = "facebookexternalhit/1.1"; // follows without counting, so no text row is needed
const visit = (id: string) => follow({ request: new Request(`https://nudge.test/r/${id}`, { headers: { "user-agent": PREVIEW_BOT } }), params: { id }, context: {} });
const shopper = randomUUID();
const other = randomUUID();
const message = randomUUID();
const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 15, minute));

beforeAll(async () => {
  await installShop();
  const { sql } = await database();
  await sql.query(
    `INSERT INTO short_link (id, shop, message_id, shopper_id, target, clicks, first_clicked_at, last_clicked_at) VALUES
       ('checkout01', $1, $2, $3, 'https://snow.example/discount/NUDGE-A?redirect=%2Fcheckouts%2Fcn%2Fc1%2Frecover%3Fkey%3Dsecret1', 2, $5, $6),
       ('policies01', $1, $2, $3, 'https://snow.example/policies/privacy', 1, $4, $4),
       ('elsewhere1', $1, $2, $3, 'http://partner.example:8080/x?ref=c1', 0, NULL, NULL),
       ('otherone01', $1, $7, $8, 'https://snow.example/checkouts/cn/c2/recover?key=secret2', 0, NULL, NULL)`,
    [TEST_SHOP, message, shopper, at(5), at(10), at(30), randomUUID(), other],
  );
});

describe("redirectLinksHome", () => {
  it("folds a text's links to one storefront into one link to its home page, clicks summed, and leaves other shoppers' links alone", async () => {
    const { sql } = await database();
    await sql.transaction((tx) => redirectLinksHome(tx, TEST_SHOP, [shopper]));

    const rows = await sql.query(`SELECT id, target, clicks, first_clicked_at, last_clicked_at FROM short_link WHERE shop = $1 ORDER BY id`, [TEST_SHOP]);
    expect(rows).toEqual([
      { id: "checkout01", target: "https://snow.example/", clicks: 3, first_clicked_at: at(5), last_clicked_at: at(30) },
      { id: "elsewhere1", target: "http://partner.example:8080/", clicks: 0, first_clicked_at: null, last_clicked_at: null },
      expect.objectContaining({ id: "otherone01", target: "https://snow.example/checkouts/cn/c2/recover?key=secret2" }),
    ]);
    expect((await visit("checkout01")).headers.get("location")).toBe("https://snow.example/");
    expect((await visit("policies01")).status).toBe(404);
  });
});
