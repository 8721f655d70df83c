import type { SqlDriver } from "../db/sql-driver.server";
import { runJourneyForShopper } from "./journey-runner.server";
import { lockShopper } from "./shoppers.server";

/**
 * A click on a tracked link: the target to send the shopper to, or null for an unknown link.
 * Human clicks are counted and become a `link_clicked` journey event; link-preview fetches
 * (bots, HEAD requests) get the redirect without counting.
 */
export async function followLink(sql: SqlDriver, id: string, click: { at: Date; counted: boolean }): Promise<string | null> {
  if (!click.counted) {
    const [link] = await sql.query<{ target: string }>("SELECT target FROM short_link WHERE id = $1", [id]);
    return link?.target ?? null;
  }
  return sql.transaction(async (tx) => {
    const [link] = await tx.query<{ target: string; shop: string; shopper_id: string; dedupe_key: string | null }>(
      `UPDATE short_link l SET clicks = l.clicks + 1, first_clicked_at = COALESCE(l.first_clicked_at, $2), last_clicked_at = $2
       FROM scheduled_message m
       WHERE l.id = $1 AND m.id = l.message_id
       RETURNING l.target, l.shop, l.shopper_id, m.dedupe_key`,
      [id, click.at],
    );
    if (!link) return null;
    const shopper = await lockShopper(tx, link.shop, link.shopper_id);
    if (shopper) {
      await runJourneyForShopper(tx, link.shop, shopper, [{ type: "link_clicked", at: click.at.getTime(), messageKey: link.dedupe_key ?? "" }], click.at);
    }
    return link.target;
  });
}
