import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { z } from "zod";
import { db } from "~/db.server";
import { previewTemplate } from "~/messaging/preview";
import { DEFAULT_TEMPLATES, TEMPLATE_TOKENS } from "~/messaging/templates";
import { saveFlow } from "~/services/shop-settings.server";
import { readShopSettings } from "~/services/shops.server";
import { authenticate } from "~/shopify.server";
import { FLOWS } from "./app.flows._index";

const FlowId = z.enum(["welcome", "cart_recovery", "post_purchase", "win_back"]);

async function loadFlow(shop: string, flowParam: string | undefined) {
  const flowId = FlowId.safeParse(flowParam);
  if (!flowId.success) throw new Response("No such flow", { status: 404 });
  const flow = FLOWS.find((f) => f.id === flowId.data)!;
  const row = await (await db()).shop.findUnique({ where: { domain: shop }, select: { settings: true, name: true } });
  const settings = readShopSettings(shop, row?.settings);
  const step = settings.journey[flow.settingsKey];
  const discountPercent = "steps" in step ? (step.steps[0]?.discountPercent ?? null) : step.discountPercent;
  return { flow, settings, brandName: settings.sending.brandName || row?.name || shop, discountPercent };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { flow, settings, brandName, discountPercent } = await loadFlow(session.shop, params.flow);
  return {
    flow,
    brandName,
    discountPercent,
    segmentPrice: settings.sending.segmentPrice,
    enabled: settings.journey[flow.settingsKey].enabled,
    template: settings.sending.templates[flow.id] ?? DEFAULT_TEMPLATES[flow.id],
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { flow, brandName, discountPercent } = await loadFlow(session.shop, params.flow);
  const form = z
    .object({ template: z.string().max(2000), enabled: z.preprocess((v) => v === "on", z.boolean()) })
    .safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { ok: false, errors: ["The form could not be read."] };
  const check = previewTemplate(flow.id, form.data.template, brandName, discountPercent);
  if (check.errors.length > 0) return { ok: false, errors: check.errors };
  await saveFlow(await db(), session.shop, { ...flow, defaultTemplate: DEFAULT_TEMPLATES[flow.id] }, form.data);
  return { ok: true, errors: [] as string[] };
};

export default function FlowEditor() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [template, setTemplate] = useState(data.template);
  const [enabled, setEnabled] = useState(data.enabled);
  // The same code the server sends with, run live on each keystroke.
  const preview = useMemo(() => previewTemplate(data.flow.id, template, data.brandName, data.discountPercent), [template, data]);
  const errors = result && !result.ok ? result.errors : preview.errors;

  return (
    <Page title={data.flow.name} subtitle={data.flow.when} backAction={{ content: "Flows", url: "/app/flows" }}>
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result?.ok ? <Banner tone="success">Flow saved.</Banner> : null}
              <Card>
                <BlockStack gap="300">
                  <Checkbox label="This flow is on" name="enabled" checked={enabled} onChange={setEnabled} />
                  <TextField
                    label="Text"
                    name="template"
                    value={template}
                    onChange={setTemplate}
                    multiline={4}
                    autoComplete="off"
                    error={errors.length > 0 ? errors.join(". ") : undefined}
                    helpText="Tokens fill in per shopper. Missing values read naturally (“Hey there!”)."
                  />
                  <InlineStack gap="200" wrap>
                    {TEMPLATE_TOKENS.map((token) => (
                      <Button key={token} size="slim" onClick={() => setTemplate(`${template}{{${token}}}`)}>
                        {`{{${token}}}`}
                      </Button>
                    ))}
                  </InlineStack>
                  <InlineStack align="end">
                    <Button submit variant="primary" loading={saving} disabled={preview.errors.length > 0}>
                      Save
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Preview
                </Text>
                <Box background="bg-surface-secondary" padding="400" borderRadius="400">
                  <Box background="bg-fill-info-secondary" padding="300" borderRadius="300">
                    <p data-testid="sms-preview" style={{ whiteSpace: "pre-wrap", margin: 0 }}>
                      {preview.body}
                    </p>
                  </Box>
                </Box>
                <Text as="p">
                  <span data-testid="segment-count">
                    {`${preview.segments} segment${preview.segments === 1 ? "" : "s"} · ${preview.encoding} · ${preview.characters} characters · about $${(preview.segments * data.segmentPrice).toFixed(4)} per text`}
                  </span>
                </Text>
                {preview.notes.map((note) => (
                  <Text as="p" tone="subdued" key={note}>
                    {note}
                  </Text>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
