import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { DelayUnit, EditorState, StepInput } from "~/flows/editor-state";
import { hasWindow, type EditableFlow } from "~/flows/catalog";
import type { FieldErrors } from "~/flows/flow-draft";

const UNITS: { label: string; value: DelayUnit }[] = [
  { label: "minutes", value: "minutes" },
  { label: "hours", value: "hours" },
  { label: "days", value: "days" },
];

interface Props {
  flow: EditableFlow;
  state: EditorState;
  errors: FieldErrors;
  onChange: (state: EditorState) => void;
}

const DELAY_LABELS: Record<EditableFlow, string> = {
  welcome: "Send after sign-up",
  browse_abandonment: "Send after the second view of a product",
  cart_abandonment: "Send after the last add to cart",
  cart_recovery: "Send after the checkout is left",
  post_purchase: "Send after the order",
  win_back: "Send after the last order",
};

/** When each text of a flow goes out, what it offers, and (abandonment flows) the window. */
export function FlowStepsCard({ flow, state, errors, onChange }: Props) {
  const cart = flow === "cart_recovery";
  const windowed = hasWindow(flow);
  const setStep = (index: number, change: Partial<StepInput>) => onChange({ ...state, steps: state.steps.map((s, i) => (i === index ? { ...s, ...change } : s)) });
  const delayLabel = DELAY_LABELS[flow];

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Timing and offer
        </Text>
        {cart ? (
          <Banner tone="info">
            US and Canadian numbers get only the first text, within 48 hours of the abandonment, and only if they subscribed before it (carrier rules). Other countries get every text below.
          </Banner>
        ) : windowed ? (
          <Banner tone="info">
            One text per abandonment. It is cancelled if the shopper moves on ({flow === "browse_abandonment" ? "adds to the cart, " : ""}starts a checkout or orders). US and Canadian numbers get it
            within 48 hours, and only if they subscribed before (carrier rules).
          </Banner>
        ) : null}
        {state.steps.map((step, index) => (
          <BlockStack gap="200" key={index}>
            {cart ? (
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">{`Text ${index + 1}`}</Text>
                {state.steps.length > 1 ? (
                  <Button variant="plain" tone="critical" onClick={() => onChange({ ...state, steps: state.steps.filter((_, i) => i !== index) })}>
                    {`Remove text ${index + 1}`}
                  </Button>
                ) : null}
              </InlineStack>
            ) : null}
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
              <TextField
                label={cart ? `Text ${index + 1}: ${delayLabel.toLowerCase()}` : delayLabel}
                type="number"
                min={0}
                value={step.amount}
                onChange={(amount) => setStep(index, { amount })}
                autoComplete="off"
                error={errors[`steps.${index}.delayMinutes`]}
              />
              <Select label={cart ? `Text ${index + 1}: unit` : "Unit"} options={UNITS} value={step.unit} onChange={(unit) => setStep(index, { unit: unit as DelayUnit })} />
              <TextField
                label={cart ? `Text ${index + 1}: discount` : "Discount"}
                type="number"
                suffix="%"
                min={0}
                max={100}
                placeholder="No discount"
                value={step.discount}
                onChange={(discount) => setStep(index, { discount })}
                autoComplete="off"
                error={errors[`steps.${index}.discountPercent`]}
              />
            </InlineGrid>
          </BlockStack>
        ))}
        {cart && state.steps.length < 3 ? (
          <InlineStack>
            <Button
              onClick={() => {
                const last = state.steps.at(-1)!;
                onChange({ ...state, steps: [...state.steps, { amount: "1", unit: last.unit === "minutes" ? "hours" : "days", discount: last.discount }] });
              }}
            >
              Add a text
            </Button>
          </InlineStack>
        ) : null}
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
          {windowed ? (
            <TextField
              label={cart || flow === "cart_abandonment" ? "No cart text later than" : "No browse text later than"}
              type="number"
              suffix="hours after the abandonment"
              value={state.windowHours}
              onChange={(windowHours) => onChange({ ...state, windowHours })}
              autoComplete="off"
              error={errors.windowHours}
              helpText="A text held back by the frequency cap waits until this closes, then is skipped."
            />
          ) : null}
          <TextField
            label="Discount codes expire after"
            type="number"
            suffix="hours"
            value={state.discountExpiryHours}
            onChange={(discountExpiryHours) => onChange({ ...state, discountExpiryHours })}
            autoComplete="off"
            error={errors.discountExpiryHours}
            helpText="Each shopper gets their own single-use code."
          />
        </InlineGrid>
        {errors.steps ? (
          <Text as="p" tone="critical">
            {errors.steps}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
