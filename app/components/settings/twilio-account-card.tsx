import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { action } from "~/routes/app.settings";
import type { TwilioConnection } from "~/services/twilio-connection.server";

type SettingsFetcher = ReturnType<typeof useFetcher<typeof action>>;
type OwnAccount = Extract<TwilioConnection, { state: "own" }>;

const BADGE = {
  own: { tone: "success", label: "Connected" },
  app: { tone: "info", label: "Using the app's account" },
  none: { tone: "attention", label: "Not connected" },
} as const;

/** Connect, update or disconnect the shop's own Twilio account. The token is write-only. */
export function TwilioAccountCard({ connection }: { connection: TwilioConnection }) {
  const connect = useFetcher<typeof action>();
  const disconnect = useFetcher<typeof action>();
  const own = connection.state === "own" ? connection : null;
  const result = connect.data?.intent === "connect" ? connect.data : undefined;
  const errors = result && !result.ok ? result.errors : {};
  const disconnected = disconnect.data?.intent === "disconnect" ? disconnect.data : undefined;

  const badge = BADGE[connection.state];
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Sending account
          </Text>
          <Badge tone={badge.tone}>{badge.label}</Badge>
        </InlineStack>
        {own ? (
          <BlockStack gap="100">
            {[
              ["Account", own.accountSid],
              ["Sender", own.sender ?? "—"],
              ["Auth Token", own.authToken],
            ].map(([label, value]) => (
              <InlineStack key={label} gap="200" wrap={false}>
                <Box minWidth="96px">
                  <Text as="span" tone="subdued">
                    {label}
                  </Text>
                </Box>
                <Text as="span" breakWord>
                  {value}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {connection.state === "app"
              ? "Texts go out through the Twilio account this app was set up with. Connect your own to send from your own number and be billed by Twilio directly."
              : "Nudge can't send texts yet. Connect a Twilio account."}
          </Text>
        )}
        {connection.state !== "own" && connection.unreadable ? (
          <Banner tone="warning">A saved Twilio account can&apos;t be decrypted (the app&apos;s encryption key changed). Connect it again.</Banner>
        ) : null}
        {result?.ok ? <Banner tone="success">{`Connected to ${result.friendlyName}. Twilio accepted the credentials.`}</Banner> : null}
        {disconnected && !disconnected.replies.ok ? <Banner tone="warning">{`Disconnected. ${disconnected.replies.message}`}</Banner> : null}
        {result?.ok && !result.replies.ok ? <Banner tone="warning">{`The account is saved, but replies can't reach Nudge yet: ${result.replies.message}`}</Banner> : null}
        {result && !result.ok && result.message ? <Banner tone="critical">{result.message}</Banner> : null}
        {/* The page shows what is stored now: after a connect or a disconnect, the form starts afresh from that. */}
        <TwilioCredentialsForm key={[own?.accountSid, own?.sender, own?.authToken].join("\u0000")} own={own} errors={errors} connect={connect} disconnect={disconnect} />
      </BlockStack>
    </Card>
  );
}

/** The connect form, holding what the merchant types; keyed on the stored account so a change there resets it. */
function TwilioCredentialsForm({
  own,
  errors,
  connect,
  disconnect,
}: {
  own: OwnAccount | null;
  errors: Partial<Record<"accountSid" | "authToken" | "sender", string>>;
  connect: SettingsFetcher;
  disconnect: SettingsFetcher;
}) {
  const [accountSid, setAccountSid] = useState(own?.accountSid ?? "");
  const [sender, setSender] = useState(own?.sender ?? "");
  const [authToken, setAuthToken] = useState("");
  return (
    <connect.Form method="post">
      <input type="hidden" name="intent" value="connect" />
      <FormLayout>
        <TextField label="Account SID" name="accountSid" value={accountSid} onChange={setAccountSid} error={errors.accountSid} placeholder="AC…" autoComplete="off" />
        <TextField
          label="Auth Token"
          name="authToken"
          type="password"
          value={authToken}
          onChange={setAuthToken}
          error={errors.authToken}
          placeholder={own ? `Leave empty to keep ${own.authToken}` : undefined}
          helpText="Twilio Console → Account info. Stored encrypted and never shown again."
          autoComplete="new-password"
        />
        <TextField
          label="Sender"
          name="sender"
          value={sender}
          onChange={setSender}
          error={errors.sender}
          helpText="A Messaging Service SID (MG…) or a phone number on this account, like +14155550100."
          autoComplete="off"
        />
        <InlineStack align="end" gap="300" blockAlign="center">
          {own ? (
            <Button variant="plain" tone="critical" loading={disconnect.state === "submitting"} onClick={() => disconnect.submit({ intent: "disconnect" }, { method: "post" })}>
              Disconnect
            </Button>
          ) : null}
          <Button submit variant="primary" loading={connect.state === "submitting"}>
            {own ? "Verify and update" : "Verify and connect"}
          </Button>
        </InlineStack>
      </FormLayout>
    </connect.Form>
  );
}
