/** The flows a merchant can edit, in the order the admin lists them (the shopper's journey). */
export const FLOW_LIST = [
  { id: "welcome", name: "Welcome", when: "When a shopper signs up", settingsKey: "welcome" },
  {
    id: "browse_abandonment",
    name: "Browse abandonment",
    when: "About 2 hours after a shopper views a product twice and adds nothing to the cart",
    settingsKey: "browseAbandonment",
  },
  { id: "cart_abandonment", name: "Abandoned cart", when: "About an hour after an add to cart with no checkout", settingsKey: "cartAbandonment" },
  { id: "cart_recovery", name: "Abandoned checkout", when: "About 20 minutes after a checkout is left", settingsKey: "cartRecovery" },
  { id: "post_purchase", name: "Post-purchase thank-you", when: "A day after an order", settingsKey: "postPurchase" },
  { id: "win_back", name: "Win-back", when: "After a long time without an order", settingsKey: "winBack" },
] as const;

export type EditableFlow = (typeof FLOW_LIST)[number]["id"];
export const EDITABLE_FLOWS = FLOW_LIST.map((f) => f.id) as [EditableFlow, ...EditableFlow[]];

/** Flows with a window after the abandonment, past which no text goes (and the cap stops waiting). */
export function hasWindow(flow: EditableFlow): boolean {
  return flow === "cart_recovery" || flow === "cart_abandonment" || flow === "browse_abandonment";
}
