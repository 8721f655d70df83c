import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { db } from "~/db.server";
import { readShopSettings } from "~/services/shops.server";
import { saveShopSettings, SettingsFormSchema } from "~/services/shop-settings.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await (await db()).shop.findUnique({ where: { domain: session.shop }, select: { settings: true, name: true } });
  const settings = readShopSettings(session.shop, shop?.settings);
  const cap = (hours: number) => settings.sending.caps.find((c) => c.windowHours === hours)?.max ?? 0;
  return {
    shopName: shop?.name ?? session.shop,
    values: {
      brandName: settings.sending.brandName,
      startHour: String(settings.sending.window.startHour),
      endHour: String(settings.sending.window.endHour),
      capPer8h: String(cap(8)),
      capPer24h: String(cap(24)),
      ratePerSecond: String(settings.sending.ratePerSecond),
      segmentPrice: String(settings.sending.segmentPrice),
      clickWindowDays: String(settings.attribution.clickWindowDays),
      doubleOptIn: settings.journey.doubleOptIn,
    },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = SettingsFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false as const, errors };
  }
  await saveShopSettings(await db(), session.shop, parsed.data);
  return { ok: true as const, errors: {} as Record<string, string> };
};

export default function Settings() {
  const { shopName, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [form, setForm] = useState(values);
  const field = (name: keyof typeof values, label: string, extra: { type?: "number" | "text"; helpText?: string; suffix?: string } = {}) => (
    <TextField
      label={label}
      name={name}
      type={extra.type ?? "number"}
      value={String(form[name])}
      onChange={(value) => setForm({ ...form, [name]: value })}
      error={result?.errors?.[name]}
      helpText={extra.helpText}
      suffix={extra.suffix}
      autoComplete="off"
    />
  );
  return (
    <Page title="Settings">
      <Form method="post">
        <Layout>
          <Layout.Section>
            {result?.ok ? <Banner tone="success">Settings saved.</Banner> : null}
            {result && !result.ok ? <Banner tone="critical">Some settings need fixing. See the highlighted fields.</Banner> : null}
          </Layout.Section>
          <Layout.AnnotatedSection title="Brand" description="Every text names your brand, as carriers require.">
            <Card>{field("brandName", "Brand name in texts", { type: "text", helpText: `Leave empty to use "${shopName}".` })}</Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Quiet hours and limits"
            description="Hours are the shopper's own time. Florida, Oklahoma and Maryland are always held to 8am–8pm."
          >
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  {field("startHour", "Send from", { suffix: ":00" })}
                  {field("endHour", "Stop at", { suffix: ":00" })}
                </FormLayout.Group>
                <FormLayout.Group>
                  {field("capPer8h", "Most texts per shopper in 8 hours")}
                  {field("capPer24h", "Most texts per shopper in 24 hours")}
                </FormLayout.Group>
                {field("ratePerSecond", "Texts per second", { helpText: "Your sender's throughput: 10DLC 12–225, toll-free 3." })}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Sign-ups" description="Double opt-in asks new subscribers to reply Y before any marketing text.">
            <Card>
              <Checkbox label="Require double opt-in" name="doubleOptIn" checked={form.doubleOptIn} onChange={(checked) => setForm({ ...form, doubleOptIn: checked })} />
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Results" description="How orders are credited to texts, and what a segment costs you.">
            <Card>
              <FormLayout>
                {field("clickWindowDays", "Click window", { suffix: "days" })}
                {field("segmentPrice", "Price per SMS segment", { suffix: "USD" })}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <BlockStack inlineAlign="end">
              <Button submit variant="primary" loading={saving}>
                Save
              </Button>
            </BlockStack>
            <Text as="p" tone="subdued">
              Twilio is connected through TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the app environment.
            </Text>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
