import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { RfmThresholds } from "~/campaigns/rfm";

const FIELDS: { key: keyof RfmThresholds; label: string; suffix: string }[] = [
  { key: "newWithinDays", label: "New: first order within", suffix: "days" },
  { key: "activeWithinDays", label: "Active: last order within", suffix: "days" },
  { key: "lapsedAfterDays", label: "Lapsed: no order for more than", suffix: "days" },
  { key: "loyalMinOrders", label: "Loyal: at least", suffix: "orders" },
];

/** The RFM audiences' thresholds, as the merchant sets them (docs/decisions/021-campaigns.md). */
export function RfmThresholdsCard({ rfm }: { rfm: RfmThresholds }) {
  const fetcher = useFetcher<{ ok: boolean; errors?: Record<string, string> }>();
  const [values, setValues] = useState(() => Object.fromEntries(FIELDS.map((f) => [f.key, String(rfm[f.key])])) as Record<keyof RfmThresholds, string>);
  const errors = fetcher.data?.errors ?? {};
  const save = () => fetcher.submit({ rfm: JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f.key, Number(values[f.key])]))) }, { method: "post" });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Customer segments (RFM)
        </Text>
        <Text as="p" tone="subdued">
          From each customer&apos;s orders: new, active, loyal, at risk (between active and lapsed) and lapsed.
        </Text>
        <InlineGrid columns={4} gap="300">
          {FIELDS.map((f) => (
            <TextField
              key={f.key}
              label={f.label}
              type="number"
              suffix={f.suffix}
              value={values[f.key]}
              onChange={(v) => setValues({ ...values, [f.key]: v })}
              autoComplete="off"
              error={errors[f.key]}
            />
          ))}
        </InlineGrid>
        {fetcher.data?.ok ? <Banner tone="success">Segments saved.</Banner> : null}
        <InlineStack align="end">
          <Button onClick={save} loading={fetcher.state !== "idle"}>
            Save segments
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
