import { randomBytes } from "node:crypto";
import type { MeasuredOutcome } from "../../app/demo/outcome.server";
import { DEMO_SHOPPER_WORDS } from "../../app/demo/scenario/shopper-words";
import { startPhoneSimulator, type PhoneSimulator } from "../../app/demo/phones/phone-simulator.server";
import { phoneGeo } from "../../app/adapters/phone-geo.server";
import { AREA_CODES, SHOPPER_ZONE } from "../../app/demo/scenario/catalog";
import { DEMO_CAMPAIGN, planCampaignAudience } from "../../app/demo/scenario/campaign";
import { DEMO_SHOP, mintSessionToken } from "../../app/demo/session-token.server";
import type { PlannedShopper } from "../../app/demo/scenario/plan";
import { compareOutcomes, expectedOutcome, type Outcome } from "../../app/demo/scenario/expected-outcome";
import { wallTime } from "../../app/demo/scenario/local-time";
import { planScenario, type Scenario } from "../../app/demo/scenario/plan";
import { followAppClock } from "../../app/demo/store/sim-clock";
import { runStoreSimulator, type StoreActivity } from "../../app/demo/store/store-simulator.server";

// The demo's simulators, wired around the running app. Used only by scripts/demo.ts.

export interface DemoSetup {
  phones: PhoneSimulator | null;
  /** Settings the simulated shop starts with (default flows otherwise). */
  shopSettings?: Record<string, unknown>;
  scenario: Scenario | null;
  description: string;
  /** The campaign's subscribers (seeded before the run, app/demo/scenario/campaign.ts); none without a simulation. */
  campaignAudience: PlannedShopper[];
}

