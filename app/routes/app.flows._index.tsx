import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { readShopSettings } from "~/services/shops.server";
import { authenticate } from "~/shopify.server";

export const FLOWS = [
  { id: "welcome", name: "Welcome", when: "When a shopper signs up", settingsKey: "welcome" },
  { id: "cart_recovery", name: "Abandoned checkout", when: "About 20 minutes after a checkout is left", settingsKey: "cartRecovery" },
  { id: "post_purchase", name: "Post-purchase thank-you", when: "A day after an order", settingsKey: "postPurchase" },
  { id: "win_back", name: "Win-back", when: "After a long time without an order", settingsKey: "winBack" },
] as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await (await db()).shop.findUnique({ where: { domain: session.shop }, select: { settings: true } });
  const settings = readShopSettings(session.shop, shop?.settings);
  return FLOWS.map((flow) => ({ ...flow, enabled: settings.journey[flow.settingsKey].enabled, custom: Boolean(settings.sending.templates[flow.id]) }));
};

export default function Flows() {
  const flows = useLoaderData<typeof loader>();
  return (
    <Page title="Flows" backAction={{ content: "Dashboard", url: "/app" }}>
      <BlockStack gap="300">
        {flows.map((flow) => (
          <Card key={flow.id}>
            <InlineStack align="space-between" blockAlign="center">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  <Link url={`/app/flows/${flow.id}`}>{flow.name}</Link>
                </Text>
                <Text as="p" tone="subdued">
                  {flow.when}
                </Text>
              </BlockStack>
              <InlineStack gap="200">
                {flow.custom ? <Badge>Custom text</Badge> : null}
                <Badge tone={flow.enabled ? "success" : undefined}>{flow.enabled ? "On" : "Off"}</Badge>
              </InlineStack>
            </InlineStack>
          </Card>
        ))}
      </BlockStack>
    </Page>
  );
}
