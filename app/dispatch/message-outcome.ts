import type { SmsSendResult } from "../adapters/twilio.server";
import type { ClaimedMessage } from "./claim.server";
import { MAX_ATTEMPTS } from "./defaults";

export type SendOutcome = "sent" | "skipped" | "deferred" | "failed" | "retry" | "unknown";

/** What one message's row becomes; written for the whole chunk in one statement. */
export interface RowUpdate {
  id: string;
  status: "scheduled" | "sent" | "skipped" | "failed" | "unknown";
  reason: string | null;
  due_at?: Date;
  error_code?: number | null;
  last_error?: string;
  /** 1 when the claim's attempt is given back (a deferral sent nothing). */
  attempts_back?: number;
  body?: string;
  segments?: number;
  encoding?: string;
  variant?: number | null;
  sent_at?: Date;
  provider_sid?: string;
  delivery_status?: string;
}

export interface Outcome {
  outcome: SendOutcome;
  update: RowUpdate;
}

/** A message that goes no further this time: skipped, deferred, failed, retried or left unknown. */
export function finishMessage(
  message: Pick<ClaimedMessage, "id">,
  outcome: Exclude<SendOutcome, "sent">,
  details: { reason?: string; dueAt?: Date; error?: { code: number | null; message: string } },
): Outcome {
  const status = outcome === "deferred" || outcome === "retry" ? "scheduled" : outcome;
  // A deferral (quiet hours, Shopify throttling a discount code, no Twilio account yet) sent
  // nothing: it gives back the attempt its claim counted, so it can't use up a later outage's retries.
  const attemptsBack = outcome === "deferred" ? 1 : 0;
  return {
    outcome,
    update: {
      id: message.id,
      status,
      reason: details.reason ?? null,
      due_at: details.dueAt,
      error_code: details.error?.code,
      last_error: details.error?.message.slice(0, 500),
      attempts_back: attemptsBack,
    },
  };
}

/**
 * What the provider's answer makes of the row: sent; retried with exponential backoff (30 s
 * doubling, capped at 30 minutes) until MAX_ATTEMPTS; unknown when Twilio may have taken it
 * (recovery asks before resending); failed otherwise.
 */
export function outcomeOfSend(message: Pick<ClaimedMessage, "id" | "attempts">, result: SmsSendResult, now: Date): Outcome {
  if (result.ok) {
    return { outcome: "sent", update: { id: message.id, status: "sent", reason: null, sent_at: now, provider_sid: result.sid, delivery_status: result.status } };
  }
  if (result.kind === "transient") {
    if (message.attempts >= MAX_ATTEMPTS) return finishMessage(message, "failed", { reason: "gave_up_after_retries", error: result });
    const backoffMs = Math.min(30_000 * 2 ** (message.attempts - 1), 30 * 60_000);
    return finishMessage(message, "retry", { dueAt: new Date(now.getTime() + backoffMs), error: result });
  }
  if (result.kind === "ambiguous") return finishMessage(message, "unknown", { reason: "provider_outcome_unknown", error: result });
  return finishMessage(message, "failed", { reason: result.kind, error: result });
}
