import type { CampaignStatus } from "./campaigns.server";

/** How the admin colours a campaign's status. */
export const STATUS_TONE: Record<CampaignStatus, "info" | "attention" | "success" | "critical" | undefined> = {
  draft: undefined,
  scheduled: "info",
  sending: "attention",
  paused: "attention",
  sent: "success",
  cancelled: "critical",
};

/** The guards' skip reasons, as a merchant reads them in a campaign's results. */
export const SKIP_LABELS: Record<string, string> = {
  holdout: "Control group (held out)",
  smart_sending: "Texted recently (smart sending)",
  frequency_cap: "Over the frequency cap",
  opted_out: "Opted out before the send",
  no_consent: "No consent at send time",
  too_late: "Too late (the worker was down)",
  campaign_cancelled: "Campaign cancelled",
  app_uninstalled: "App uninstalled",
  discount_refused: "Shopify refused the discount",
  shopper_missing: "Shopper erased",
};
