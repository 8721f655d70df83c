import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, EmptyState, InlineGrid, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { encryptionKey } from "~/adapters/sms.server";
import { clock } from "~/clock.server";
import { AppEmbedChecklistItem } from "~/components/app-embed-checklist-item";
import { DashboardChartsSection } from "~/components/dashboard-charts-section";
import { DateRangePicker } from "~/components/date-range-picker";
import { FlowLiftCard } from "~/components/flow-lift-card";
import { formatMoney, formatPercent } from "~/lib/format";
import { OrderImportBanner } from "~/components/order-import-banner";
import { PeriodQuerySchema } from "~/dashboard/period";
import { database } from "~/db.server";
import { env } from "~/env.server";
import { loadDashboard } from "~/services/dashboard.server";
import { authenticate } from "~/shopify.server";
import { MetricCard } from "~/components/metric-card";
import { BillingMeter } from "~/components/billing-cards";
import { loadBillingSummary } from "~/billing/summary.server";
import { CampaignsCard } from "~/components/campaigns-card";
import { periodCampaigns } from "~/dashboard/period-campaigns.server";

// polaris-viz's own stylesheet, which its charts need for their layout; the charts render client-side only.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = PeriodQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { prisma, sql } = await database();
  const dashboard = await loadDashboard({ prisma, sql, twilioFromEnv: Boolean(env().TWILIO_ACCOUNT_SID), encryptionKey: encryptionKey() }, session.shop, query, clock.now());
  // The plan's meter and spending limit banner (ADR 023; null when billing is off), and the period's campaigns.
  const [billing, campaigns] = await Promise.all([loadBillingSummary(sql, session.shop, clock.now()), periodCampaigns(sql, session.shop, dashboard.period)]);
  // embedLink: for the app embed step's theme-editor link (app/setup/app-embed.ts).
  return { ...dashboard, billing, campaigns, embedLink: { shop: session.shop, apiKey: env().SHOPIFY_API_KEY } };
};

// A bar chart glyph for the empty state (no image CDN in an embedded, offline-capable app).
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><rect x="28" y="90" width="30" height="50" rx="4" fill="#e3e3e3"/><rect x="78" y="60" width="30" height="80" rx="4" fill="#cdcdcd"/><rect x="128" y="30" width="30" height="110" rx="4" fill="#b5b5b5"/><rect x="178" y="70" width="30" height="70" rx="4" fill="#e3e3e3"/><rect x="18" y="140" width="200" height="3" rx="1.5" fill="#8a8a8a"/></svg>',
)}`;

export default function Dashboard() {
  const dashboard = useLoaderData<typeof loader>();
  const { period, today, notice, currency, hasActivity, metrics, liftByFlow, roi, totals, checklist, embedLink } = dashboard;
  const [, setParams] = useSearchParams();
  const money = (n: number) => formatMoney(n, currency);
  const setupDone = checklist.twilioConnected && checklist.popupLive && checklist.firstTextSent;
  const measured = roi.flows.map((flow) => flow.replace(/_/g, " ")).join(", ");

  return (
    <Page
      title="Nudge"
      subtitle="SMS that recovers carts and brings shoppers back"
      primaryAction={{ content: "Shoppers", url: "/app/shoppers" }}
      secondaryActions={[
        { content: "Flows", url: "/app/flows" },
        { content: "Campaigns", url: "/app/campaigns" },
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
                  <AppEmbedChecklistItem shop={embedLink.shop} apiKey={embedLink.apiKey} />
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
            <DateRangePicker
              from={period.from}
              to={period.to}
              today={today}
              onApply={({ from, to }) =>
                setParams((params) => {
                  params.set("from", from);
                  params.set("to", to);
                  return params;
                })
              }
            />
          </InlineStack>
        </Layout.Section>
        {dashboard.billing ? (
          <Layout.Section>
            <BillingMeter summary={dashboard.billing} />
          </Layout.Section>
        ) : null}
        {dashboard.orderImport ? (
          <Layout.Section>
            <OrderImportBanner progress={dashboard.orderImport} />
          </Layout.Section>
        ) : null}
        {notice ? (
          <Layout.Section>
            <Banner tone="warning">{notice}</Banner>
          </Layout.Section>
        ) : null}
        {!hasActivity ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading="Your results will appear here"
                image={EMPTY_IMAGE}
                action={{ content: checklist.twilioConnected ? "Review flows" : "Connect Twilio", url: checklist.twilioConnected ? "/app/flows" : "/app/settings" }}
                secondaryAction={{ content: "Settings", url: "/app/settings" }}
              >
                <BlockStack gap="200">
                  <Text as="p">Once shoppers sign up or start a checkout with SMS consent, this page shows, for any period:</Text>
                  {[
                    "Revenue recovered by texts and texts sent, day by day",
                    "Shoppers by journey stage, from sign-up to repeat purchase",
                    "Repeat purchase rate, customer value and days since last order",
                    "Net Promoter Score from post-purchase replies",
                  ].map((line) => (
                    <Text as="p" key={line} tone="subdued">
                      {line}
                    </Text>
                  ))}
                </BlockStack>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                <MetricCard label="Recovered revenue" value={money(totals.recoveredRevenue)} help="Orders credited to cart-recovery texts sent in this period" />
                <MetricCard
                  label="Incremental revenue"
                  value={roi.flows.length ? money(roi.incrementalRevenue) : "Not enough data yet"}
                  help={roi.flows.length ? `What texts added over the control group: ${measured}` : "Needs 30 texted and 30 held-out shoppers in a flow"}
                />
                <MetricCard label="Texts sent" value={totals.sent.toLocaleString("en-US")} help={`Delivered ${formatPercent(totals.deliveryRate)}`} />
                <MetricCard label="Click rate" value={formatPercent(totals.clickRate)} help={`Conversion ${formatPercent(totals.conversionRate)}`} />
                <MetricCard
                  label="Estimated cost"
                  value={money(metrics.estimatedCost)}
                  help={roi.roi === null ? "ROI once a control group shows a lift" : `ROI ${roi.roi.toFixed(1)}×: incremental revenue over the cost of ${measured} texts`}
                />
                <MetricCard label="Repeat purchase rate" value={formatPercent(metrics.repeatPurchaseRate)} />
                <MetricCard
                  label="Customer lifetime value"
                  value={metrics.customerLifetimeValue === null ? "–" : money(metrics.customerLifetimeValue)}
                  help="Average spend per customer over all their orders up to the period's last day, imported history included"
                />
                <MetricCard label="NPS" value={metrics.nps.score === null ? "–" : String(metrics.nps.score)} help={`${metrics.nps.responses} answers`} />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <FlowLiftCard flows={liftByFlow} money={money} />
            </Layout.Section>
            <Layout.Section>
              <CampaignsCard campaigns={dashboard.campaigns} money={money} />
            </Layout.Section>
            <Layout.Section>
              <BlockStack gap="400">
                <DashboardChartsSection {...dashboard} />
              </BlockStack>
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
          </>
        )}
      </Layout>
    </Page>
  );
}
