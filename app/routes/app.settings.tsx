import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Page, TextField } from "@shopify/polaris";
import { useState } from "react";
import { BillingPlanCard } from "~/components/billing-cards";
import { TestSmsCard } from "~/components/settings/test-sms-card";
import { TwilioAccountCard } from "~/components/settings/twilio-account-card";
import { TwilioRepliesCard } from "~/components/settings/twilio-replies-card";
import { WebPixelCard } from "~/components/settings/web-pixel-card";
import { readFormFields } from "~/lib/form-json";
import { runSettingsAction } from "~/settings/settings-actions.server";
import { loadSettingsPage } from "~/settings/settings-page.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSettingsPage(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { status, body } = await runSettingsAction(session.shop, await readFormFields(request));
  return data(body, { status });
};

export default function Settings() {
  const { shopName, contactEmail, values, twilio, replies, webPixel, billing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = actionData?.intent === "save" ? actionData : undefined;
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
      <BlockStack gap="500">
        <Layout>
          <Layout.AnnotatedSection title="Twilio account" description="Texts go out through this account. Nudge checks the credentials with Twilio before saving, and keeps the Auth Token encrypted.">
            <BlockStack gap="400">
              <TwilioAccountCard connection={twilio} />
              {replies ? <TwilioRepliesCard replies={replies} /> : null}
            </BlockStack>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Test text" description="Send one text to your own phone to see what shoppers will get. Up to 5 an hour.">
            <TestSmsCard connected={twilio.state !== "none"} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Storefront pixel"
            description="Nudge's web pixel reports product views, cart adds and checkout contact details to Nudge. It is created when you install the app."
          >
            <WebPixelCard status={webPixel} />
          </Layout.AnnotatedSection>
          {billing ? (
            <Layout.AnnotatedSection title="Plan" description="Nudge bills through Shopify: each text sent from Nudge's number is charged per segment, up to the spending cap you approved.">
              <BillingPlanCard summary={billing} />
            </Layout.AnnotatedSection>
          ) : null}
        </Layout>
        <Form method="post">
          <input type="hidden" name="intent" value="save" />
          <Layout>
            <Layout.AnnotatedSection title="Brand" description="Every text names your brand, and HELP replies say where to get help, as carriers require.">
              <Card>
                <FormLayout>
                  {field("brandName", "Brand name in texts", { type: "text", helpText: `Leave empty to use "${shopName}".` })}
                  {field("supportContact", "Support contact in HELP replies", {
                    type: "text",
                    helpText: contactEmail
                      ? `An email, phone number or web address. Leave empty to use ${contactEmail}.`
                      : "An email, phone number or web address. Carriers require one in HELP replies, and Shopify has no contact email for your store.",
                  })}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection
              title="Quiet hours and limits"
              description="Hours are the shopper's own time. Whatever you set, the law still applies: US numbers get texts only 8am–9pm (TCPA), and Florida, Oklahoma and Maryland only 8am–8pm and at most 3 per 24 hours. Nudge applies the stricter of your setting and the law."
            >
              <Card>
                <FormLayout>
                  <FormLayout.Group>
                    {field("startHour", "Send from", { suffix: ":00", helpText: "0–24. US numbers never before 8am, whatever you set." })}
                    {field("endHour", "Stop at", { suffix: ":00", helpText: "0–24. US numbers never after 9pm (8pm in FL, OK, MD)." })}
                  </FormLayout.Group>
                  <FormLayout.Group>
                    {field("capPer8h", "Most texts per shopper in 8 hours")}
                    {field("capPer24h", "Most texts per shopper in 24 hours", {
                      helpText: "Up to 50. Florida, Oklahoma and Maryland stay at 3 by law. A cart, checkout or browse text over a cap waits for it.",
                    })}
                  </FormLayout.Group>
                  {field("ratePerSecond", "Texts per second", { helpText: "Your sender's throughput: 10DLC 12–225, toll-free 3." })}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Sign-ups" description="Double opt-in asks new subscribers to reply Y before any marketing text.">
              <Card>
                <FormLayout>
                  <Checkbox label="Require double opt-in" name="doubleOptIn" checked={form.doubleOptIn} onChange={(checked) => setForm({ ...form, doubleOptIn: checked })} />
                  {field("signupKeyword", "Sign-up keyword", {
                    type: "text",
                    helpText: "Shoppers text this word to your number to subscribe; they confirm with Y. One word, like JOIN.",
                  })}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Inbox" description="When a shopper texts you a question, their automated texts wait so a flow doesn't talk over your answer.">
              <Card>
                {field("conversationPauseHours", "Pause automated texts after a question for", { suffix: "hours", helpText: "0 turns the pause off. Marking the conversation done ends it." })}
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection
              title="Discount codes"
              description="Texts that offer a discount carry their own one-time Shopify code. If Shopify can't make one, the text waits 5 minutes and tries again."
            >
              <Card>
                <Checkbox
                  label="Send without a discount when Shopify can't make a code"
                  helpText="The text goes out on time with the flow's no-discount wording instead of waiting."
                  name="sendWithoutDiscount"
                  checked={form.sendWithoutDiscount}
                  onChange={(checked) => setForm({ ...form, sendWithoutDiscount: checked })}
                />
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Results" description="How orders are credited to texts, and what a segment costs you.">
              <Card>
                <FormLayout>
                  {field("clickWindowDays", "Click window", { suffix: "days" })}
                  {field("viewWindowHours", "View window", {
                    suffix: "hours",
                    helpText: "Also credit an order placed this long after a delivered text, without a click. Leave empty to credit only codes and clicks.",
                  })}
                  {field("segmentPrice", "Price per SMS segment", { suffix: "USD" })}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.Section>
              {/* The outcome shows next to the button that was just clicked, not off-screen at the top. */}
              <BlockStack gap="300">
                {result?.ok ? <Banner tone="success">Settings saved.</Banner> : null}
                {result && !result.ok ? <Banner tone="critical">Some settings need fixing. See the highlighted fields.</Banner> : null}
                <InlineStack align="end">
                  <Button submit variant="primary" loading={saving}>
                    Save
                  </Button>
                </InlineStack>
              </BlockStack>
            </Layout.Section>
          </Layout>
        </Form>
      </BlockStack>
    </Page>
  );
}
