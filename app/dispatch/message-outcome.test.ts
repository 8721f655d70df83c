import { describe, expect, it } from "vitest";
import { finishMessage, outcomeOfSend } from "./message-outcome";

const NOW = new Date("2026-12-01T15:00:00Z");
const message = (attempts: number) => ({ id: "m1", attempts });

describe("finishMessage", () => {
  it("gives back the claim's attempt when a text is deferred, since nothing was sent", () => {
    const { outcome, update } = finishMessage(message(1), "deferred", { reason: "quiet_hours", dueAt: NOW });
    expect(outcome).toBe("deferred");
    expect(update).toMatchObject({ status: "scheduled", reason: "quiet_hours", due_at: NOW, attempts_back: 1 });
  });

  it("keeps the attempt of a retry, and stores the provider's error cut to 500 characters", () => {
    const { update } = finishMessage(message(1), "retry", { dueAt: NOW, error: { code: 20429, message: "x".repeat(600) } });
    expect(update).toMatchObject({ status: "scheduled", reason: null, error_code: 20429, attempts_back: 0 });
    expect(update.last_error).toHaveLength(500);
  });

  it("writes skipped, failed and unknown as their own status", () => {
    expect(finishMessage(message(1), "skipped", {}).update.status).toBe("skipped");
    expect(finishMessage(message(1), "failed", {}).update.status).toBe("failed");
    expect(finishMessage(message(1), "unknown", {}).update.status).toBe("unknown");
  });
});

describe("outcomeOfSend", () => {
  const transient = { ok: false as const, kind: "transient" as const, code: null, message: "socket hang up" };

  it("marks an accepted text sent with Twilio's sid and status", () => {
    const { outcome, update } = outcomeOfSend(message(1), { ok: true, sid: "SM1", status: "queued" }, NOW);
    expect(outcome).toBe("sent");
    expect(update).toEqual({ id: "m1", status: "sent", reason: null, sent_at: NOW, provider_sid: "SM1", delivery_status: "queued" });
  });

  it("retries a transient failure after 30 seconds, doubling each attempt up to 30 minutes", () => {
    expect(outcomeOfSend(message(1), transient, NOW).update.due_at).toEqual(new Date(NOW.getTime() + 30_000));
    expect(outcomeOfSend(message(3), transient, NOW).update.due_at).toEqual(new Date(NOW.getTime() + 120_000));
    expect(outcomeOfSend(message(1), transient, NOW).outcome).toBe("retry");
  });

  it("gives up after five attempts", () => {
    const { outcome, update } = outcomeOfSend(message(5), transient, NOW);
    expect(outcome).toBe("failed");
    expect(update.reason).toBe("gave_up_after_retries");
  });

  it("leaves an ambiguous answer unknown, for recovery to ask Twilio before resending", () => {
    const { outcome, update } = outcomeOfSend(message(1), { ...transient, kind: "ambiguous" }, NOW);
    expect(outcome).toBe("unknown");
    expect(update.reason).toBe("provider_outcome_unknown");
  });

  it("fails a permanent refusal with its kind as the reason", () => {
    const { outcome, update } = outcomeOfSend(message(1), { ok: false, kind: "opted_out", code: 21610, message: "unsubscribed" }, NOW);
    expect(outcome).toBe("failed");
    expect(update).toMatchObject({ reason: "opted_out", error_code: 21610 });
  });
});
