/**
 * Splits claimed messages into groups sent in one transaction each: one shop per group (one
 * sender, one rate, one settings read), at most `size(shop)` messages, and never two for the
 * same shopper, so a shopper's second text is decided after the first is recorded and its
 * frequency cap sees it. Keeps the claim's order (due first) within each shop. Pure.
 */
export function chunkMessages<M extends { shop: string; shopper_id: string }>(messages: readonly M[], size: (shop: string) => number): M[][] {
  const chunks: M[][] = [];
  const open = new Map<string, { chunk: M[]; shoppers: Set<string> }[]>();
  for (const message of messages) {
    const groups = open.get(message.shop) ?? [];
    open.set(message.shop, groups);
    let group = groups.find((g) => g.chunk.length < size(message.shop) && !g.shoppers.has(message.shopper_id));
    if (!group) {
      group = { chunk: [], shoppers: new Set() };
      groups.push(group);
      chunks.push(group.chunk);
    }
    group.chunk.push(message);
    group.shoppers.add(message.shopper_id);
  }
  return chunks;
}
