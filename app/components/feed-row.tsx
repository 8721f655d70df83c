import { Box, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/**
 * One dated entry of a list (the inbox, a shopper's timeline): its heading (children), when it
 * happened in the shop's time (`when`), and an optional detail line under it.
 */
export function FeedRow({ children, at, when, detail }: { children: ReactNode; at: string | number | Date; when: Intl.DateTimeFormat; detail?: string | null }) {
  return (
    <Box paddingBlockEnd="200" borderBlockEndWidth="025" borderColor="border">
      <InlineStack gap="200" blockAlign="center">
        {children}
        <Text as="span" tone="subdued">
          {when.format(new Date(at))}
        </Text>
      </InlineStack>
      {detail ? (
        <Text as="p" tone="subdued" breakWord>
          {detail}
        </Text>
      ) : null}
    </Box>
  );
}
