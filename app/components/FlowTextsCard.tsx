import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import type { FieldErrors } from "~/flows/flow-draft";
import { TEMPLATE_TOKENS } from "~/messaging/templates";

interface Props {
  texts: string[];
  active: number;
  errors: FieldErrors;
  onChange: (texts: string[]) => void;
  onSelect: (index: number) => void;
  /** The field's label when there is one text (a campaign's reads "Message"). */
  label?: string;
  /** The tokens offered (a campaign has no cart or product to name). */
  tokens?: readonly string[];
  /** Whether A/B variants can be added (flows only, for now). */
  variants?: boolean;
}

const LETTERS = ["A", "B", "C", "D"];

/** The flow's text, and up to three A/B variants of it, with a token picker for the one in focus. */
export function FlowTextsCard({ texts, active, errors, onChange, onSelect, label = "Text", tokens = TEMPLATE_TOKENS, variants = true }: Props) {
  const setText = (index: number, value: string) => onChange(texts.map((t, i) => (i === index ? value : t)));
  const errorFor = (index: number) => (index === 0 ? errors.template : errors[`variants.${index - 1}`]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {texts.length > 1 ? "Texts (A/B test)" : label}
        </Text>
        {texts.map((text, index) => (
          <BlockStack gap="100" key={index}>
            <TextField
              label={index === 0 ? (texts.length > 1 ? "Text A" : label) : `Text ${LETTERS[index]}`}
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
        <Text as="p" tone="subdued">
          {variants ? `Insert into text ${LETTERS[active]}:` : "Insert a token:"}
        </Text>
        <InlineStack gap="200" wrap>
          {tokens.map((token) => (
            <Button key={token} size="slim" onClick={() => setText(active, `${texts[active]}{{${token}}}`)}>
              {`{{${token}}}`}
            </Button>
          ))}
        </InlineStack>
        {variants && texts.length < 4 ? (
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
