import { z } from "zod";
import type { SmsGateway } from "../adapters/twilio.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { consentStatus } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import { log, maskPhone } from "../lib/log.server";
import { brandFor } from "../messaging/brand";
import { applyComplianceFooter } from "../messaging/compliance";
import { runJourneyForShopper } from "../services/journey-runner.server";
import { lockShopper } from "../services/shoppers.server";
import { readShopSettings } from "../services/shops.server";

const InboxReplySchema = z.object({
  body: z.string().trim().min(1, "Write a reply first").max(640, "Keep a reply under 640 characters (4 texts)"),
});

export interface InboxReplyDeps {
  sql: SqlDriver;
  /** The dispatcher's resolver: the shop's own Twilio account, else the app's (adapters/sms.server). */
  gatewayFor: (shop: string, settings: unknown) => SmsGateway | null;
  now: Date;
}

export type InboxReplyResult = { ok: true; sid: string } | { ok: false; problem: "invalid" | "not_found" | "opted_out" | "no_sender" | "twilio"; message: string };

/**
 * The merchant answers a shopper who texted the shop, from the inbox, through the shop's sender.
 * A conversational reply to the shopper's own message is not marketing (no flow, no caps, no
 * quiet hours), but STOP binds it like every text: a number whose latest consent entry is an
 * opt-out gets nothing (47 CFR § 64.1200(a)(10); CTIA Messaging Principles 5.1.3). The shopper's
 * row stays locked through the send, so a STOP arriving meanwhile waits and can't be passed
 * (docs/decisions/004-sending-safety.md). The text names the brand (CTIA: every message
 * identifies its sender). Stored on the shopper's timeline as journey_event inbox_reply.
 */
export async function sendInboxReply(deps: InboxReplyDeps, shop: string, shopperId: string, input: Record<string, unknown>): Promise<InboxReplyResult> {
  const parsed = InboxReplySchema.safeParse(input);
  if (!parsed.success) return { ok: false, problem: "invalid", message: parsed.error.issues[0]?.message ?? "Invalid reply" };
  if (!z.string().uuid().safeParse(shopperId).success) return { ok: false, problem: "not_found", message: "No such conversation." };

  return deps.sql.transaction(async (tx): Promise<InboxReplyResult> => {
    const [conv] = await tx.query<{ name: string | null; settings: unknown }>(
      `SELECT sh.name, sh.settings FROM conversation c JOIN shop sh ON sh.domain = c.shop WHERE c.shop = $1 AND c.shopper_id = $2`,
      [shop, shopperId],
    );
    const shopper = conv ? await lockShopper(tx, shop, shopperId) : null;
    if (!conv || !shopper?.phone) return { ok: false, problem: "not_found", message: "No such conversation." };
    const log_ = readJourneyState(shopper.state, shopper.country).consentLog;
    if (log_.length > 0 && !consentStatus(log_).granted && log_.some((e) => e.kind === "out")) {
      return { ok: false, problem: "opted_out", message: "This shopper opted out: no text can go to them." };
    }
    const gateway = deps.gatewayFor(shop, conv.settings);
    if (!gateway) return { ok: false, problem: "no_sender", message: "No Twilio account is connected. Connect one in Settings first." };

    const sending = readShopSettings(shop, conv.settings).sending;
    const body = applyComplianceFooter(parsed.data.body, {
      brandName: brandFor({ domain: shop, name: conv.name }, sending),
      firstMessageToNumber: false,
      marketing: false,
      optOutInEveryMarketingText: false,
    });
    const result = await gateway.send({ to: shopper.phone, body });
    if (!result.ok) {
      log.warn("inbox reply not sent", { shop, to: maskPhone(shopper.phone), kind: result.kind, code: result.code });
      if (result.kind === "opted_out") {
        // Twilio 21610: the number replied STOP to this sender. Record it as their opt-out, as the dispatcher does.
        await runJourneyForShopper(tx, shop, shopper, [{ type: "opted_out", at: deps.now.getTime(), source: "carrier" }], deps.now);
        return { ok: false, problem: "opted_out", message: "This shopper opted out at the carrier: no text can go to them." };
      }
      return { ok: false, problem: "twilio", message: `Twilio didn't send the reply: ${result.message}` };
    }
    await tx.query(`INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data) VALUES ($1, $2, 'inbox_reply', $3, $4::jsonb)`, [
      shop,
      shopperId,
      deps.now,
      JSON.stringify({ body, messageSid: result.sid }),
    ]);
    await tx.query("UPDATE conversation SET read_at = $3, updated_at = now() WHERE shop = $1 AND shopper_id = $2", [shop, shopperId, deps.now]);
    return { ok: true, sid: result.sid };
  });
}
