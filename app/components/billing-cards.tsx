import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { BillingSummary } from "~/billing/summary.server";
import { formatMoney } from "~/lib/format";

type Summary = Omit<BillingSummary, "forecast"> & {
  forecast: (Omit<NonNullable<BillingSummary["forecast"]>, "capReachedAt" | "periodStart" | "periodEnd"> & { capReachedAt: string | Date | null; periodEnd: string | Date }) | null;
};

const money = (centsValue: number, currency: string) => formatMoney(centsValue / 100, currency);
const day = (value: string | Date) => new Date(value).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** Raises the cap: Shopify's approval page follows (app/routes/app.billing.cap.tsx). */
function RaiseCapForm({ summary }: { summary: Summary }) {
  const suggested = summary.capCents ? String(Math.ceil((summary.capCents * 2) / 100)) : "";
  const [cap, setCap] = useState(suggested);
  const fetcher = useFetcher<{ ok: false; error: string }>();
  return (
    <fetcher.Form method="post" action="/app/billing/cap">
      <InlineStack gap="200" blockAlign="end">
        <TextField label="New spending cap" name="cap" value={cap} onChange={setCap} autoComplete="off" suffix={summary.currency} error={fetcher.data?.error} />
        <Button submit loading={fetcher.state !== "idle"}>
          Raise the cap
        </Button>
      </InlineStack>
    </fetcher.Form>
  );
}

/**
 * The dashboard's billing: "Spending limit reached: texts are waiting" with the way to raise the
 * cap, and the meter (spend this period against the cap, and the forecast at this pace). ADR 023.
 */
export function BillingMeter({ summary }: { summary: Summary }) {
  if (!summary.chargesUsage || summary.capCents === null) return null;
  const { spentCents, capCents, currency, forecast } = summary;
  return (
    <BlockStack gap="400">
      {summary.spendingLimitReached ? (
        <Banner tone="critical" title="Spending limit reached: texts are waiting">
          <BlockStack gap="200">
            <p>Your texts wait until you raise the spending cap or the billing period renews. Cart texts whose window closes meanwhile are skipped.</p>
            {summary.canRaiseCap ? <RaiseCapForm summary={summary} /> : null}
          </BlockStack>
        </Banner>
      ) : null}
      <Card>
        <BlockStack gap="200">
          <InlineStack align="space-between">
            <Text as="h2" variant="headingMd">
              Text spend this period
            </Text>
            <Text as="span" variant="bodyMd">{`${money(spentCents, currency)} of ${money(capCents, currency)}`}</Text>
          </InlineStack>
          <ProgressBar progress={Math.min(100, (spentCents / Math.max(capCents, 1)) * 100)} tone={spentCents >= capCents ? "critical" : "primary"} size="small" />
          {forecast ? (
            <Text as="p" tone="subdued">
              {`At this pace: ${money(forecast.projectedCents, currency)} by ${day(forecast.periodEnd)}` +
                (forecast.capReachedAt && spentCents < capCents ? `; the cap is reached around ${day(forecast.capReachedAt)}.` : ".")}
            </Text>
          ) : null}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

/** Settings: the plan, its price and cap, and raising the cap. */
export function BillingPlanCard({ summary }: { summary: Summary }) {
  const lines = [
    `Plan: ${summary.planName ?? "not approved yet"}${summary.status && summary.status !== "ACTIVE" ? ` (${summary.status.toLowerCase()})` : ""}${summary.test ? " · test charges" : ""}`,
    summary.chargesUsage ? `Price: ${summary.pricePerSegment} ${summary.currency} per SMS segment sent from Nudge's number` : "Texts go through your own Twilio account: no per-text fee.",
    summary.flatFee ? `Monthly fee: ${summary.flatFee} ${summary.currency}` : "",
    summary.chargesUsage && summary.capCents !== null ? `Spending cap: ${money(summary.capCents, summary.currency)} per 30 days (${money(summary.spentCents, summary.currency)} used)` : "",
  ].filter(Boolean);
  return (
    <Card>
      <BlockStack gap="300">
        {lines.map((line) => (
          <Text as="p" key={line}>
            {line}
          </Text>
        ))}
        {summary.chargesUsage && summary.canRaiseCap ? <RaiseCapForm summary={summary} /> : null}
      </BlockStack>
    </Card>
  );
}
