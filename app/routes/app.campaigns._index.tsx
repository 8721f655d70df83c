import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { describeAudience } from "~/campaigns/audience";
import { listCampaigns } from "~/campaigns/campaigns.server";
import { shopRfmThresholds } from "~/campaigns/reach.server";
import { saveRfmThresholds } from "~/campaigns/rfm-settings.server";
import { RfmThresholdsCard } from "~/components/rfm-thresholds-card";
import { readJsonField } from "~/lib/form-json";
import { STATUS_TONE } from "~/campaigns/status";
import { database } from "~/db.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { sql } = await database();
  const campaigns = await listCampaigns(sql, session.shop);
  return {
    rfm: await shopRfmThresholds(sql, session.shop),
    campaigns: campaigns.map((c) => ({ id: c.id, name: c.name, status: c.status, audience: describeAudience(c.audience), recipients: c.recipients, createdAt: c.createdAt })),
  };
};

/** The RFM thresholds card saves here. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await saveRfmThresholds((await database()).sql, session.shop, await readJsonField(request, "rfm"));
  return Response.json(result, { status: result.ok ? 200 : 422 });
};

export default function Campaigns() {
  const { campaigns, rfm } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  return (
    <Page title="Campaigns" subtitle="One-off texts to an audience, beside the automated flows" primaryAction={{ content: "New campaign", url: "/app/campaigns/new" }}>
      <BlockStack gap="400">
        <Card padding="0">
          {campaigns.length === 0 ? (
            <EmptyState heading="No campaigns yet" image="" action={{ content: "New campaign", url: "/app/campaigns/new" }}>
              <p>Text your subscribers about a sale or a launch. Each campaign keeps a control group, so you see what it really added.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "campaign", plural: "campaigns" }}
              itemCount={campaigns.length}
              selectable={false}
              headings={[{ title: "Campaign" }, { title: "Audience" }, { title: "Status" }, { title: "Recipients", alignment: "end" }]}
            >
              {campaigns.map((c, index) => (
                <IndexTable.Row id={c.id} key={c.id} position={index} onClick={() => navigate(`/app/campaigns/${c.id}`)}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {c.name}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{c.audience}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={STATUS_TONE[c.status]}>{c.status}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {c.recipients === null ? "–" : c.recipients.toLocaleString()}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        <RfmThresholdsCard rfm={rfm} />
      </BlockStack>
    </Page>
  );
}
