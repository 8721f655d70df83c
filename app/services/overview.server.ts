import type { PrismaClient } from "@prisma/client";
import { STAGES, type Stage } from "../journey";

export interface JourneyOverview {
  shoppers: Record<Stage, number>;
  consented: number;
  messages: Record<string, number>;
}

/** Headline counts for one shop, as SQL aggregates (never a loop over rows). */
export async function getJourneyOverview(prisma: PrismaClient, shop: string): Promise<JourneyOverview> {
  const [byStage, consented, byStatus] = await Promise.all([
    prisma.shopper.groupBy({ by: ["stage"], where: { shop }, _count: { _all: true } }),
    prisma.shopper.count({ where: { shop, consent: "granted" } }),
    prisma.scheduledMessage.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
  ]);
  const shoppers = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
  for (const row of byStage) if (row.stage in shoppers) shoppers[row.stage as Stage] = row._count._all;
  return {
    shoppers,
    consented,
    messages: Object.fromEntries(byStatus.map((row) => [row.status, row._count._all])),
  };
}
