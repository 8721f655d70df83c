import type { PrismaClient } from "@prisma/client";

export const PAGE_SIZE = 25;

export interface ShopperRow {
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
 * status and skip reasons, consent evidence, orders and what they were credited to.
 */
export async function shopperTimeline(prisma: PrismaClient, shop: string, id: string) {
  const shopper = await prisma.shopper.findFirst({ where: { shop, id } });
  if (!shopper) return null;
  const scope = { shop, shopperId: id };
  const [events, messages, consents, orders, attributions] = await Promise.all([
    prisma.journeyEvent.findMany({ where: scope, orderBy: { occurredAt: "desc" }, take: 200 }),
    prisma.scheduledMessage.findMany({ where: scope, orderBy: { dueAt: "desc" }, take: 200 }),
    prisma.consent.findMany({ where: scope, orderBy: { collectedAt: "desc" }, take: 50 }),
    prisma.order.findMany({ where: scope, orderBy: { placedAt: "desc" }, take: 100 }),
    prisma.attribution.findMany({ where: scope, orderBy: { createdAt: "desc" }, take: 100 }),
  ]);
  const entries: TimelineEntry[] = [
    ...events.map((e) => ({ at: e.occurredAt, kind: "event" as const, title: eventTitle(e.type), detail: eventDetail(e.type, e.data) })),
    ...messages.map((m) => ({
      at: m.sentAt ?? m.dueAt,
      kind: "message" as const,
      title: `${flowName(m.flow)} text ${m.status}${m.reason ? ` (${m.reason.replace(/_/g, " ")})` : ""}`,
      detail: m.body ?? (m.deliveryStatus ? `delivery: ${m.deliveryStatus}` : null),
    })),
    ...consents.map((c) => ({
      at: c.collectedAt,
      kind: "consent" as const,
      title: `Consent ${c.status} via ${c.source}`,
      detail: [c.disclosureText && `"${c.disclosureText}"`, c.disclosureVersion && `v${c.disclosureVersion}`, c.ip, c.pageUrl].filter(Boolean).join(" · ") || null,
    })),
    ...orders.map((o) => ({ at: o.placedAt, kind: "order" as const, title: `Order ${o.name ?? o.shopifyOrderId}`, detail: `${o.totalPrice.toFixed(2)} ${o.currency}` })),
    ...attributions.map((a) => ({
      at: a.createdAt,
      kind: "attribution" as const,
      title: `Order credited to the ${flowName(a.flow)} text (${a.rule})`,
      detail: `${a.revenue.toFixed(2)} ${a.currency}${a.recovered ? " recovered" : ""}`,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  return { shopper, entries };
}

const FLOW_NAMES: Record<string, string> = {
  welcome: "Welcome",
  cart_recovery: "Abandoned checkout",
  post_purchase: "Post-purchase",
  win_back: "Win-back",
  confirm_optin: "Confirmation",
};
export const flowName = (flow: string) => FLOW_NAMES[flow] ?? flow;

function eventTitle(type: string): string {
  const titles: Record<string, string> = {
    opted_in: "Opted in",
    opted_out: "Opted out",
    checkout_updated: "Checkout started or updated",
    order_created: "Placed an order",
    link_clicked: "Clicked a link",
    sms_received: "Replied",
    nps: "NPS answer",
  };
  return titles[type] ?? type.replace(/_/g, " ");
}

function eventDetail(type: string, data: unknown): string | null {
  const record = (data ?? {}) as Record<string, unknown>;
  if (type === "sms_received" && typeof record.body === "string") return `"${record.body}"`;
  if (type === "nps" && typeof record.score === "number") return `Score ${record.score}`;
  if ((type === "opted_in" || type === "opted_out") && typeof record.source === "string") return `via ${record.source}`;
  if (type === "checkout_updated" && typeof record.token === "string") return `checkout ${record.token.slice(0, 12)}`;
  return null;
}
