// A worker process for the consent sync crash test: the same startDispatcher loop `npm run
// worker` runs (the consent sync loop beside the dispatcher), with a lease of 1.5 s so that a
// restarted worker takes over its dead predecessor's claimed rows quickly. Prints "ready".
export {}; // a module, so `main` doesn't clash with crash-worker.ts's

async function main() {
  const { startDispatcher } = await import("../../../app/dispatch/worker.server");
  const { CONSENT_SYNC_TIMING } = await import("../../../app/consent-sync/retry");
  const { database, closeDatabase } = await import("../../../app/db.server");
  await database();
  const dispatcher = startDispatcher({ pollMs: 50, consentPollMs: 50, consentTiming: { ...CONSENT_SYNC_TIMING, leaseMs: 1_500 } });
  console.log("ready");
  process.once("SIGTERM", async () => {
    await dispatcher.stop();
    await closeDatabase();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
