// A worker process for the consent sync crash test: the same startDispatcher loop `npm run
// worker` runs (the consent sync loop beside the dispatcher), with a lease of 1.5 s so that a
// restarted worker takes over its dead predecessor's claimed rows quickly. Prints "ready".
import { runDispatcherProcess } from "../../support/dispatcher-process";

runDispatcherProcess(async () => {
  const { CONSENT_SYNC_TIMING } = await import("../../../app/consent-sync/retry");
  return { pollMs: 50, consentPollMs: 50, consentTiming: { ...CONSENT_SYNC_TIMING, leaseMs: 1_500 } };
});
