import type { SqlTx } from "../db/sql-driver.server";

/**
 * customers/redact: the shoppers' tracked links (/r/<id>) stop leading to their checkouts.
 * A link's target is the recovery URL with its key (through /discount/<code>?redirect=…), so
 * it becomes the home page of the same storefront: a click still lands in the shop, and the
 * merchant's click counts stay. Links of one text that now share a target (the unique key is
 * message + target) fold into one, their clicks summed; the folded ids answer 404.
 */
export async function redirectLinksHome(tx: SqlTx, shop: string, shopperIds: string[]): Promise<void> {
  await tx.query(
    `WITH links AS (
       SELECT id, message_id, target, clicks, first_clicked_at, last_clicked_at,
              coalesce(substring(target from '^https?://[^/?#]+'), 'https://' || shop) || '/' AS home
       FROM short_link WHERE shop = $1 AND shopper_id = ANY($2::uuid[])
     ), ranked AS (
       SELECT id, home, row_number() OVER (PARTITION BY message_id, home ORDER BY target = home DESC, id) AS n,
              (sum(clicks) OVER same)::int AS clicks, min(first_clicked_at) OVER same AS first_at, max(last_clicked_at) OVER same AS last_at
       FROM links WINDOW same AS (PARTITION BY message_id, home)
     ), folded AS (
       DELETE FROM short_link l USING ranked r WHERE l.id = r.id AND r.n > 1
     )
     UPDATE short_link l SET target = r.home, clicks = r.clicks, first_clicked_at = r.first_at, last_clicked_at = r.last_at
     FROM ranked r WHERE l.id = r.id AND r.n = 1`,
    [shop, shopperIds],
  );
}
