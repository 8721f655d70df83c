import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator, useSubmit } from "@remix-run/react";
import { useEffect } from "react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { describeAudience } from "~/campaigns/audience";
import { leftOutText } from "~/campaigns/left-out";
import { loadCampaign } from "~/campaigns/campaigns.server";
import { campaignResults } from "~/campaigns/results.server";
import { changeCampaign } from "~/campaigns/schedule.server";
import { clock } from "~/clock.server";
import { SKIP_LABELS, STATUS_TONE } from "~/campaigns/status";
import { database } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { MetricCard } from "~/components/metric-card";
import { formatMoney, formatPercent, formatPoints } from "~/lib/format";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = z.string().uuid().safeParse(params.id);
  if (!id.success) throw new Response("No such campaign", { status: 404 });
  const { sql } = await database();
  const campaign = await loadCampaign(sql, session.shop, id.data);
  if (!campaign) throw new Response("No such campaign", { status: 404 });
  return { campaign: { ...campaign, audience: describeAudience(campaign.audience) }, results: await campaignResults(sql, session.shop, id.data) };
};

const ChangeSchema = z.object({ id: z.string().uuid(), change: z.enum(["pause", "resume", "cancel"]) });

/** Pause, resume or cancel; 409 when the campaign's status doesn't allow it (e.g. already sent). */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData().catch(() => null);
  const parsed = ChangeSchema.safeParse({ id: params.id, change: form?.get("change") });
  if (!parsed.success) return Response.json({ ok: false, message: "Unknown change" }, { status: 400 });
  const status = await changeCampaign((await database()).sql, session.shop, parsed.data.id, parsed.data.change, clock.now());
  if (!status) return Response.json({ ok: false, message: "The campaign can't be changed that way now." }, { status: 409 });
  return Response.json({ ok: true, status });
};

export default function CampaignResultsPage() {
  const { campaign, results } = useLoaderData<typeof loader>();
  const { lift } = results;
  // While texts are still going out, the figures refresh themselves.
  const revalidator = useRevalidator();
  useEffect(() => {
    if (results.pending === 0 || campaign.status === "paused" || campaign.status === "scheduled") return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 3_000);
    return () => clearInterval(timer);
  }, [results.pending, campaign.status, revalidator]);
  const leftOut = campaign.leftOut;
  const submit = useSubmit();
  const change = (to: "pause" | "resume" | "cancel") => submit({ change: to }, { method: "post" });
  const actions = [
    ...(campaign.status === "sending" ? [{ content: "Pause", onAction: () => change("pause") }] : []),
    ...(campaign.status === "paused" ? [{ content: "Resume", onAction: () => change("resume") }] : []),
    ...(["scheduled", "sending", "paused"].includes(campaign.status) ? [{ content: "Cancel campaign", destructive: true, onAction: () => change("cancel") }] : []),
  ];
  const money = (n: number) => formatMoney(n, results.currency);
  return (
    <Page
      title={campaign.name}
      subtitle={campaign.audience}
      titleMetadata={<Badge tone={STATUS_TONE[campaign.status]}>{campaign.status}</Badge>}
      backAction={{ content: "Campaigns", url: "/app/campaigns" }}
      secondaryActions={actions}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={4} gap="300">
              <MetricCard label="Recipients" value={results.recipients} />
              <MetricCard label="Sent" value={results.sent} />
              <MetricCard label="Delivered" value={results.delivered} />
              <MetricCard label="Clicked" value={results.clicked} />
              <MetricCard label="Control group" value={results.skipped.holdout ?? 0} />
              <MetricCard label="Waiting" value={results.pending} />
              <MetricCard label="Orders" value={results.orders} />
              <MetricCard label="Revenue" value={money(results.revenue)} />
            </InlineGrid>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Lift against the control group
                </Text>
                <div data-testid="campaign-lift">
                  {lift.status === "ok" ? (
                    <Text as="p">
                      {`Lift ${formatPoints(lift.lift.difference)} pts (95% CI ${formatPoints(lift.lift.lower)} to ${formatPoints(lift.lift.upper)}) · texted ${formatPercent(lift.treated.rate)} of ${lift.treated.shoppers} ordered within 7 days vs held out ${formatPercent(lift.control.rate)} of ${lift.control.shoppers} · incremental revenue ${money(lift.incrementalRevenue)}`}
                    </Text>
                  ) : (
                    <Text as="p" tone="subdued">{`Not enough data yet: ${lift.treated.shoppers} texted and ${lift.control.shoppers} held out, ${lift.needPerGroup} of each needed`}</Text>
                  )}
                </div>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Not texted
                </Text>
                {Object.entries(results.skipped).map(([reason, n]) => (
                  <Text as="p" key={reason}>{`${SKIP_LABELS[reason] ?? reason}: ${n}`}</Text>
                ))}
                {results.failed > 0 ? <Text as="p">{`Failed at the carrier: ${results.failed}`}</Text> : null}
                {results.optOuts > 0 ? <Text as="p">{`Opted out after the text: ${results.optOuts}`}</Text> : null}
                {leftOut ? <Text as="p" tone="subdued">{`Left out of the audience: ${leftOutText(leftOut)}.`}</Text> : null}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Message
              </Text>
              <p style={{ whiteSpace: "pre-wrap", margin: 0 }}>{campaign.message}</p>
              {campaign.localTime ? (
                <Text as="p">{`At ${campaign.localTime} in each recipient's time zone`}</Text>
              ) : campaign.sendAt ? (
                <Text as="p">{`Scheduled for ${new Date(campaign.sendAt).toLocaleString()}`}</Text>
              ) : null}
              <Text
                as="p"
                tone="subdued"
              >{`Smart sending ${campaign.smartSendingHours} h · control group ${campaign.controlPercent}%${campaign.discountPercent ? ` · ${campaign.discountPercent}% off` : ""}`}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
