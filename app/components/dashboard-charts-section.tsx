import { Badge, InlineGrid, Text } from "@shopify/polaris";
import { allZero, bucketLabel, histogramLabels } from "~/dashboard/chart-labels";
import { formatMoney, formatPercent } from "~/lib/format";
import type { Dashboard } from "~/services/dashboard.server";
import { ChartCard } from "./chart-card";
import { CountChart, FunnelChart, NpsChart, RevenueChart, TextsChart } from "./dashboard-charts.client";

type Props = Pick<Dashboard, "series" | "metrics" | "period" | "currency">;

/** The dashboard's charts for the period; the loader has already aggregated every series. */
export function DashboardChartsSection({ series, metrics, period, currency }: Props) {
  const money = (n: number) => formatMoney(n, currency, { digits: 0 });
  const by = period.bucket === "week" ? "per week" : "per day";
  const activity = series.activity;
  const label = (start: string) => bucketLabel(start, period.bucket);
  const recovered = activity.map((p) => ({ label: label(p.start), value: p.recoveredRevenue }));
  const other = activity.map((p) => ({ label: label(p.start), value: p.otherRevenue }));
  const texts = activity.map((p) => ({ label: label(p.start), value: p.texts }));
  const funnel = series.funnel;
  const orders = series.ordersPerCustomer;
  const buyers = orders.reduce((sum, n) => sum + n, 0);
  const nps = metrics.nps;

  return (
    <>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <ChartCard
          title="Revenue from texts"
          help={`Orders credited to a text, by order date, ${by}`}
          empty={allZero([...recovered, ...other].map((b) => b.value))}
          chart={() => <RevenueChart recovered={recovered} other={other} formatMoney={money} />}
        />
        <ChartCard title="Texts sent" help={`All flows, ${by}`} empty={allZero(texts.map((b) => b.value))} chart={() => <TextsChart texts={texts} />} />
      </InlineGrid>
      <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400">
        <ChartCard
          title="Shoppers by journey stage"
          help="Shoppers who signed up or checked out in this period, by the furthest stage they have reached"
          empty={funnel.joined === 0}
          height={260}
          chart={() => (
            <FunnelChart
              steps={[
                { label: "Joined", value: funnel.joined },
                { label: "Checkout", value: funnel.startedCheckout },
                { label: "Bought", value: funnel.bought },
                { label: "Bought again", value: funnel.boughtAgain },
              ]}
            />
          )}
        />
        <ChartCard
          title="Net Promoter Score"
          help={`${nps.responses} ${nps.responses === 1 ? "answer" : "answers"} to the post-purchase NPS question`}
          summary={
            nps.score === null ? null : (
              <Text as="span" variant="headingMd">
                {nps.score > 0 ? `+${nps.score}` : String(nps.score)}
              </Text>
            )
          }
          empty={nps.responses === 0}
          height={220}
          chart={() => <NpsChart promoters={nps.promoters} passives={nps.responses - nps.promoters - nps.detractors} detractors={nps.detractors} score={nps.score ?? 0} />}
        />
      </InlineGrid>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
        <ChartCard
          title="Repeat purchases"
          help="Customers by number of orders placed in this period"
          summary={<Badge tone="info">{`Repeat rate ${formatPercent(buyers ? (buyers - orders[0]!) / buyers : null)}`}</Badge>}
          empty={buyers === 0}
          height={220}
          chart={() => <CountChart name="Customers" testId="chart-repeat" bars={["1", "2", "3", "4+"].map((label, i) => ({ label, value: orders[i]! }))} />}
        />
        <ChartCard
          title="Customer value"
          help="What each customer has spent in all, as of the period's last day"
          empty={allZero(series.customerValue.counts)}
          height={220}
          chart={() => <CountChart horizontal name="Customers" testId="chart-value" bars={bars(histogramLabels(series.customerValue.edges, money), series.customerValue.counts)} />}
        />
        <ChartCard
          title="Days since last order"
          help="Everyone who had ordered, as of the period's last day"
          empty={allZero(series.recency.counts)}
          height={220}
          chart={() => (
            <CountChart
              horizontal
              name="Customers"
              testId="chart-recency"
              bars={bars(
                histogramLabels(series.recency.edges).map((l) => `${l} days`),
                series.recency.counts,
              )}
            />
          )}
        />
      </InlineGrid>
    </>
  );
}

// Horizontal histograms hide their value axis (its ticks would be fractions of a customer),
// so each bucket's label carries its count.
const bars = (labels: string[], counts: number[]) => labels.map((label, i) => ({ label: `${label} · ${counts[i] ?? 0}`, value: counts[i] ?? 0 }));
