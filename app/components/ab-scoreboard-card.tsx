import { Banner, BlockStack, Button, Card, DataTable, Text } from "@shopify/polaris";
import type { Scoreboard } from "~/services/ab-scoreboard.server";

// Never "100%" or "0%" for what is only very likely: the data can't make it certain.
const percent = (p: number) => (p > 0.99 ? ">99%" : p < 0.01 ? "<1%" : `${Math.round(p * 100)}%`);

/**
 * A flow's A/B test as it stands: sends, clicks, conversions and the probability each text is
 * the best, per text, and "Promote the winner", which makes the leader the flow's only text.
 */
export function AbScoreboardCard({ scoreboard, promoting, onPromote }: { scoreboard: Scoreboard; promoting: boolean; onPromote: (variant: number) => void }) {
  const { rows, leader, conclusive } = scoreboard;
  const since = new Date(scoreboard.since).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
  const lead = leader === null ? null : rows[leader]!;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            A/B test results
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            {`Since ${since}, when these texts were saved. A conversion is a text followed by an attributed order. P(best) is the chance a text converts best, given the results so far.`}
          </Text>
        </BlockStack>
        <div data-testid="ab-scoreboard">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Text", "Sends", "Clicks", "Conversions", "P(best)"]}
            rows={rows.map((r) => [`${r.label}: ${r.text.length > 60 ? `${r.text.slice(0, 57)}…` : r.text}`, r.sent, r.clicked, r.converted, r.sent ? percent(r.probabilityBest) : "–"])}
          />
        </div>
        {lead === null ? (
          <Text as="p" tone="subdued">
            No text of this test has been sent yet.
          </Text>
        ) : (
          <BlockStack gap="200">
            {conclusive ? (
              <Banner tone="success">{`Text ${lead.label} is ${percent(lead.probabilityBest)} likely to be the best.`}</Banner>
            ) : (
              <Banner tone="warning">{`Not conclusive yet: text ${lead.label} leads, ${percent(lead.probabilityBest)} likely to be the best. More sends make it surer.`}</Banner>
            )}
            <div>
              <Button onClick={() => onPromote(lead.variant)} loading={promoting}>
                {`Promote the winner (text ${lead.label})`}
              </Button>
            </div>
            <Text as="p" tone="subdued" variant="bodySm">
              {`Text ${lead.label} becomes this flow's only text and the test ends.`}
            </Text>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
