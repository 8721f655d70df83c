import { encryptionKey } from "../adapters/sms.server";
import { loadBillingSummary } from "../billing/summary.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { env } from "../env.server";
import { brandFor } from "../messaging/brand";
import { readWebPixelStatus } from "../pixel/activate.server";
import { readShopSettings } from "../services/shops.server";
import { describeTwilioConnection } from "../services/twilio-connection.server";
import { describeReplies } from "../services/twilio-inbound.server";
import { nudgeInboundUrl } from "../twilio/inbound-webhook";

/** Everything the settings page shows: the form's values as text, and the cards' states. */
export async function loadSettingsPage(shopDomain: string) {
  const { prisma, sql } = await database();
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { settings: true, name: true, contactEmail: true } });
  const settings = readShopSettings(shopDomain, shop?.settings);
  const cap = (hours: number) => settings.sending.caps.find((c) => c.windowHours === hours)?.max ?? 0;
  // Masked: the token itself never leaves the server.
  const twilio = describeTwilioConnection(shop?.settings, { key: encryptionKey(), appAccount: Boolean(env().TWILIO_ACCOUNT_SID) });
  return {
    // What texts name when the brand field is empty.
    shopName: brandFor({ domain: shopDomain, name: shop?.name }, { brandName: "" }),
    contactEmail: shop?.contactEmail ?? null,
    twilio,
    webPixel: await readWebPixelStatus(prisma, shopDomain),
    billing: await loadBillingSummary(sql, shopDomain, clock.now()),
    replies: twilio.state === "own" ? describeReplies(shop?.settings, nudgeInboundUrl(env().SHOPIFY_APP_URL), twilio.accountSid) : null,
    values: {
      brandName: settings.sending.brandName,
      supportContact: settings.sending.supportContact,
      startHour: String(settings.sending.window.startHour),
      endHour: String(settings.sending.window.endHour),
      capPer8h: String(cap(8)),
      capPer24h: String(cap(24)),
      ratePerSecond: String(settings.sending.ratePerSecond),
      segmentPrice: String(settings.sending.segmentPrice),
      clickWindowDays: String(settings.attribution.clickWindowDays),
      viewWindowHours: settings.attribution.viewWindowHours === null ? "" : String(settings.attribution.viewWindowHours),
      doubleOptIn: settings.journey.doubleOptIn,
      signupKeyword: settings.sending.signupKeyword,
      conversationPauseHours: String(settings.sending.conversationPauseHours),
      sendWithoutDiscount: settings.sending.sendWithoutDiscount,
    },
  };
}
