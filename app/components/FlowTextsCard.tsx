import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import type { FieldErrors } from "~/flows/flow-draft";
import { TEMPLATE_TOKENS } from "~/messaging/templates";

interface Props {
  texts: string[];
  active: number;
  errors: FieldErrors;
  onChange: (texts: string[]) => void;
  onSelect: (index: number) => void;
}

const LETTERS = ["A", "B", "C", "D"];

/** The flow's text, and up to three A/B variants of it, with a token picker for the one in focus. */
export function FlowTextsCard({ texts, active, errors, onChange, onSelect }: Props) {
  const setText = (index: number, value: string) => onChange(texts.map((t, i) => (i === index ? value : t)));
  const errorFor = (index: number) => (index === 0 ? errors.template : errors[`variants.${index - 1}`]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {texts.length > 1 ? "Texts (A/B test)" : "Text"}
        </Text>
        {texts.map((text, index) => (
          <BlockStack gap="100" key={index}>
            <TextField
              label={index === 0 ? (texts.length > 1 ? "Text A" : "Text") : `Text ${LETTERS[index]}`}
              value={text}
              onChange={(value) => setText(index, value)}
              onFocus={() => onSelect(index)}
              multiline={3}
              autoComplete="off"
              error={errorFor(index)}
              helpText={index === 0 ? "Tokens fill in per shopper. Missing values read naturally (“Hey there!”)." : undefined}
            />
            {index > 0 ? (
              <InlineStack>
                <Button variant="plain" tone="critical" onClick={() => onChange(texts.filter((_, i) => i !== index))}>
                  {`Remove text ${LETTERS[index]}`}
                </Button>
              </InlineStack>
            ) : null}
          </BlockStack>
        ))}
        <Text as="p" tone="subdued">{`Insert into text ${LETTERS[active]}:`}</Text>
        <InlineStack gap="200" wrap>
          {TEMPLATE_TOKENS.map((token) => (
            <Button key={token} size="slim" onClick={() => setText(active, `${texts[active]}{{${token}}}`)}>
              {`{{${token}}}`}
            </Button>
          ))}
        </InlineStack>
        {texts.length < 4 ? (
          <InlineStack>
            <Button
              onClick={() => {
                onChange([...texts, texts[0]!]);
                onSelect(texts.length);
              }}
            >
              Add an A/B variant
            </Button>
          </InlineStack>
        ) : null}
        {texts.length > 1 ? (
          <Text as="p" tone="subdued">
            Shoppers are split evenly and stay with their text. A/B test results, above, show which one converts best.
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
