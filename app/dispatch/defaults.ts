/**
 * The dispatcher's sizes (docs/decisions/011-dispatch-batches.md): messages claimed per tick,
 * most messages per transaction (one shop, distinct shoppers), chunks in flight at once (each
 * holds a connection; NUDGE_DISPATCH_CONCURRENCY overrides it for the worker loop), and discount
 * codes asked of Shopify at once per tick (mint-discounts.server.ts: a whole batch in one round trip).
 */
export const DISPATCH_DEFAULTS = { batchSize: 200, chunkSize: 25, concurrency: 4, mintConcurrency: 200 };

/**
 * How many times a text is tried before it is given up as failed. A provider error that may
 * pass (send-message.server.ts) and a send the provider never saw before a crash
 * (recover.server.ts) both count towards it.
 */
export const MAX_ATTEMPTS = 5;
