import { encryptionKey, gatewayFromEnv, gatewayResolver } from "../adapters/sms.server";
import { checkTwilioAccount } from "../adapters/twilio-account.server";
import { twilioInboundWebhook } from "../adapters/twilio-inbound.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { env } from "../env.server";
import { fieldErrorsFrom } from "../lib/form-errors";
import { switchWebPixel } from "../pixel/activate.server";
import { signupKeywordTaken } from "../services/keyword-signup.server";
import { saveShopSettings, SettingsFormSchema } from "../services/shop-settings.server";
import { sendTestSms } from "../services/test-sms.server";
import { connectTwilioAccount, disconnectTwilioAccount, storedTwilioCredentials, type ConnectDeps } from "../services/twilio-connection.server";
import { checkReplies, pointRepliesAtNudge, restoreReplies } from "../services/twilio-inbound.server";
import { nudgeInboundUrl } from "../twilio/inbound-webhook";

type Form = Record<string, FormDataEntryValue>;

const STATUS = { invalid: 400, rate_limited: 429, upstream: 502, twilio: 502 } as const;

/** An answer for the route to send: the body the page's cards read (each names its intent), and its HTTP status. */
const answer = <Body>(status: number, body: Body) => ({ status, body });

/**
 * One post of the settings page, by its `intent`: save the form (the default), connect or
 * disconnect the shop's own Twilio account, check or point its replies, send a test text, or
 * switch the web pixel. A form that can't be read is a 400, never a 500.
 */
export async function runSettingsAction(shop: string, form: Form | null) {
  if (!form) return answer(400, { intent: "unknown" as const, ok: false as const, message: "The form could not be read. Reload the page and try again." });
  const { prisma, sql } = await database();
  switch (form.intent ?? "save") {
    case "save":
      return saveSettingsForm(sql, shop, form);
    case "connect": {
      const result = await connectTwilioAccount(connectDeps(sql, shop), shop, form);
      return answer(result.ok ? 200 : STATUS[result.problem], { intent: "connect" as const, ...result });
    }
    case "disconnect": {
      const replies = await disconnectTwilioAccount(sql, shop, (credentials) => restoreReplies(repliesDeps(sql), shop, credentials), encryptionKey());
      return answer(200, { intent: "disconnect" as const, ok: true as const, replies });
    }
    case "check_replies":
    case "point_replies":
      return runRepliesAction(sql, shop, form.intent as "check_replies" | "point_replies");
    case "test_sms": {
      const result = await sendTestSms({ sql, gatewayFor: gatewayResolver(gatewayFromEnv()), now: clock.now() }, shop, form);
      return answer(result.ok ? 200 : STATUS[result.problem], { intent: "test_sms" as const, ...result });
    }
    case "web_pixel": {
      const status = await switchWebPixel(prisma, shop, form.on === "true");
      return answer(status.error === null ? 200 : 502, { intent: "web_pixel" as const, ok: status.error === null, status });
    }
    default:
      return answer(400, { intent: "unknown" as const, ok: false as const, message: "That action isn't available." });
  }
}

/** The settings form: checked, the sign-up keyword free on a shared sender, then merged into shop.settings. */
async function saveSettingsForm(sql: SqlDriver, shop: string, form: Form) {
  const parsed = SettingsFormSchema.safeParse(form);
  if (!parsed.success) return answer(400, { intent: "save" as const, ok: false as const, errors: fieldErrorsFrom(parsed.error) });
  const keyword = parsed.data.signupKeyword;
  if (keyword && (await signupKeywordTaken(sql, shop, keyword))) {
    const message = `Another store texting from the same number already uses ${keyword}: choose another word.`;
    return answer(400, { intent: "save" as const, ok: false as const, errors: { signupKeyword: message } as Record<string, string> });
  }
  await saveShopSettings(sql, shop, parsed.data);
  return answer(200, { intent: "save" as const, ok: true as const, errors: {} as Record<string, string> });
}

/** Checks the shop's sender's reply URL at Twilio, or points it at Nudge; needs the shop's own account. */
async function runRepliesAction(sql: SqlDriver, shop: string, intent: "check_replies" | "point_replies") {
  const credentials = await storedTwilioCredentials(sql, shop, encryptionKey());
  if (!credentials) return answer(400, { intent, ok: false as const, message: "Connect your own Twilio account first." });
  const act = intent === "check_replies" ? checkReplies : pointRepliesAtNudge;
  const result = await act(repliesDeps(sql), shop, credentials);
  return answer(result.ok ? 200 : 502, { intent, ...result });
}

/** Where Twilio must send replies to a shop's own sender, and the client that sets it. */
function repliesDeps(sql: SqlDriver) {
  return { sql, api: twilioInboundWebhook({ baseUrl: env().TWILIO_API_BASE_URL }), url: nudgeInboundUrl(env().SHOPIFY_APP_URL), now: clock.now() };
}

/** Twilio checks the credentials before they are stored; the sender's replies follow the account. */
function connectDeps(sql: SqlDriver, shop: string): ConnectDeps {
  const replies = repliesDeps(sql);
  return {
    sql,
    key: encryptionKey(),
    check: (credentials) => checkTwilioAccount(credentials, { baseUrl: env().TWILIO_API_BASE_URL }),
    pointReplies: (credentials) => pointRepliesAtNudge(replies, shop, credentials),
    restoreReplies: (credentials) => restoreReplies(replies, shop, credentials),
  };
}
