import type { SqlDriver } from "../db/sql-driver.server";
import type { Flow } from "../journey";
import { probabilityBest } from "../offers/ab-test";

export interface VariantResult {
  variant: number;
  sent: number;
  converted: number;
  conversionRate: number;
  revenue: number;
  probabilityBest: number;
}

/**
 * An A/B test's scoreboard for a flow: per template variant, texts sent, orders attributed to
 * them, conversion rate, revenue, and the probability that it is the best variant.
 */
export async function variantReport(sql: SqlDriver, shop: string, flow: Flow, range: { from: Date; to: Date }): Promise<VariantResult[]> {
  const rows = await sql.query<{ variant: number; sent: number; converted: number; revenue: string }>(
    `SELECT m.variant, count(*)::int AS sent, count(a.id)::int AS converted, COALESCE(sum(a.revenue), 0)::text AS revenue
     FROM scheduled_message m
     LEFT JOIN attribution a ON a.message_id = m.id
     WHERE m.shop = $1 AND m.flow = $2 AND m.status = 'sent' AND m.variant IS NOT NULL AND m.sent_at >= $3 AND m.sent_at < $4
     GROUP BY m.variant
     ORDER BY m.variant`,
    [shop, flow, range.from, range.to],
  );
  const best = probabilityBest(rows.map((r) => ({ sent: r.sent, converted: r.converted })));
  return rows.map((r, i) => ({
    variant: r.variant,
    sent: r.sent,
    converted: r.converted,
    conversionRate: r.sent ? r.converted / r.sent : 0,
    revenue: Number(r.revenue),
    probabilityBest: best[i]!,
  }));
}
