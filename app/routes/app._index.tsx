import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, InlineGrid, InlineStack, Layout, List, Page, Select, Text } from "@shopify/polaris";
import { z } from "zod";
import { encryptionKey } from "~/adapters/sms.server";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { env } from "~/env.server";
import { loadDashboard } from "~/services/dashboard.server";
import { authenticate } from "~/shopify.server";

const RangeSchema = z.object({ days: z.coerce.number().int().refine((d) => [7, 30, 90, 365].includes(d)).catch(30) });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { days } = RangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const to = clock.now();
  const { prisma, sql } = await database();
  const dashboard = await loadDashboard(
    { prisma, sql, twilioFromEnv: Boolean(env().TWILIO_ACCOUNT_SID), encryptionKey: encryptionKey() },
    session.shop,
    { from: new Date(to.getTime() - days * 86_400_000), to },
  );
  return { days, ...dashboard };
};

const STAGES = [
  ["awareness", "Awareness"],
  ["consideration", "Consideration"],
  ["conversion", "Conversion"],
  ["loyalty", "Loyalty"],
] as const;

const percent = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)}%`);
const money = (value: number) => value.toLocaleString("en-US", { style: "currency", currency: "USD" });

function Metric({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {help ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { days, metrics, lift, totals, checklist } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const shoppers = Object.values(metrics.funnel).reduce((sum, n) => sum + n, 0);
  const setupDone = checklist.twilioConnected && checklist.popupLive && checklist.firstTextSent;
  const liftText =
    lift.status === "ok"
      ? `${(lift.lift.difference * 100).toFixed(1)} pts (95% CI ${(lift.lift.lower * 100).toFixed(1)} to ${(lift.lift.upper * 100).toFixed(1)})`
      : "Not enough data yet";

  return (
    <Page
      title="Nudge"
      subtitle="SMS that recovers carts and brings shoppers back"
      primaryAction={{ content: "Shoppers", url: "/app/shoppers" }}
      secondaryActions={[
        { content: "Flows", url: "/app/flows" },
        { content: "Settings", url: "/app/settings" },
      ]}
    >
      <Layout>
        {!setupDone ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Get set up
                </Text>
                <List>
                  <List.Item>{`${checklist.twilioConnected ? "✓" : "○"} Connect Twilio so Nudge can send texts`}</List.Item>
                  <List.Item>{`${checklist.popupLive ? "✓" : "○"} Turn on the "Nudge SMS sign-up" app embed in your theme`}</List.Item>
                  <List.Item>{`${checklist.firstTextSent ? "✓" : "○"} Review your flows; the first text goes out when a shopper qualifies`}</List.Item>
                </List>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Results
            </Text>
            <Box minWidth="180px">
              <Select
                label="Period"
                labelInline
                options={[
                  { label: "Last 7 days", value: "7" },
                  { label: "Last 30 days", value: "30" },
                  { label: "Last 90 days", value: "90" },
                  { label: "Last 12 months", value: "365" },
                ]}
                value={String(days)}
                onChange={(value) => setParams({ days: value })}
              />
            </Box>
          </InlineStack>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Metric label="Recovered revenue" value={money(totals.recoveredRevenue)} help="Orders credited to a cart-recovery text" />
            <Metric label="Incremental lift" value={liftText} help="Texted vs held-out shoppers" />
            <Metric label="Texts sent" value={totals.sent.toLocaleString()} help={`Delivered ${percent(totals.deliveryRate)}`} />
            <Metric label="Click rate" value={percent(totals.clickRate)} help={`Conversion ${percent(totals.conversionRate)}`} />
            <Metric label="Estimated cost" value={money(metrics.estimatedCost)} help={totals.roi === null ? undefined : `ROI ${totals.roi.toFixed(1)}×`} />
            <Metric label="Repeat purchase rate" value={percent(metrics.repeatPurchaseRate)} />
            <Metric label="Customer lifetime value" value={metrics.customerLifetimeValue === null ? "–" : money(metrics.customerLifetimeValue)} />
            <Metric label="NPS" value={metrics.nps.score === null ? "–" : String(metrics.nps.score)} help={`${metrics.nps.responses} answers`} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Shoppers by journey stage
              </Text>
              {shoppers === 0 ? (
                <Text as="p">No shoppers yet. They appear when they sign up or start a checkout with SMS consent.</Text>
              ) : null}
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                {STAGES.map(([stage, label]) => (
                  <BlockStack key={stage} gap="100">
                    <Text as="p" tone="subdued">
                      {label}
                    </Text>
                    <Text as="p" variant="headingLg">
                      {metrics.funnel[stage].toLocaleString()}
                    </Text>
                  </BlockStack>
                ))}
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Texts by flow
              </Text>
              {metrics.byFlowAndStage.length === 0 ? <Text as="p">No texts sent in this period.</Text> : null}
              {metrics.byFlowAndStage.map((row) => (
                <InlineStack key={`${row.flow}-${row.stage}`} gap="300" blockAlign="center">
                  <Badge>{row.flow.replace(/_/g, " ")}</Badge>
                  <Text as="span" tone="subdued">
                    {row.stage}
                  </Text>
                  <Text as="span">{`${row.sent} sent · ${row.delivered} delivered · ${row.clicked} clicked · ${row.converted} converted`}</Text>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
