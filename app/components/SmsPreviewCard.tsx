import { BlockStack, Box, Card, Text } from "@shopify/polaris";
import { formatMoney } from "~/lib/format";
import type { TemplateCheck } from "~/messaging/preview";

/** A text as the shopper's phone shows it, with its segment count and cost. */
export function SmsPreviewCard({ title, preview, segmentPrice }: { title: string; preview: TemplateCheck; segmentPrice: number }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
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
            {`${preview.segments} segment${preview.segments === 1 ? "" : "s"} · ${preview.encoding} · ${preview.characters} characters · about ${formatMoney(preview.segments * segmentPrice, "USD", { digits: 4 })} per text`}
          </span>
        </Text>
        {preview.notes.map((note) => (
          <Text as="p" tone="subdued" key={note}>
            {note}
          </Text>
        ))}
      </BlockStack>
    </Card>
  );
}
