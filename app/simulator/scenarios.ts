import { z } from "zod";

const ScenarioStepSchema = z.object({
  action: z.enum(["subscribe", "abandon_checkout", "click_text", "buy", "reply_stop"]),
  /** Minutes after the previous step, or after text `afterText` was sent when given. */
  afterMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 365),
  afterText: z.number().int().min(1).max(10).optional(),
  source: z.enum(["popup", "checkout"]).optional(),
});
export type ScenarioStep = z.infer<typeof ScenarioStepSchema>;

export const ScenarioSchema = z
  .object({
    phone: z.string().trim().min(1, "Enter a phone number"),
    /** The shopper's local time when the first step happens, tomorrow. */
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use 24-hour time, like 22:40"),
    inControlGroup: z.boolean().default(false),
    steps: z.array(ScenarioStepSchema).min(1, "Add at least one step").max(12),
  })
  .superRefine((s, ctx) => {
    s.steps.forEach((step, index) => {
      if (step.action === "click_text" && step.afterText === undefined) {
        ctx.addIssue({ code: "custom", path: ["steps", index, "afterText"], message: "Pick the text that is clicked" });
      }
    });
  });
export type Scenario = z.infer<typeof ScenarioSchema>;

/** Ready-made stories a merchant can run and then change. */
export const PRESET_SCENARIOS: { id: string; name: string; scenario: Scenario }[] = [
  {
    id: "florida-late",
    name: "Abandons at 22:40 in Florida, clicks the text, buys",
    scenario: {
      phone: "+13055550142",
      startTime: "22:40",
      inControlGroup: false,
      steps: [
        { action: "subscribe", afterMinutes: 0, source: "checkout" },
        { action: "abandon_checkout", afterMinutes: 0 },
        { action: "click_text", afterMinutes: 12, afterText: 1 },
        { action: "buy", afterMinutes: 5 },
      ],
    },
  },
  {
    id: "london-second-text",
    name: "Abandons at 14:00 in London, clicks the second text, buys",
    scenario: {
      phone: "+447911123456",
      startTime: "14:00",
      inControlGroup: false,
      steps: [
        { action: "subscribe", afterMinutes: 0, source: "checkout" },
        { action: "abandon_checkout", afterMinutes: 0 },
        { action: "click_text", afterMinutes: 30, afterText: 2 },
        { action: "buy", afterMinutes: 10 },
      ],
    },
  },
  {
    id: "buys-first",
    name: "Abandons in New York at noon and buys 10 minutes later",
    scenario: {
      phone: "+12125550123",
      startTime: "12:00",
      inControlGroup: false,
      steps: [
        { action: "subscribe", afterMinutes: 0, source: "checkout" },
        { action: "abandon_checkout", afterMinutes: 0 },
        { action: "buy", afterMinutes: 10 },
      ],
    },
  },
  {
    id: "popup-then-stop",
    name: "Signs up in California at 19:30, replies STOP to the welcome",
    scenario: {
      phone: "+14155550123",
      startTime: "19:30",
      inControlGroup: false,
      steps: [
        { action: "subscribe", afterMinutes: 0, source: "popup" },
        { action: "reply_stop", afterMinutes: 3, afterText: 1 },
        { action: "abandon_checkout", afterMinutes: 60 * 24 },
      ],
    },
  },
  {
    id: "signup-after-abandoning",
    name: "Leaves a checkout in Toronto, then signs up in the popup",
    scenario: {
      phone: "+14165550123",
      startTime: "11:00",
      inControlGroup: false,
      steps: [
        { action: "abandon_checkout", afterMinutes: 0 },
        { action: "subscribe", afterMinutes: 5, source: "popup" },
      ],
    },
  },
  {
    id: "repeat-buyer",
    name: "Signs up, buys three days later, then goes quiet (thank-you and win-back)",
    scenario: {
      phone: "+447700900123",
      startTime: "10:00",
      inControlGroup: false,
      steps: [
        { action: "subscribe", afterMinutes: 0, source: "popup" },
        { action: "buy", afterMinutes: 3 * 24 * 60 },
      ],
    },
  },
];
