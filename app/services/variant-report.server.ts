import type { SqlDriver } from "../db/sql-driver.server";
import type { Flow } from "../journey";
import { probabilityBest } from "../offers/ab-test";

export interface VariantResult {
  variant: number;
  sent: number;
  /** Texts whose tracked link was followed at least once. */
  clicked: number;
  /** Texts that led to at least one attributed order. */
  converted: number;
  conversionRate: number;
  revenue: number;
  probabilityBest: number;
}

/**
 * An A/B test's scoreboard for a flow: per template variant, texts sent, texts clicked, texts
 * that led to an order (by the attribution rules), conversion rate, revenue, and the
 * probability that it is the best variant. Counted per text, so a text with two attributed
 * orders is one conversion (the Beta model needs a rate of at most one).
 */
export async function variantReport(sql: SqlDriver, shop: string, flow: Flow, range: { from: Date; to: Date }): Promise<VariantResult[]> {
  const rows = await sql.query<{ variant: number; sent: number; clicked: number; converted: number; revenue: string }>(
    `SELECT m.variant, count(*)::int AS sent,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM short_link l WHERE l.shop = m.shop AND l.message_id = m.id AND l.clicks > 0))::int AS clicked,
            count(a.message_id)::int AS converted, COALESCE(sum(a.revenue), 0)::text AS revenue
     FROM scheduled_message m
     LEFT JOIN (SELECT message_id, sum(revenue) AS revenue FROM attribution WHERE shop = $1 AND flow = $2 GROUP BY message_id) a ON a.message_id = m.id
     WHERE m.shop = $1 AND m.flow = $2 AND m.status = 'sent' AND m.variant IS NOT NULL AND m.sent_at >= $3 AND m.sent_at < $4
     GROUP BY m.variant
     ORDER BY m.variant`,
    [shop, flow, range.from, range.to],
  );
  const best = probabilityBest(rows.map((r) => ({ sent: r.sent, converted: r.converted })));
  return rows.map((r, i) => ({
    variant: r.variant,
    sent: r.sent,
    clicked: r.clicked,
    converted: r.converted,
    conversionRate: r.sent ? r.converted / r.sent : 0,
    revenue: Number(r.revenue),
    probabilityBest: best[i]!,
  }));
}
