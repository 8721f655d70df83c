/**
 * Collects the pixel's events and posts them in batches: at most MAX_BATCH events, a body under
 * the collector's 64 KB cap, sent FLUSH_MS after the first event of a batch, or at once for a
 * checkout event (the page is about to change). Posts are text/plain (a CORS "simple" request,
 * no preflight) with keepalive, so a batch survives the page closing. A failed post is dropped:
 * the texts this feeds can do without one batch, and a retry loop would outlive the page.
 */
export const MAX_BATCH = 10;
export const MAX_BODY_CHARS = 48_000;
export const FLUSH_MS = 2_000;

export interface PixelEventLike {
  name: string;
  clientId?: string;
}

export interface BatcherOptions {
  url: string;
  shop: string;
  customer: unknown;
  post: (url: string, body: string) => void;
  schedule: (fn: () => void, ms: number) => unknown;
}

export function createBatcher(options: BatcherOptions) {
  let events: PixelEventLike[] = [];
  let chars = 0;
  let timer: unknown = null;
  let clientId = "";

  function flush() {
    timer = null;
    if (events.length === 0) return;
    const body = JSON.stringify({ shop: options.shop, clientId, customer: options.customer, events });
    events = [];
    chars = 0;
    options.post(options.url, body);
  }

  return {
    add(event: PixelEventLike) {
      if (event.clientId && event.clientId !== clientId) {
        flush(); // a batch is one client's
        clientId = event.clientId;
      }
      if (!clientId) return; // nothing to tie it to
      const size = JSON.stringify(event).length;
      if (size > MAX_BODY_CHARS) return;
      if (chars + size > MAX_BODY_CHARS) flush();
      events.push(event);
      chars += size;
      if (events.length >= MAX_BATCH || event.name.startsWith("checkout_")) flush();
      else if (timer === null) timer = options.schedule(flush, FLUSH_MS);
    },
    flush,
  };
}
