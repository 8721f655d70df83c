import { database } from "../db.server";
import { readShopSettings } from "../services/shops.server";
import { FLOW_LIST } from "./catalog";
import { draftFromSettings, formatDelay } from "./flow-draft";

/** The shop's flows as the flow list shows them: on or off, their timing, and any A/B test or control group. */
export async function listFlows(shopDomain: string) {
  const shop = await (await database()).prisma.shop.findUnique({ where: { domain: shopDomain }, select: { settings: true } });
  const settings = readShopSettings(shopDomain, shop?.settings);
  return FLOW_LIST.map((flow) => {
    const draft = draftFromSettings(flow.id, settings.journey, settings.sending);
    return {
      ...flow,
      enabled: draft.enabled,
      custom: Boolean(settings.sending.templates[flow.id]),
      timing: draft.steps.map((s) => formatDelay(s.delayMinutes)).join(", then "),
      holdoutPercent: draft.holdoutPercent,
      variants: draft.variants.length + 1,
    };
  });
}
