/** The flows a merchant can edit, in the order the admin lists them. */
export const FLOW_LIST = [
  { id: "welcome", name: "Welcome", when: "When a shopper signs up", settingsKey: "welcome" },
  { id: "cart_recovery", name: "Abandoned checkout", when: "About 20 minutes after a checkout is left", settingsKey: "cartRecovery" },
  { id: "post_purchase", name: "Post-purchase thank-you", when: "A day after an order", settingsKey: "postPurchase" },
  { id: "win_back", name: "Win-back", when: "After a long time without an order", settingsKey: "winBack" },
] as const;

export type EditableFlow = (typeof FLOW_LIST)[number]["id"];
export const EDITABLE_FLOWS = FLOW_LIST.map((f) => f.id) as [EditableFlow, ...EditableFlow[]];
