import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { gatewayFromEnv, gatewayResolver } from "~/adapters/sms.server";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { markConversationDone, markConversationRead, readThread } from "~/inbox/conversations.server";
import { sendInboxReply } from "~/inbox/send-reply.server";
import { readFormFields } from "~/lib/form-json";
import { confirmPossibleOptOut } from "~/services/possible-opt-out.server";
import { shopLocale } from "~/services/shop-details.server";
import { authenticate } from "~/shopify.server";
import { shopDateTime } from "~/lib/format";

// One conversation: the shopper's texts and ours, a reply box, done, and possible opt-outs to confirm.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const deps = await database();
  const [thread, { timeZone }] = await Promise.all([readThread(deps.sql, session.shop, params.id ?? ""), shopLocale(deps.prisma, session.shop)]);
  if (!thread) throw new Response("Conversation not found", { status: 404 });
  // Opening it is reading it, as in any inbox.
  await markConversationRead(deps.sql, session.shop, thread.conversation.shopperId, clock.now());
  const pausedUntil = thread.conversation.pausedUntil;
  return { ...thread, timeZone, paused: pausedUntil !== null && pausedUntil.getTime() > clock.now().getTime() };
};

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reply"), body: z.string() }),
  z.object({ intent: z.literal("done") }),
  z.object({ intent: z.literal("confirm_opt_out"), eventId: z.string() }),
]);

const STATUS = { invalid: 400, not_found: 404, opted_out: 409, no_sender: 409, twilio: 502 } as const;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = ActionSchema.safeParse(await readFormFields(request));
  if (!form.success) return data({ ok: false, message: "That action isn't available." }, { status: 400 });
  const { sql } = await database();
  const id = params.id ?? "";
  const now = clock.now();
  switch (form.data.intent) {
    case "reply": {
      const result = await sendInboxReply({ sql, gatewayFor: gatewayResolver(gatewayFromEnv()), now }, session.shop, id, form.data);
      return result.ok ? { ok: true, message: "Reply sent." } : data({ ok: false, message: result.message }, { status: STATUS[result.problem] });
    }
    case "done":
      return (await markConversationDone(sql, session.shop, id, now)) ? { ok: true, message: "Marked done." } : data({ ok: false, message: "No such conversation." }, { status: 404 });
    case "confirm_opt_out": {
      const outcome = await confirmPossibleOptOut(sql, session.shop, form.data.eventId, now);
      if (outcome === "not_found") return data({ ok: false, message: "That reply wasn't found." }, { status: 404 });
      return { ok: true, message: outcome === "opted_out" ? "Opt-out confirmed: no more texts go to this shopper." : "Already confirmed." };
    }
  }
};

export default function Conversation() {
  const { conversation: c, texts, timeZone, paused } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [body, setBody] = useState("");
  const when = shopDateTime(timeZone);
  const name = c.firstName ?? c.phone ?? "Shopper";
  const optedOut = c.consent === "revoked";
  return (
    <Page backAction={{ content: "Inbox", url: "/app/inbox" }} title={name} subtitle={c.phone ?? undefined}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                  <Link to={`/app/shoppers/${c.shopperId}`}>Timeline</Link>
                  {c.done ? <Badge tone="success">Done</Badge> : null}
                  {optedOut ? <Badge>Opted out</Badge> : null}
                  {paused && c.pausedUntil ? <Badge tone="info">{`Automated texts paused until ${when.format(new Date(c.pausedUntil))}`}</Badge> : null}
                </InlineStack>
                {texts.map((t, i) => (
                  <Box key={i} padding="200" background={t.direction === "in" ? "bg-surface-secondary" : "bg-surface-info"} borderRadius="200" data-testid={`text-${t.direction}`}>
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">
                        {t.direction === "in" ? name : t.source === "inbox" ? "You" : `Automated (${t.source})`}
                      </Text>
                      <Text as="span" tone="subdued">
                        {when.format(new Date(t.at))}
                      </Text>
                      {t.possibleOptOut && !t.possibleOptOut.confirmed ? <Badge tone="critical">{`Possible opt-out (${t.possibleOptOut.rule})`}</Badge> : null}
                      {t.possibleOptOut?.confirmed ? <Badge>Opt-out confirmed</Badge> : null}
                    </InlineStack>
                    <Text as="p" breakWord>
                      {t.body}
                    </Text>
                    {t.possibleOptOut && !t.possibleOptOut.confirmed ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="confirm_opt_out" />
                        <input type="hidden" name="eventId" value={t.possibleOptOut.eventId} />
                        <Button submit tone="critical" loading={busy}>
                          Confirm opt-out
                        </Button>
                      </Form>
                    ) : null}
                  </Box>
                ))}
              </BlockStack>
            </Card>
            <Card>
              {optedOut ? (
                <Text as="p">This shopper opted out: no text can go to them.</Text>
              ) : (
                <Form method="post" onSubmit={() => setTimeout(() => setBody(""), 0)}>
                  <BlockStack gap="200">
                    <input type="hidden" name="intent" value="reply" />
                    <TextField label="Reply" name="body" value={body} onChange={setBody} multiline={3} autoComplete="off" maxLength={640} showCharacterCount />
                    <InlineStack gap="200">
                      <Button submit variant="primary" loading={busy} disabled={body.trim() === ""}>
                        Send reply
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Form>
              )}
              <Box paddingBlockStart="300">
                <Form method="post">
                  <input type="hidden" name="intent" value="done" />
                  <Button submit disabled={c.done} loading={busy}>
                    Mark done
                  </Button>
                </Form>
              </Box>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
