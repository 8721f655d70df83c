/**
 * The dispatcher's sizes (docs/decisions/011-dispatch-batches.md): messages claimed per tick,
 * most messages per transaction (one shop, distinct shoppers), chunks in flight at once (each
 * holds a connection; NUDGE_DISPATCH_CONCURRENCY overrides it for the worker loop).
 */
export const DISPATCH_DEFAULTS = { batchSize: 200, chunkSize: 25, concurrency: 4 };
