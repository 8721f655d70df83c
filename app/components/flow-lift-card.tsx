import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { FLOW_LIST } from "~/flows/catalog";
import { formatPercent, formatPoints } from "~/lib/format";
import type { Dashboard } from "~/services/dashboard.server";

/**
 * What each flow with a control group added: texted vs held-out conversion, the difference in
 * percentage points with its 95 % interval, and the incremental revenue (docs/decisions/005).
 */
export function FlowLiftCard({ flows, money }: { flows: Dashboard["liftByFlow"]; money: (n: number) => string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Lift by flow
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            Shoppers texted vs shoppers held out at random, for each flow with a control group (set the share in Flows)
          </Text>
        </BlockStack>
        {flows.length === 0 ? <Text as="p">No flow holds shoppers out, so there is nothing to compare against.</Text> : null}
        {flows.map(({ flow, holdoutPercent, lift }) => (
          <BlockStack key={flow} gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge>{FLOW_LIST.find((f) => f.id === flow)?.name ?? flow}</Badge>
              <Text as="span" tone="subdued" variant="bodySm">{`${holdoutPercent}% held out`}</Text>
            </InlineStack>
            <div data-testid={`lift-${flow}`}>
              {lift.status === "ok" ? (
                <Text as="p">
                  {`Lift ${formatPoints(lift.lift.difference)} pts (95% CI ${formatPoints(lift.lift.lower)} to ${formatPoints(lift.lift.upper)}) · ` +
                    `texted ${formatPercent(lift.treated.rate)} of ${lift.treated.shoppers} vs held out ${formatPercent(lift.control.rate)} of ${lift.control.shoppers} · ` +
                    `incremental revenue ${money(lift.incrementalRevenue)} (${money(lift.incrementalRevenueInterval.lower)} to ${money(lift.incrementalRevenueInterval.upper)})`}
                </Text>
              ) : (
                <Text as="p" tone="subdued">
                  {`Not enough data yet: ${lift.treated.shoppers} texted and ${lift.control.shoppers} held out, ${lift.needPerGroup} of each needed`}
                </Text>
              )}
            </div>
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