const DEMO_TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${"d3".repeat(16)}`,
  TWILIO_AUTH_TOKEN: "nudge-demo-twilio-auth-token",
  TWILIO_MESSAGING_SERVICE_SID: `MG${"d3".repeat(16)}`,
};

/**
 * Before the app reads its environment: the built-in phones (unless TWILIO_API_BASE_URL
 * points at another Twilio stand-in), and for a simulation the fast clock, which starts at
 * 8am in the shoppers' zone on today's date.
 */
export async function configureDemo(options: { simulate: boolean; ci: boolean; seed: number; shoppers?: number; days?: number; timeScale?: number; say: (line: string) => void }): Promise<DemoSetup> {
  let phones: PhoneSimulator | null = null;
  if (!process.env.TWILIO_API_BASE_URL) {
    delete process.env.TWILIO_FROM_NUMBER;
    Object.assign(process.env, DEMO_TWILIO);
    phones = await startPhoneSimulator({
      accountSid: DEMO_TWILIO.TWILIO_ACCOUNT_SID,
      authToken: DEMO_TWILIO.TWILIO_AUTH_TOKEN,
      messagingServiceSid: DEMO_TWILIO.TWILIO_MESSAGING_SERVICE_SID,
      inboundUrl: new URL("/twilio/inbound", process.env.SHOPIFY_APP_URL).toString(),
    });
    process.env.TWILIO_API_BASE_URL = phones.url;
    process.env.NUDGE_DEMO_PHONES_URL = phones.url;
  }
  if (!options.simulate) return { phones, scenario: null, description: "", campaignAudience: [] };

  const scenario = planScenario({
    seed: options.seed,
    shoppers: options.shoppers ?? (options.ci ? 30 : 500),
    days: options.days ?? (options.ci ? 1 : 7),
    followUps: !options.ci,
  });
  // A simulated day a minute (the week and its follow-ups in about nine minutes); the short
  // CI day in about half a minute. Faster runs outpace this machine: the app, its database and
  // both simulators share one process, and texts would go out late in simulated time.
  const scale = options.timeScale ?? (process.env.NUDGE_TIME_SCALE ? Number(process.env.NUDGE_TIME_SCALE) : options.ci ? 1500 : 1440);
  process.env.NUDGE_TIME_SCALE = String(scale);
  process.env.NUDGE_CLOCK_START ||= wallTime(new Date(), 8, SHOPPER_ZONE).toISOString();
  const hours = Math.round(scenario.endsAt / 60);
  const description = `Simulating ${scenario.shoppers.length} shoppers over ${scenario.options.days} day(s) (seed ${options.seed}), ${hours} simulated hours at ${scale}x: about ${duration((hours * 3600) / scale)}.`;
  // The sender's rate limit counts real seconds while the clock runs thousands of times
  // faster: give the demo a high-throughput 10DLC sender (225/s is the top tier) so a burst of
  // texts doesn't queue for simulated hours. Everything else stays at the defaults.
  // Browse abandonment is off by default; the demo turns it on so both storefront flows show,
  // without control groups for them, so the run's expected outcome stays exact.
  const journey = { browseAbandonment: { enabled: true }, holdoutPercent: { browse_abandonment: 0, cart_abandonment: 0 } };
  return { phones, scenario, description, shopSettings: { sending: { ratePerSecond: 225 }, journey }, campaignAudience: planCampaignAudience() };
}

/**
 * The outcome once the run has settled: every text delivered, nothing due left unsent, and
 * two reads a second apart that agree (a busy machine may still be catching up at the end).
 */
async function settledOutcome(appUrl: string, phones: PhoneSimulator | null): Promise<MeasuredOutcome> {
  const read = async () => {
    const res = await fetch(new URL(`/demo/outcome?nonce=${randomBytes(4).toString("hex")}`, appUrl));
    if (!res.ok) throw new Error(`/demo/outcome answered ${res.status}`);
    return (await res.json()) as MeasuredOutcome;
  };
  const deadline = Date.now() + 60_000;
  let previous = "";
  for (;;) {
    await phones?.idle();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const outcome = await read();
    const current = JSON.stringify(outcome);
    if ((outcome.unsettled === 0 && current === previous) || Date.now() > deadline) return outcome;
    previous = current;
  }
}

export interface DemoSummary {
  scenario: { seed: number; shoppers: number; days: number; simulatedHours: number };
  activity: StoreActivity;
  measured: Omit<MeasuredOutcome, "controlGroup" | "unsettled" | "campaign">;
  /** The merchant's campaign sent as the run started, and its results (issue #19). */
  campaign: MeasuredOutcome["campaign"];
  expected: Outcome;
  matchesExpected: boolean;
  differences: string[];
  controlGroup: string[];
}

export async function startSimulation(setup: DemoSetup, options: { appUrl: string; apiSecret: string; verbose: boolean }) {
  const scenario = setup.scenario!;
  // The first time-zone lookup per area code reads Google's data files (100–300 ms, inside
  // the send's transaction). Harmless at real speed; at thousands of times it would hold
  // texts back for simulated hours. The app shares the package, so load the data now.
  await Promise.all(AREA_CODES.map((code) => phoneGeo(`+1${code}5550100`)));
  const clock = await followAppClock(options.appUrl);
  setup.phones?.setClock(() => new Date(clock.now()));
  const { API_VERSION } = await import("../../app/shopify.server");
  const run = runStoreSimulator({
    scenario,
    appUrl: options.appUrl,
    apiSecret: options.apiSecret,
    apiVersion: API_VERSION,
    startAt: Date.parse(process.env.NUDGE_CLOCK_START!),
    clock,
    phones: setup.phones,
    // The shoppers' stand-in words: opt-outs and questions in their own words fill the inbox.
    words: DEMO_SHOPPER_WORDS,
    campaignAudience: setup.campaignAudience,
    log: options.verbose
      ? (line) => console.log(`  [${new Date(clock.now()).toLocaleString("en-US", { timeZone: "America/New_York", weekday: "short", hour: "numeric", minute: "2-digit" })}] ${line}`)
      : undefined,
  });
  // The merchant sends the campaign from the composer as the run starts (Send now).
  await sendDemoCampaign(options.appUrl, options.apiSecret);
  void run.finished.then((activity) => {
    if (options.verbose)
      console.log(
        `\nThe simulated week is over: ${activity.checkouts} checkouts, ${activity.signups} sign-ups, ${activity.orders} orders, ${activity.npsAnswers} answers to the NPS question. The app keeps running.`,
      );
  });

  return {
    stop: run.stop,
    /** Waits for the scenario's end, lets the last callbacks land, and compares with the plan. */
    async summarize(): Promise<DemoSummary> {
      const activity = await run.finished;
      const { controlGroup, unsettled: _, campaign, ...measured } = await settledOutcome(options.appUrl, setup.phones);
      const control = new Set(controlGroup);
      const expected = expectedOutcome(scenario, (phone) => control.has(phone));
      const differences = [...compareOutcomes(expected, measured), ...activity.failures.map((f) => `simulator: ${f}`)];
      return {
        scenario: { seed: scenario.options.seed, shoppers: scenario.shoppers.length, days: scenario.options.days, simulatedHours: Math.round(scenario.endsAt / 60) },
        activity,
        measured,
        campaign,
        expected,
        matchesExpected: differences.length === 0,
        differences,
        controlGroup,
      };
    },
  };
}

/** "Send now" in the composer, as the admin posts it: a session token for the demo shop, the draft as JSON. */
async function sendDemoCampaign(appUrl: string, apiSecret: string) {
  const token = await mintSessionToken({ shop: DEMO_SHOP, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret });
  const url = new URL("/app/campaigns/new", appUrl);
  url.searchParams.set("shop", DEMO_SHOP);
  url.searchParams.set("embedded", "1");
  const res = await fetch(url, {
    method: "POST",
    redirect: "manual",
    // A browser's agent: the library turns away requests that look like bots (isbot).
    headers: { authorization: `Bearer ${token}`, "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36" },
    body: new URLSearchParams({ campaign: JSON.stringify(DEMO_CAMPAIGN), intent: "send" }),
  });
  if (res.status >= 400) throw new Error(`the demo campaign was refused (${res.status}): ${await res.text()}`);
}

function duration(seconds: number): string {
  return seconds < 120 ? `${Math.ceil(seconds)} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
