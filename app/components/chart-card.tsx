import { BlockStack, Box, Card, InlineStack, SkeletonBodyText, SkeletonDisplayText, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { HelpLine } from "./help-line";
import { useMounted } from "./use-mounted";

/**
 * A titled card for one chart. The chart itself (a client-only polaris-viz component) renders
 * only after mount, with a skeleton of the same height until then; an empty series shows a
 * sentence instead of an empty axis.
 */
export function ChartCard({ title, help, summary, empty, height = 240, chart }: { title: string; help?: string; summary?: ReactNode; empty: boolean; height?: number; chart: () => ReactNode }) {
  const mounted = useMounted();
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <InlineStack align="space-between" blockAlign="baseline" gap="200">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            {summary}
          </InlineStack>
          <HelpLine>{help}</HelpLine>
        </BlockStack>
        {empty ? (
          <Box minHeight={`${Math.round(height / 2)}px`} paddingBlock="800">
            <Text as="p" tone="subdued" alignment="center">
              No data in this period
            </Text>
          </Box>
        ) : mounted ? (
          chart()
        ) : (
          <Box minHeight={`${height}px`}>
            <BlockStack gap="400">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={5} />
            </BlockStack>
          </Box>
        )}
      </BlockStack>
    </Card>
  );
}
