import { BlockStack, Card, Text } from "@shopify/polaris";
import { HelpLine } from "./help-line";

/** One headline figure: its label, its value (data-testid `metric-<label>` for tests), and an optional line of help. */
export function MetricCard({ label, value, help }: { label: string; value: string | number; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          <span data-testid={`metric-${label}`}>{typeof value === "number" ? value.toLocaleString("en-US") : value}</span>
        </Text>
        <HelpLine>{help}</HelpLine>
      </BlockStack>
    </Card>
  );
}
