import { BlockStack, Card, DataTable, Link, Text } from "@shopify/polaris";
import type { PeriodCampaign } from "~/dashboard/period-campaigns.server";
import { formatPoints } from "~/lib/format";

type Row = Omit<PeriodCampaign, "sentAt"> & { sentAt: string | Date };

/** The period's campaigns on the dashboard: texts sent, revenue attributed and lift, each linking to its results. */
export function CampaignsCard({ campaigns, money }: { campaigns: Row[]; money: (n: number) => string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Campaigns
        </Text>
        {campaigns.length === 0 ? (
          <Text as="p" tone="subdued">
            No campaign went out in this period. <Link url="/app/campaigns/new">New campaign</Link>
          </Text>
        ) : (
          <div data-testid="dashboard-campaigns">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "text"]}
              headings={["Campaign", "Sent", "Revenue", "Lift vs control"]}
              rows={campaigns.map((c) => [
                <Link key={c.id} url={`/app/campaigns/${c.id}`}>
                  {c.name}
                </Link>,
                c.sent.toLocaleString("en-US"),
                money(c.revenue),
                c.lift ? `${formatPoints(c.lift.difference)} pts (${formatPoints(c.lift.lower)} to ${formatPoints(c.lift.upper)})` : "Not enough data yet",
              ])}
            />
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
