import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { action } from "~/routes/app.settings";
import type { RepliesState } from "~/services/twilio-inbound.server";

/**
 * Whether replies to the shop's own sender reach Nudge. Without them STOP, HELP, NPS answers
 * and double opt-in "Y" are lost, so anything but "reach Nudge" is a warning with a fix.
 */
export function TwilioRepliesCard({ replies }: { replies: RepliesState }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const submitted = fetcher.formData?.get("intent");
  const answer = fetcher.data && (fetcher.data.intent === "check_replies" || fetcher.data.intent === "point_replies") ? fetcher.data : undefined;
  const run = (intent: "check_replies" | "point_replies") => fetcher.submit({ intent }, { method: "post" });
  const checkAgain = (
    <Button onClick={() => run("check_replies")} loading={busy && submitted === "check_replies"}>
      Check again
    </Button>
  );

  return (
    <Card>
      <BlockStack gap="300">
        {replies.state === "reach_nudge" ? (
          <>
            <Text as="h2" variant="headingMd">
              Replies reach Nudge ✓
            </Text>
            <Text as="p" tone="subdued">
              {`Twilio sends replies to ${replies.sender} to Nudge, so STOP, HELP and answers are handled at once. Checked ${new Date(replies.checkedAt).toUTCString()}.`}
            </Text>
            <InlineStack align="end">{checkAgain}</InlineStack>
          </>
        ) : (
          <>
            <Text as="h2" variant="headingMd">
              Replies
            </Text>
            <Banner tone="warning" title="Replies don't reach Nudge">
              <BlockStack gap="200">
                <Text as="p">
                  {replies.state === "elsewhere"
                    ? `Twilio sends replies to ${replies.sender} to ${replies.where}. Nudge won't see STOP, HELP, survey answers or double opt-in confirmations.`
                    : "Nudge hasn't been able to check where Twilio sends replies to your sender."}
                </Text>
                {replies.problem ? <Text as="p">{`Twilio said: ${replies.problem}`}</Text> : null}
              </BlockStack>
            </Banner>
            <InlineStack align="end" gap="300">
              {checkAgain}
              <Button variant="primary" onClick={() => run("point_replies")} loading={busy && submitted === "point_replies"}>
                Send replies to Nudge
              </Button>
            </InlineStack>
          </>
        )}
        {answer && !answer.ok ? <Banner tone="critical">{answer.message}</Banner> : null}
      </BlockStack>
    </Card>
  );
}
