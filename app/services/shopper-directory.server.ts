import type { PrismaClient } from "@prisma/client";
import type { SqlDriver } from "../db/sql-driver.server";

const PAGE_SIZE = 25;

interface ShopperRow {
  id: string;
  phone: string | null;
  email: string | null;
  firstName: string | null;
  stage: string;
  consent: string;
  orderCount: number;
  updatedAt: Date;
}

/** One page of a shop's shoppers, newest activity first, optionally filtered by phone, email or name. */
export async function listShoppers(prisma: PrismaClient, shop: string, options: { query?: string; page?: number }) {
  const query = options.query?.trim();
  const page = Math.max(1, options.page ?? 1);
  const digits = query?.replace(/\D/g, "");
  // Prisma's `contains` becomes LIKE '%…%' without escaping LIKE's own wildcards
  // (github.com/prisma/prisma/issues/19506): "%" would match everyone.
  const literal = query?.replace(/[\\%_]/g, "\\$&");
  const where = {
    shop,
    consent: { not: "redacted" },
    ...(query
      ? {
          OR: [
            ...(digits && digits.length >= 3 ? [{ phone: { contains: digits } }] : []),
            { email: { contains: literal, mode: "insensitive" as const } },
            { firstName: { contains: literal, mode: "insensitive" as const } },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.shopper.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, phone: true, email: true, firstName: true, stage: true, consent: true, orderCount: true, updatedAt: true },
    }),
    prisma.shopper.count({ where }),
  ]);
  return { rows: rows satisfies ShopperRow[], total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export type TimelineEntry = {
  at: Date;
  kind: "event" | "message" | "consent" | "order" | "attribution";
  title: string;
  detail: string | null;
};

/**
 * Everything that happened to one shopper, newest first: journey events, texts with their
 * status and skip reasons, consent evidence, orders and what they were credited to. Two round
 * trips side by side: the shopper, and one statement for all five histories (each read through
 * its (shop, shopper_id, ...) index, newest first, capped).
 */
export async function shopperTimeline(deps: { prisma: PrismaClient; sql: SqlDriver }, shop: string, id: string) {
  const [shopper, rows] = await Promise.all([
    deps.prisma.shopper.findFirst({ where: { shop, id } }),
    deps.sql.query<{ part: number; at: Date; d: Record<string, string | boolean | null> & { data?: unknown } }>(TIMELINE_SQL, [shop, id]),
  ]);
  if (!shopper) return null;
  const part = (n: number) => rows.filter((r) => r.part === n);
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  const entries: TimelineEntry[] = [
    ...part(0).map(({ at, d }) => ({ at, kind: "event" as const, title: eventTitle(String(d.type)), detail: eventDetail(String(d.type), d.data) })),
    ...part(1).map(({ at, d }) => ({
      at,
      kind: "message" as const,
      title: `${flowName(String(d.flow))} text ${d.status}${d.reason ? ` (${reasonText(String(d.reason))})` : ""}`,
      detail: text(d.body) ?? (d.delivery_status ? `delivery: ${d.delivery_status}` : null),
    })),
    ...part(2).map(({ at, d }) => ({
      at,
      kind: "consent" as const,
      title: `Consent ${d.status} via ${d.source}`,
      detail: consentDetail({
        disclosureText: text(d.disclosure_text),
        disclosureVersion: text(d.disclosure_version),
        ip: text(d.ip),
        pageUrl: text(d.page_url),
        messageText: text(d.message_text),
        matchedRule: text(d.matched_rule),
      }),
    })),
    ...part(3).map(({ at, d }) => ({ at, kind: "order" as const, title: `Order ${d.name ?? d.shopify_order_id}`, detail: `${d.total_price} ${d.currency}` })),
    ...part(4).map(({ at, d }) => ({
      at,
      kind: "attribution" as const,
      title: `Order credited to the ${flowName(String(d.flow))} text (${d.rule})`,
      detail: `${d.revenue} ${d.currency}${d.recovered ? " recovered" : ""}`,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  return { shopper, entries };
}

// Amounts are numeric(14, 2), whose text form always has two decimals. Each part keeps its
// own newest-first order (n), so the stable sort above sees the parts as separate reads would.
const TIMELINE_SQL = `
  SELECT part, at, d FROM (
    (SELECT 0 AS part, row_number() OVER (ORDER BY occurred_at DESC) AS n, occurred_at AS at,
            jsonb_build_object('type', type, 'data', data) AS d
     FROM journey_event WHERE shop = $1 AND shopper_id = $2::uuid ORDER BY occurred_at DESC LIMIT 200)
    UNION ALL
    (SELECT 1, row_number() OVER (ORDER BY due_at DESC), COALESCE(sent_at, due_at),
            jsonb_build_object('flow', flow, 'status', status, 'reason', reason, 'body', body, 'delivery_status', delivery_status)
     FROM scheduled_message WHERE shop = $1 AND shopper_id = $2::uuid ORDER BY due_at DESC LIMIT 200)
    UNION ALL
    (SELECT 2, row_number() OVER (ORDER BY collected_at DESC), collected_at,
            jsonb_build_object('status', status, 'source', source, 'disclosure_text', disclosure_text,
                               'disclosure_version', disclosure_version, 'ip', ip, 'page_url', page_url,
                               'message_text', message_text, 'matched_rule', matched_rule)
     FROM consent WHERE shop = $1 AND shopper_id = $2::uuid ORDER BY collected_at DESC LIMIT 50)
    UNION ALL
    (SELECT 3, row_number() OVER (ORDER BY placed_at DESC), placed_at,
            jsonb_build_object('name', name, 'shopify_order_id', shopify_order_id, 'total_price', total_price::text, 'currency', currency)
     FROM "order" WHERE shop = $1 AND shopper_id = $2::uuid ORDER BY placed_at DESC LIMIT 100)
    UNION ALL
    (SELECT 4, row_number() OVER (ORDER BY created_at DESC), created_at,
            jsonb_build_object('flow', flow, 'rule', rule, 'revenue', revenue::text, 'currency', currency, 'recovered', recovered)
     FROM attribution WHERE shop = $1 AND shopper_id = $2::uuid ORDER BY created_at DESC LIMIT 100)
  ) parts
  ORDER BY part, n`;

const FLOW_NAMES: Record<string, string> = {
  welcome: "Welcome",
  browse_abandonment: "Browse abandonment",
  cart_abandonment: "Abandoned cart",
  cart_recovery: "Abandoned checkout",
  post_purchase: "Post-purchase",
  win_back: "Win-back",
  nps_survey: "NPS question",
  confirm_optin: "Confirmation",
  campaign: "Campaign",
};
export const flowName = (flow: string) => FLOW_NAMES[flow] ?? flow;

// Why a text waited, was skipped or cancelled, where the code alone doesn't say it plainly.
const REASONS: Record<string, string> = {
  frequency_cap_wait: "waiting for the frequency cap to allow it",
  handed_over: "the shopper moved on, the next flow's text goes instead",
  browse_recently: "a browse text went out in the last 72 hours",
};
const reasonText = (reason: string) => REASONS[reason] ?? reason.replace(/_/g, " ");

export function eventTitle(type: string): string {
  const titles: Record<string, string> = {
    opted_in: "Opted in",
    opted_out: "Opted out",
    checkout_updated: "Checkout started or updated",
    order_created: "Placed an order",
    product_viewed: "Viewed a product",
    cart_item_added: "Added to cart",
    link_clicked: "Clicked a link",
    sms_received: "Replied",
    inbox_reply: "Merchant replied from the inbox",
    nps: "NPS answer",
  };
  return titles[type] ?? type.replace(/_/g, " ");
}

/** A consent record's evidence in a line: the disclosure shown, or the text that made the change and the rule that read it (ADR 020). */
export function consentDetail(c: {
  disclosureText: string | null;
  disclosureVersion: string | null;
  ip: string | null;
  pageUrl: string | null;
  messageText: string | null;
  matchedRule: string | null;
}): string | null {
  const reply = c.messageText !== null ? `texted "${c.messageText}"${c.matchedRule ? ` (${c.matchedRule})` : ""}` : null;
  return [reply, c.disclosureText && `"${c.disclosureText}"`, c.disclosureVersion && `v${c.disclosureVersion}`, c.ip, c.pageUrl].filter(Boolean).join(" · ") || null;
}

export function eventDetail(type: string, data: unknown): string | null {
  const record = (data ?? {}) as Record<string, unknown>;
  if (type === "sms_received" && typeof record.body === "string") {
    const flag = record.possibleOptOut as { rule?: unknown; confirmedAt?: unknown } | undefined;
    if (!flag) return `"${record.body}"`;
    return `"${record.body}" · ${flag.confirmedAt ? "opt-out confirmed by the merchant" : `possible opt-out (${String(flag.rule)})`}`;
  }
  if (type === "inbox_reply" && typeof record.body === "string") return `"${record.body}"`;
  if (type === "nps" && typeof record.score === "number") return `Score ${record.score}`;
  if ((type === "opted_in" || type === "opted_out") && typeof record.source === "string") return `via ${record.source}`;
  if (type === "checkout_updated" && typeof record.token === "string") return `checkout ${record.token.slice(0, 12)}`;
  if (type === "product_viewed" && typeof record.productTitle === "string") return record.productTitle;
  if (type === "cart_item_added" && typeof record.productTitle === "string") {
    return typeof record.quantity === "number" && record.quantity > 1 ? `${record.quantity} x ${record.productTitle}` : record.productTitle;
  }
  return null;
}
