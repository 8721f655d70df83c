import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { getJourneyOverview } from "~/services/overview.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, overview: await getJourneyOverview(await db(), session.shop) };
};

const STAGE_LABELS = {
  awareness: "Awareness",
  consideration: "Consideration",
  conversion: "Conversion",
  loyalty: "Loyalty",
} as const;

export default function Dashboard() {
  const { overview } = useLoaderData<typeof loader>();
  const total = Object.values(overview.shoppers).reduce((sum, n) => sum + n, 0);
  return (
    <Page title="Nudge">
      <Layout>
        {total === 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  No shoppers yet
                </Text>
                <Text as="p">Shoppers appear here when they opt in to texts or start a checkout with SMS consent.</Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Shoppers by journey stage
              </Text>
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                {(Object.keys(STAGE_LABELS) as (keyof typeof STAGE_LABELS)[]).map((stage) => (
                  <BlockStack key={stage} gap="100">
                    <Text as="p" tone="subdued">
                      {STAGE_LABELS[stage]}
                    </Text>
                    <Text as="p" variant="headingLg">
                      {overview.shoppers[stage].toLocaleString()}
                    </Text>
                  </BlockStack>
                ))}
              </InlineGrid>
              <Text as="p" tone="subdued">
                {`${overview.consented.toLocaleString()} of ${total.toLocaleString()} shoppers have SMS consent on record.`}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Outbox
              </Text>
              <Text as="p">
                {`${count(overview.messages.scheduled)} scheduled · ${count(overview.messages.cancelled)} cancelled · ${count(overview.messages.sent)} sent`}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function count(n: number | undefined): string {
  return (n ?? 0).toLocaleString();
}
