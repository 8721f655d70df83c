import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { WebPixelStatus } from "~/pixel/activate.server";
import type { action } from "~/routes/app.settings";

/** Whether the storefront pixel is on, and the switch (issue #18, item 2). */
export function WebPixelCard({ status }: { status: WebPixelStatus }) {
  const fetcher = useFetcher<typeof action>();
  const result = fetcher.data?.intent === "web_pixel" ? fetcher.data : undefined;
  const shown = result?.status ?? status;
  const on = shown.wanted && shown.active;
  return (
    <Card>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="web_pixel" />
        <input type="hidden" name="on" value={shown.wanted && shown.active ? "false" : "true"} />
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              Storefront pixel
            </Text>
            <Badge tone={on ? "success" : shown.wanted ? "critical" : undefined}>{on ? "On" : shown.wanted ? "Not running" : "Off"}</Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            Product views and cart adds of shoppers who subscribed start the browse and cart abandonment texts. Shopify loads the pixel only for visitors who allow marketing.
          </Text>
          {shown.error ? <Banner tone="critical">{shown.error}</Banner> : null}
          <InlineStack align="end">
            <Button submit loading={fetcher.state === "submitting"}>
              {on ? "Turn off" : shown.wanted ? "Turn on again" : "Turn on"}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
