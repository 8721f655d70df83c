import { Banner } from "@shopify/polaris";
import type { OrderImportProgress } from "~/order-import/progress.server";

const count = (n: number) => n.toLocaleString("en-US");

/** The order-history import under way: how far it got, or what it waits for (ADR 014). */
export function OrderImportBanner({ progress }: { progress: OrderImportProgress }) {
  const done = progress.expected === null ? count(progress.imported) : `${count(progress.imported)} of ~${count(progress.expected)}`;
  if (progress.state === "waiting") {
    const why = progress.waitingFor === "reauth" ? "Nudge needs to be reopened from your Shopify admin to renew its access." : "Shopify is not answering right now; Nudge will keep trying.";
    return (
      <Banner tone="warning" title={`Order history import paused: ${done}`}>
        {why}
      </Banner>
    );
  }
  return (
    <Banner tone="info" title={`Importing order history: ${done}`}>
      Your last 12 months of orders are coming in, so repeat rate, recency and win-back texts count your existing customers.
    </Banner>
  );
}
