import { Banner, Box } from "@shopify/polaris";

/** Background work lost access to the store; reloading the app exchanges a new token. */
export function ReauthBanner() {
  return (
    <Box padding="400">
      <Banner tone="critical" title="Nudge needs you to reopen it" action={{ content: "Reload Nudge", onAction: () => window.location.reload() }}>
        Shopify stopped accepting Nudge&apos;s access to your store, so texts with discount codes are waiting (none are lost). Reload or reopen the app from your Shopify admin to reconnect it, and
        they will go out.
      </Banner>
    </Box>
  );
}
