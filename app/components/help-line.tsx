import { Text } from "@shopify/polaris";

/** A card's optional line of help (under a figure or a chart's title): small and subdued, nothing when there is none. */
export function HelpLine({ children }: { children?: string }) {
  return children ? (
    <Text as="p" tone="subdued" variant="bodySm">
      {children}
    </Text>
  ) : null;
}
