import type { SqlDriver } from "../db/sql-driver.server";

// Twilio reports queued → sending → sent → delivered | undelivered | failed, possibly out of
// order. We keep the most advanced: a late "sent" never overwrites "delivered".
const RANK: Record<string, number> = { accepted: 1, scheduled: 1, queued: 1, sending: 2, sent: 3, delivered: 4, undelivered: 4, failed: 4, read: 5 };

function statusRank(status: string | null): number {
  return status ? (RANK[status] ?? 0) : 0;
}

const RANK_SQL = `CASE delivery_status ${Object.entries(RANK)
  .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
  .join(" ")} ELSE 0 END`;

/** Applies one status callback; returns whether it changed anything. */
export async function recordDeliveryStatus(sql: SqlDriver, update: { messageSid: string; status: string; errorCode: number | null; at: Date }): Promise<boolean> {
  const rank = statusRank(update.status);
  if (rank === 0) return false;
  const rows = await sql.query(
    `UPDATE scheduled_message
     SET delivery_status = $2,
         delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at END,
         error_code = COALESCE($3, error_code),
         updated_at = now()
     WHERE provider_sid = $1 AND ${RANK_SQL} < $5
     RETURNING id`,
    [update.messageSid, update.status, update.errorCode, update.at, rank],
  );
  return rows.length > 0;
}
