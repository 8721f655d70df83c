import { composerHref, reachLines, reachUrl, type SegmentReach } from "./reach";

// The admin action's API (admin.customer-segment-details.action.render, Polaris web components):
// `shopify.data.selected` holds the segment the merchant is on, `shopify.close()` closes the modal.
// https://shopify.dev/docs/api/admin-extensions/latest/target-apis/contextual-apis/action-extension-api
interface ActionApi {
  data: { selected: { id: string }[] };
  close(): void;
}
declare const shopify: ActionApi;

function element(tag: string, attributes: Record<string, string> = {}, text?: string): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Renders the modal: the segment's reach as Nudge counts it (only customers with SMS consent
 * recorded by Nudge are ever texted), and a button opening the composer with the segment chosen.
 * The reach comes from the app's backend; fetch adds Shopify's ID token to a request to the app.
 */
export default async function extension(): Promise<void> {
  const segmentId = shopify.data.selected[0]?.id ?? "";
  const action = element("s-admin-action", { heading: "Send an SMS with Nudge", loading: "" });
  const body = element("s-stack", { direction: "block", gap: "base" });
  const status = element("s-paragraph", {}, "Counting who can get a text…");
  body.appendChild(status);
  action.appendChild(body);
  const open = element("s-button", { slot: "primary-action", variant: "primary", href: composerHref(segmentId) }, "Compose the text");
  action.appendChild(open);
  const cancel = element("s-button", { slot: "secondary-actions" }, "Cancel");
  cancel.addEventListener("click", () => shopify.close());
  action.appendChild(cancel);
  document.body.appendChild(action);

  try {
    const response = await fetch(reachUrl(segmentId));
    const answer = (await response.json()) as { reach?: SegmentReach; error?: string };
    if (!answer.reach) throw new Error(answer.error ?? `reach answered ${response.status}`);
    const [first, ...rest] = reachLines(answer.reach);
    status.textContent = first!;
    for (const line of rest) body.appendChild(element("s-paragraph", { tone: "subdued" }, line));
  } catch {
    status.textContent = "Nudge couldn't count this segment's reach now; the composer shows it.";
  } finally {
    action.removeAttribute("loading");
  }
}
