import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { AUDIENCE_OPTIONS, audienceFromPicker, segmentOption } from "~/campaigns/audience";
import type { CampaignErrors } from "~/campaigns/campaign-draft";
import { CAMPAIGN_TOKENS, previewCampaignText } from "~/campaigns/compose-campaign";
import { loadComposer, submitCampaign } from "~/campaigns/composer.server";
import { estimateCampaign } from "~/campaigns/estimate";
import { leftOutText } from "~/campaigns/left-out";
import type { Reach } from "~/campaigns/reach.server";
import { composerSegments } from "~/campaigns/segment-picker.server";
import { clock } from "~/clock.server";
import { FlowTextsCard } from "~/components/FlowTextsCard";
import { SmsPreviewCard } from "~/components/SmsPreviewCard";
import { database } from "~/db.server";
import { formatMoney } from "~/lib/format";
import { readFormFields } from "~/lib/form-json";
import { authenticate } from "~/shopify.server";

// ?segment=<gid>: opened from a segment's page in Shopify admin (extensions/nudge-segment-action).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const wanted = new URL(request.url).searchParams.get("segment");
  const segments = await composerSegments(admin, session.shop, wanted);
  return { ...(await loadComposer((await database()).sql, session.shop)), ...segments };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, redirect, admin } = await authenticate.admin(request);
  const form = await readFormFields(request);
  const result = await submitCampaign((await database()).sql, session.shop, parseJson(form?.campaign), form?.intent === "schedule" ? "schedule" : "send", clock.now(), admin);
  if (result.ok) return redirect(`/app/campaigns/${result.id}`);
  return Response.json(result, { status: result.status });
};

