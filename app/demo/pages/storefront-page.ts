import { escapeHtml } from "../storefront.server";

export interface StandInCheckout {
  lines: Array<{ title: string; quantity: number; price: string }>;
  total: string;
  currency: string;
}

/** The demo's stand-in for the shop's online store: a plain page, clearly marked as such. */
export function storefrontPage(options: { kind: "checkout" | "home"; discountCode: string | null; checkout: StandInCheckout | null; percent: number | null }): string {
  const { discountCode, checkout } = options;
  const discount = discountCode
    ? `<p class="applied" data-testid="discount">Discount <strong>${escapeHtml(discountCode)}</strong> applied${options.percent ? ` (${options.percent}% off)` : ""}</p>`
    : "";
  let body: string;
  if (options.kind === "checkout") {
    const rows = checkout?.lines.map((l) => `<tr><td>${escapeHtml(l.title)} × ${l.quantity}</td><td>${escapeHtml(l.price)}</td></tr>`).join("") ?? "";
    const total = checkout ? Number(checkout.total) : null;
    const after = total !== null && options.percent ? (total * (100 - options.percent)) / 100 : total;
    body = `<h1>Checkout</h1>${discount}
      ${checkout ? `<table>${rows}<tr class="total"><td>Total</td><td>${after !== null ? `${after.toFixed(2)} ${escapeHtml(checkout.currency)}` : ""}</td></tr></table>` : "<p>Your cart is waiting.</p>"}
      <button type="button" disabled>Pay now</button>`;
  } else {
    body = `<h1>Nudge Demo Store</h1>${discount}<p>Tents, packs and everything for the trail.</p>`;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.kind === "checkout" ? "Checkout" : "Store"} · Nudge Demo Store</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f6f6f7; color: #202223; }
  .banner { background: #202223; color: #fff; font-size: 13px; padding: 8px 16px; text-align: center; }
  main { max-width: 480px; margin: 40px auto; background: #fff; border-radius: 12px; padding: 24px 28px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  h1 { font-size: 24px; margin: 0 0 12px; }
  .applied { background: #e3f1df; color: #1a512e; border-radius: 8px; padding: 8px 12px; }
  table { width: 100%; border-collapse: collapse; margin: 16px 0; }
  td { padding: 6px 0; border-bottom: 1px solid #e1e3e5; } td:last-child { text-align: right; }
  tr.total td { font-weight: 600; border-bottom: 0; }
  button { width: 100%; padding: 12px; border: 0; border-radius: 8px; background: #008060; color: #fff; font-size: 16px; opacity: .6; }
</style></head>
<body><div class="banner">Offline demo: a local stand-in for the shop's online store. Nothing is charged.</div><main>${body}</main></body></html>`;
}
