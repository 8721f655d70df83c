import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { DownloadFileButton } from "~/components/download-file-button";
import { FeedRow } from "~/components/feed-row";
import { readFormFields } from "~/lib/form-json";
import { listShopperExports } from "~/privacy/data-exports.server";
import { optOutManually } from "~/services/manual-opt-out.server";
import { shopLocale } from "~/services/shop-details.server";
import { shopperTimeline } from "~/services/shopper-directory.server";
import { authenticate } from "~/shopify.server";
import { shopDateTime } from "~/lib/format";
import { CONSENT_TONE, STAGE_TONE } from "./app.shoppers._index";

const Id = z.uuid();

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = Id.safeParse(params.id);
  const deps = await database();
  const [timeline, { timeZone }, dataExports] = await Promise.all([
    id.success ? shopperTimeline(deps, session.shop, id.data) : null,
    shopLocale(deps.prisma, session.shop),
    id.success ? listShopperExports(deps.sql, session.shop, id.data) : [],
  ]);
  if (!timeline) throw new Response("Shopper not found", { status: 404 });
  // Dates in the shop's time zone: the same on the server and in the browser, and the days
  // the merchant sees on the dashboard.
  return { ...timeline, timeZone, dataExports };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = z.object({ intent: z.literal("opt_out") }).safeParse(await readFormFields(request));
  const id = Id.safeParse(params.id);
  if (!form.success) return data({ ok: false, error: "That action isn't available." }, { status: 400 });
  // Another shop's shopper (or no shopper at all) is a 404, like the page itself.
  const done = id.success && (await optOutManually((await database()).sql, session.shop, id.data, clock.now()));
  return done ? { ok: true, error: null } : data({ ok: false, error: "Shopper not found." }, { status: 404 });
};

const KIND_TONE = { event: "info", message: undefined, consent: "success", order: "success", attribution: "magic" } as const;

export default function ShopperTimeline() {
  const { shopper, entries, timeZone, dataExports } = useLoaderData<typeof loader>();
  const when = shopDateTime(timeZone);
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const name = shopper.firstName ?? shopper.phone ?? shopper.email ?? "Shopper";
  return (
    <Page backAction={{ content: "Shoppers", url: "/app/shoppers" }} title={name} subtitle={[shopper.phone, shopper.email].filter(Boolean).join(" · ")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                Timeline
              </Text>
              {entries.length === 0 ? <Text as="p">Nothing has happened yet.</Text> : null}
              {entries.map((entry, i) => (
                <FeedRow key={i} at={entry.at} when={when} detail={entry.detail}>
                  <Badge tone={KIND_TONE[entry.kind]}>{entry.kind}</Badge>
                  <Text as="span" fontWeight="semibold">
                    {entry.title}
                  </Text>
                </FeedRow>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200">
                <Badge tone={STAGE_TONE[shopper.stage as keyof typeof STAGE_TONE]}>{shopper.stage}</Badge>
                <Badge tone={CONSENT_TONE[shopper.consent as keyof typeof CONSENT_TONE]}>{`SMS: ${shopper.consent}`}</Badge>
              </InlineStack>
              <Text as="p">{`${shopper.orderCount} order${shopper.orderCount === 1 ? "" : "s"}`}</Text>
              {result?.error ? <Banner tone="critical">{result.error}</Banner> : null}
              {result?.ok ? <Banner tone="success">Opted out. No more texts will be sent.</Banner> : null}
              {shopper.consent === "granted" || shopper.consent === "pending" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="opt_out" />
                  <Button submit tone="critical" loading={busy}>
                    Opt out of texts
                  </Button>
                </Form>
              ) : null}
            </BlockStack>
          </Card>
          {dataExports.length > 0 ? (
            <Box paddingBlockStart="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Data requests
                  </Text>
                  <Text as="p" tone="subdued">
                    What Nudge held about this customer when Shopify forwarded their request. Send it to them.
                  </Text>
                  {dataExports.map((e) => (
                    <InlineStack key={e.id} gap="200" blockAlign="center" align="space-between">
                      <Text as="span">{`Requested ${when.format(new Date(e.requestedAt))}`}</Text>
                      <DownloadFileButton url={`/app/data-exports/${e.id}`} fileName={`customer-data-${e.requestId ?? e.id}.json`}>
                        Download JSON
                      </DownloadFileButton>
                    </InlineStack>
                  ))}
                </BlockStack>
              </Card>
            </Box>
          ) : null}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
