import { encryptionKey } from "../adapters/sms.server";
import { env } from "../env.server";
import { readTwilioCredentials } from "../services/twilio-credentials.server";
import type { DispatchBilling } from "./dispatch-billing.server";
import { billingConfigFrom, type BillingConfig } from "./plan";

/** The operator's billing from the environment; null when NUDGE_BILLING=off. */
export function billingConfig(): BillingConfig | null {
  return billingConfigFrom(env());
}

/**
 * Whether a shop texts through its own Twilio account: the same rule the gateway resolver
 * applies (app/adapters/sms.server.ts), so a text is charged exactly when it left on the app's account.
 */
export function ownTwilioAccount(settings: unknown): boolean {
  return readTwilioCredentials(settings, encryptionKey()) !== null;
}

/** What the dispatcher needs of billing, or undefined when it is off. */
export function dispatchBillingFromEnv(): DispatchBilling | undefined {
  const config = billingConfig();
  return config ? { config, ownTwilioAccount } : undefined;
}
