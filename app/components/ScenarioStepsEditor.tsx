import { BlockStack, Button, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { ScenarioStep } from "~/simulator/scenarios";

const ACTIONS: { label: string; value: ScenarioStep["action"] }[] = [
  { label: "Signs up in the popup", value: "subscribe" },
  { label: "Leaves a checkout", value: "abandon_checkout" },
  { label: "Clicks the link in a text", value: "click_text" },
  { label: "Buys", value: "buy" },
  { label: "Replies STOP", value: "reply_stop" },
];
const AFTER = [
  { label: "after the step before", value: "" },
  { label: "after text 1 arrives", value: "1" },
  { label: "after text 2 arrives", value: "2" },
  { label: "after text 3 arrives", value: "3" },
];

interface Props {
  steps: ScenarioStep[];
  errors: Record<string, string>;
  onChange: (steps: ScenarioStep[]) => void;
}

/** The shopper's story, one step per row: what they do, and how long after what. */
export function ScenarioStepsEditor({ steps, errors, onChange }: Props) {
  const set = (index: number, change: Partial<ScenarioStep>) => onChange(steps.map((s, i) => (i === index ? { ...s, ...change } : s)));
  return (
    <BlockStack gap="300">
      {steps.map((step, index) => (
        <InlineGrid key={index} columns={["twoThirds", "oneThird", "twoThirds", "oneThird"]} gap="200" alignItems="end">
          <Select
            label={`Step ${index + 1}`}
            options={step.action === "subscribe" ? [...ACTIONS, { label: "Ticks “text me” at checkout", value: "subscribe:checkout" }] : ACTIONS}
            value={step.action === "subscribe" && step.source === "checkout" ? "subscribe:checkout" : step.action}
            onChange={(value) => {
              const [action, source] = value.split(":") as [ScenarioStep["action"], "checkout" | undefined];
              set(index, { action, source: action === "subscribe" ? (source ?? "popup") : undefined, afterText: action === "click_text" ? (step.afterText ?? 1) : step.afterText });
            }}
          />
          <TextField
            label="Minutes"
            type="number"
            min={0}
            value={String(step.afterMinutes)}
            onChange={(v) => set(index, { afterMinutes: Math.max(0, Math.round(Number(v) || 0)) })}
            autoComplete="off"
            error={errors[`steps.${index}.afterMinutes`]}
          />
          <Select
            label="After"
            options={step.action === "click_text" ? AFTER.slice(1) : AFTER}
            value={step.afterText ? String(step.afterText) : ""}
            onChange={(v) => set(index, { afterText: v ? Number(v) : undefined })}
            error={errors[`steps.${index}.afterText`]}
          />
          <Button accessibilityLabel={`Remove step ${index + 1}`} onClick={() => onChange(steps.filter((_, i) => i !== index))} disabled={steps.length === 1}>
            Remove
          </Button>
        </InlineGrid>
      ))}
      <InlineStack gap="200" blockAlign="center">
        <Button onClick={() => onChange([...steps, { action: "buy", afterMinutes: 10 }])} disabled={steps.length >= 12}>
          Add a step
        </Button>
        {errors.steps ? (
          <Text as="p" tone="critical">
            {errors.steps}
          </Text>
        ) : null}
      </InlineStack>
    </BlockStack>
  );
}
