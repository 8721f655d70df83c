import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { action } from "~/routes/app.settings";

/** "Send a test text to my phone", through the same account the shop's texts use. */
export function TestSmsCard({ connected }: { connected: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const [phone, setPhone] = useState("");
  const result = fetcher.data?.intent === "test_sms" ? fetcher.data : undefined;
  return (
    <Card>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="test_sms" />
        <BlockStack gap="400">
          {result?.ok ? <Banner tone="success">{`Sent to ${result.to}. Twilio message SID: ${result.sid}`}</Banner> : null}
          {result && !result.ok && result.message ? <Banner tone="critical">{result.message}</Banner> : null}
          <TextField
            label="Your mobile number"
            name="phone"
            type="tel"
            value={phone}
            onChange={setPhone}
            error={result && !result.ok ? result.errors.phone : undefined}
            helpText={connected ? "Include the country code, like +1 415 555 0100." : "Connect a Twilio account first."}
            autoComplete="tel"
          />
          <InlineStack align="end">
            <Button submit disabled={!connected} loading={fetcher.state === "submitting"}>
              Send test text
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