function parseJson(raw: unknown): unknown {
  try {
    return typeof raw === "string" ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

const DEFAULT_MESSAGE = "{{shop_name}}: our winter sale is on, {{first_name}}! Shop now: {{checkout_link}}";
const number = (value: string) => (value.trim() === "" ? null : Number(value));

export default function NewCampaign() {
  const { brandName, segmentPrice, rfmHelp, segments, segmentsError, initialAudience } = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: false; errors: CampaignErrors }>();
  const sending = useNavigation().state === "submitting";
  const submit = useSubmit();
  const [name, setName] = useState("");
  const [picker, setPicker] = useState(initialAudience ?? "subscribers");
  const [engagedDays, setEngagedDays] = useState("30");
  const [message, setMessage] = useState(DEFAULT_MESSAGE);
  const [discount, setDiscount] = useState("");
  const [link, setLink] = useState("");
  const [smartHours, setSmartHours] = useState("16");
  const [controlPercent, setControlPercent] = useState("10");
  const [sendAt, setSendAt] = useState("");
  const [localTime, setLocalTime] = useState(false);
  // datetime-local is the merchant's own clock; the server gets an instant, or with "in each
  // recipient's time zone" the wall-clock time itself.
  const sendAtIso = sendAt && !Number.isNaN(new Date(sendAt).getTime()) ? new Date(sendAt).toISOString() : null;
  const options = useMemo(() => [...AUDIENCE_OPTIONS, ...segments.map(segmentOption)], [segments]);
  const segmentName = segments.find((s) => `segment:${s.id}` === picker)?.name;

  const discountPercent = number(discount);
  const preview = useMemo(() => previewCampaignText(message, brandName, Number.isInteger(discountPercent) ? discountPercent : null), [message, brandName, discountPercent]);
  const audience = audienceFromPicker(picker, Number(engagedDays) || 30, segmentName);
  const campaign = {
    name,
    message,
    audience,
    discountPercent,
    link: link.trim() || null,
    smartSendingHours: number(smartHours) ?? 0,
    controlPercent: number(controlPercent) ?? 0,
    sendAt: localTime ? null : sendAtIso,
    localSendAt: localTime && sendAtIso ? sendAt.slice(0, 16) : null,
  };

  const reach = useFetcher<{ reach?: Reach; error?: string }>();
  useEffect(() => {
    reach.load(`/app/campaigns/reach?${new URLSearchParams({ audience: picker, days: engagedDays, smart: smartHours })}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [picker, engagedDays, smartHours]);
  const counts = reach.data?.reach;
  const estimate = counts ? estimateCampaign(counts, campaign.controlPercent, preview.segments, segmentPrice) : null;
  const reachError = reach.data?.error;
  const errors: CampaignErrors = { ...(result?.errors ?? {}), ...(preview.errors.length > 0 ? { message: preview.errors.join(". ") } : {}) };
  const rfmSegment = picker.startsWith("rfm:") ? (picker.slice(4) as keyof typeof rfmHelp) : null;

  return (
    <Page title="New campaign" backAction={{ content: "Campaigns", url: "/app/campaigns" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
            <Card>
              <BlockStack gap="300">
                <TextField label="Campaign name" value={name} onChange={setName} autoComplete="off" error={errors.name} helpText="Only you see it." />
                <Select
                  label="Audience"
                  options={options}
                  value={picker}
                  onChange={setPicker}
                  error={errors.audience}
                  helpText={rfmSegment ? `${rfmHelp[rfmSegment]}.` : "Only shoppers with SMS consent recorded by Nudge are ever texted, whatever a Shopify segment says."}
                />
                {segmentsError ? <Text as="p" tone="subdued">{`${segmentsError} Nudge's own audiences are listed.`}</Text> : null}
                {picker === "engaged" ? <TextField label="Clicked a text or ordered in the last" type="number" suffix="days" value={engagedDays} onChange={setEngagedDays} autoComplete="off" /> : null}
              </BlockStack>
            </Card>
            <FlowTextsCard
              texts={[message]}
              active={0}
              label="Message"
              tokens={CAMPAIGN_TOKENS}
              variants={false}
              errors={errors.message ? { template: errors.message } : {}}
              onSelect={() => undefined}
              onChange={([text]) => setMessage(text ?? "")}
            />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Offer and link
                </Text>
                <TextField
                  label="Discount"
                  type="number"
                  suffix="% off"
                  value={discount}
                  onChange={setDiscount}
                  autoComplete="off"
                  helpText="Each shopper gets a unique single-use code ({{discount_code}}). Leave empty for no discount."
                />
                <TextField
                  label="Link"
                  value={link}
                  onChange={setLink}
                  autoComplete="off"
                  placeholder="https://your-shop.com/collections/sale"
                  error={errors.link}
                  helpText="Where {{checkout_link}} leads; your home page when empty. Links are tracked."
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Sending
                </Text>
                <TextField
                  label="Skip anyone texted in the last"
                  type="number"
                  suffix="hours"
                  value={smartHours}
                  onChange={setSmartHours}
                  autoComplete="off"
                  helpText="Smart sending: nobody gets two texts too close together. 0 turns it off."
                />
                <TextField
                  label="Control group"
                  type="number"
                  suffix="%"
                  value={controlPercent}
                  onChange={setControlPercent}
                  autoComplete="off"
                  helpText="Held out at random and not texted, so the results show what the campaign really added."
                />
                <Text as="p" tone="subdued">
                  Quiet hours, frequency caps and opt-outs apply to every text: a shopper where it is night gets it in their morning.
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SmsPreviewCard title="Preview" preview={preview} segmentPrice={segmentPrice} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Reach
                </Text>
                {counts && estimate ? (
                  <BlockStack gap="100">
                    <Text as="p">
                      <span data-testid="campaign-reach">{`${counts.sendable.toLocaleString()} subscribers with SMS consent`}</span>
                    </Text>
                    <Text as="p" tone="subdued">
                      <span data-testid="campaign-left-out">{`Left out: ${leftOutText(counts)}.`}</span>
                    </Text>
                    {counts.recentlyTexted > 0 ? <Text as="p" tone="subdued">{`${counts.recentlyTexted} texted recently (skipped by smart sending).`}</Text> : null}
                    <Text as="p">
                      <span data-testid="campaign-estimate">{`About ${estimate.texts.toLocaleString()} texts, ${estimate.control.toLocaleString()} in the control group · ${estimate.segments.toLocaleString()} segments · about ${formatMoney(estimate.cost, "USD")}`}</span>
                    </Text>
                  </BlockStack>
                ) : (
                  <Text as="p" tone={reachError ? "critical" : "subdued"}>
                    {reachError ?? "Counting…"}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <TextField
                  label="Send at"
                  type="datetime-local"
                  value={sendAt}
                  onChange={setSendAt}
                  autoComplete="off"
                  error={errors.sendAt}
                  helpText={
                    localTime
                      ? "This time in each recipient's own time zone. Anyone whose time has already passed gets it the next day at that time."
                      : "Your time. Leave empty and press Send now to send at once."
                  }
                />
                <Checkbox
                  label="In each recipient's time zone"
                  checked={localTime}
                  onChange={setLocalTime}
                  helpText="For example 10:00 wherever each shopper is, instead of one moment for everyone."
                />
                <InlineStack align="end" gap="200">
                  <Button
                    onClick={() => submit({ campaign: JSON.stringify(campaign), intent: "schedule" }, { method: "post" })}
                    loading={sending}
                    disabled={!audience || preview.errors.length > 0 || name.trim() === "" || !sendAtIso}
                  >
                    Schedule
                  </Button>
                  <Button
                    onClick={() => submit({ campaign: JSON.stringify(campaign), intent: "send" }, { method: "post" })}
                    variant="primary"
                    loading={sending}
                    disabled={!audience || preview.errors.length > 0 || name.trim() === ""}
                  >
                    Send now
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
