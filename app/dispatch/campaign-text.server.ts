import { composeCampaignText } from "../campaigns/compose-campaign";
import type { SqlTx } from "../db/sql-driver.server";
import type { ComposedMessage } from "../messaging/compose";
import type { SendingSettings } from "../messaging/settings";
import { discountLink } from "../offers/discount-code";
import type { ClaimedMessage } from "./claim.server";

/** A campaign as its texts' send needs it. */
export interface CampaignRow {
  id: string;
  status: string;
  message: string;
  link: string | null;
  smart_sending_hours: number;
  control_percent: number;
}

/**
 * The chunk's campaigns, each row held shared until the chunk's transaction ends: pausing or
 * cancelling (which update the row) waits for the texts in flight, and a chunk that starts
 * after sees the new status. Taken after the shopper and shop locks, and nothing else locks a
 * campaign before a shopper, so the order can't deadlock.
 */
export async function lockCampaigns(tx: SqlTx, shop: string, messages: readonly ClaimedMessage[]): Promise<Map<string, CampaignRow>> {
  const ids = [...new Set(messages.flatMap((m) => (m.campaign_id ? [m.campaign_id] : [])))];
  if (ids.length === 0) return new Map();
  const rows = await tx.query<CampaignRow>(
    `SELECT id, status, message, link, smart_sending_hours, control_percent FROM campaign
     WHERE shop = $1 AND id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::uuid))
     ORDER BY id FOR SHARE`,
    [shop, JSON.stringify(ids)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * A campaign text for one shopper: the merchant's message, its link (the campaign's, or the
 * shop's home page) applying the shopper's code when the campaign offers one.
 */
export function campaignTextParts(input: {
  shop: string;
  campaign: CampaignRow;
  firstName: string | null;
  shopName: string;
  brand: string;
  discount: { code: string; percent: number } | null;
  storefront: string | undefined;
  firstMessageToNumber: boolean;
  settings: SendingSettings;
}): ComposedMessage {
  const home = (input.storefront ?? `https://${input.shop}`).replace(/\/$/, "");
  const link = input.discount ? discountLink(input.shop, input.discount.code, input.campaign.link, input.storefront) : (input.campaign.link ?? home);
  return composeCampaignText({
    template: input.campaign.message,
    brandName: input.brand,
    shopName: input.shopName,
    firstName: input.firstName,
    link,
    discount: input.discount,
    firstMessageToNumber: input.firstMessageToNumber,
    optOutInEveryMarketingText: input.settings.optOutInEveryMarketingText,
  });
}
