import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, Page, Text } from "@shopify/polaris";
import { FeedRow } from "~/components/feed-row";
import { database } from "~/db.server";
import { listConversations } from "~/inbox/conversations.server";
import { shopLocale } from "~/services/shop-details.server";
import { authenticate } from "~/shopify.server";
import { shopDateTime } from "~/lib/format";

// The merchant's inbox (issue #21, item 2): every shopper who texted the shop, newest first.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const deps = await database();
  const [conversations, { timeZone }] = await Promise.all([listConversations(deps.sql, session.shop), shopLocale(deps.prisma, session.shop)]);
  return { conversations, timeZone };
};

export default function Inbox() {
  const { conversations, timeZone } = useLoaderData<typeof loader>();
  const when = shopDateTime(timeZone);
  return (
    <Page title="Inbox" subtitle="Texts from your shoppers. A question pauses that shopper's automated texts until you answer or mark it done.">
      <Card>
        <BlockStack gap="300">
          {conversations.length === 0 ? <Text as="p">No shopper has texted you yet.</Text> : null}
          {conversations.map((c) => (
            <FeedRow key={c.shopperId} at={c.lastInboundAt} when={when} detail={c.lastText}>
              <Link to={`/app/inbox/${c.shopperId}`} data-testid="conversation-link">
                <Text as="span" fontWeight={c.unread ? "bold" : "regular"}>
                  {c.firstName ?? c.phone ?? "Shopper"}
                </Text>
              </Link>
              {c.unread ? <Badge tone="attention">Unread</Badge> : null}
              {c.done ? <Badge tone="success">Done</Badge> : null}
              {c.possibleOptOuts > 0 ? <Badge tone="critical">Possible opt-out</Badge> : null}
              {c.consent === "revoked" ? <Badge>Opted out</Badge> : null}
            </FeedRow>
          ))}
        </BlockStack>
      </Card>
    </Page>
  );
}
