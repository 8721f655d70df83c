import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { listFlows } from "~/flows/flow-list.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listFlows(session.shop);
};

export default function Flows() {
  const flows = useLoaderData<typeof loader>();
  return (
    <Page title="Flows" backAction={{ content: "Dashboard", url: "/app" }} primaryAction={{ content: "Journey simulator", url: "/app/flows/simulator" }}>
      <BlockStack gap="300">
        {flows.map((flow) => (
          <Card key={flow.id}>
            <InlineStack align="space-between" blockAlign="center">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  <Link url={`/app/flows/${flow.id}`}>{flow.name}</Link>
                </Text>
                <Text as="p" tone="subdued">
                  {`${flow.when}. Sends ${flow.timing}${flow.id === "win_back" ? " after the last order" : ""}.`}
                </Text>
              </BlockStack>
              <InlineStack gap="200">
                {flow.variants > 1 ? <Badge tone="info">{`A/B test: ${flow.variants} texts`}</Badge> : null}
                {flow.holdoutPercent > 0 ? <Badge>{`${flow.holdoutPercent}% control group`}</Badge> : null}
                {flow.custom ? <Badge>Custom text</Badge> : null}
                <Badge tone={flow.enabled ? "success" : undefined}>{flow.enabled ? "On" : "Off"}</Badge>
              </InlineStack>
            </InlineStack>
          </Card>
        ))}
      </BlockStack>
    </Page>
  );
}
