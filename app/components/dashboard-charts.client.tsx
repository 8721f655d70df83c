import { BarChart, DonutChart, FunnelChartNext, LineChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import type { ReactNode } from "react";

// polaris-viz touches `navigator` on import and breaks server rendering ("navigator is not
// defined", a 500), so charts live in this client-only module
// (https://remix.run/docs/en/main/file-conventions/-client) and the route mounts them after
// hydration. Each chart fills a fixed-height box: polaris-viz sizes itself to its parent.

export interface Bar {
  label: string;
  value: number;
}

function Frame({ height = 240, testId, children }: { height?: number; testId: string; children: ReactNode }) {
  return (
    <PolarisVizProvider>
      <div style={{ height }} data-testid={testId}>
        {children}
      </div>
    </PolarisVizProvider>
  );
}

const toSeries = (name: string, bars: Bar[]): DataSeries => ({ name, data: bars.map((b) => ({ key: b.label, value: b.value })) });

/** Revenue credited to texts per bucket, cart recoveries stacked under other flows. */
export function RevenueChart({ recovered, other, formatMoney }: { recovered: Bar[]; other: Bar[]; formatMoney(n: number): string }) {
  return (
    <Frame testId="chart-revenue">
      <BarChart
        type="stacked"
        data={[toSeries("Recovered carts", recovered), toSeries("Other flows", other)]}
        yAxisOptions={{ labelFormatter: (v) => formatMoney(Number(v)) }}
        tooltipOptions={{ valueFormatter: (v) => formatMoney(Number(v)) }}
      />
    </Frame>
  );
}

export function TextsChart({ texts }: { texts: Bar[] }) {
  return (
    <Frame testId="chart-texts">
      <LineChart data={[toSeries("Texts sent", texts)]} yAxisOptions={{ integersOnly: true }} showLegend={false} />
    </Frame>
  );
}

export function FunnelChart({ steps }: { steps: Bar[] }) {
  return (
    <Frame testId="chart-funnel" height={260}>
      <FunnelChartNext
        data={[toSeries("Shoppers", steps)]}
        tooltipLabels={{ reached: "Reached", dropped: "Dropped" }}
        percentageFormatter={(value) => `${Math.round(value)}%`}
        labelFormatter={(value) => Number(value).toLocaleString("en-US")}
      />
    </Frame>
  );
}

/** A one-series histogram or count by category; horizontal (labels carry the counts) when the labels are long. */
export function CountChart({ name, bars, testId, horizontal = false }: { name: string; bars: Bar[]; testId: string; horizontal?: boolean }) {
  return (
    <Frame testId={testId} height={220}>
      <BarChart
        data={[toSeries(name, bars)]}
        direction={horizontal ? "horizontal" : "vertical"}
        xAxisOptions={horizontal ? { hide: true } : {}}
        yAxisOptions={{ integersOnly: true }}
        showLegend={false}
      />
    </Frame>
  );
}

export function NpsChart({ promoters, passives, detractors, score }: { promoters: number; passives: number; detractors: number; score: number }) {
  const slice = (name: string, value: number, color: string): DataSeries => ({ name, color, data: [{ key: name, value }] });
  return (
    <Frame testId="chart-nps" height={220}>
      <DonutChart
        data={[slice("Promoters (9–10)", promoters, "#29845a"), slice("Passives (7–8)", passives, "#b5b5b5"), slice("Detractors (0–6)", detractors, "#e51c00")]}
        legendPosition="right"
        renderInnerValueContent={() => (
          <div style={{ textAlign: "center" }}>
            <div style={{ fontSize: 28, fontWeight: 650 }}>{score > 0 ? `+${score}` : String(score)}</div>
            <div style={{ fontSize: 12, color: "#616161" }}>NPS</div>
          </div>
        )}
      />
    </Frame>
  );
}
