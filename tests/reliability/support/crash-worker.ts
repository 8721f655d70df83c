// A dispatcher process for the crash tests: the same startDispatcher loop `npm run worker`
// runs, tuned so a restarted worker recovers its dead predecessor's rows at once (it is the
// only worker, so every row left in `sending` belongs to a dead process). Prints "ready".
async function main() {
  const { startDispatcher } = await import("../../../app/dispatch/worker.server");
  const { database, closeDatabase } = await import("../../../app/db.server");
  await database();
  const dispatcher = startDispatcher({ pollMs: 50, staleAfterMs: 0, recoverEveryMs: 100, batchSize: 20 });
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
