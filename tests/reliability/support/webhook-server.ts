// The crash test's webhook server: the app's real webhook route actions served as the
// production server serves them (scripts/lib/webhook-actions.ts) on a bare Express app, so it
// starts in seconds without a production build, and the webhook inbox's drain loop in the same
// process, as `npm start` runs it, with a 2 s lease so webhooks a kill interrupted are taken
// again soon. Prints "listening <port>".
import type { AddressInfo } from "node:net";
import express from "express";
import { serveWebhookActions, type WebhookAction } from "../../../scripts/lib/webhook-actions";

async function main() {
  const actions = new Map<string, WebhookAction>([
    ["/webhooks/checkouts/create", (await import("../../../app/routes/webhooks.checkouts.create")).action],
    ["/webhooks/checkouts/update", (await import("../../../app/routes/webhooks.checkouts.update")).action],
    ["/webhooks/orders/create", (await import("../../../app/routes/webhooks.orders.create")).action],
  ]);
  const { database } = await import("../../../app/db.server");
  await database();
  const { startInboxDrain } = await import("../../../app/webhooks/inbox-loop.server");
  const { INBOX_TIMING } = await import("../../../app/webhooks/inbox-retry");
  startInboxDrain({ workerId: `crash-server:${process.pid}`, timing: { ...INBOX_TIMING, leaseMs: 2_000 } });

  const app = express();
  app.get("/inbox", (_req, res, next) => {
    database()
      .then(({ sql }) =>
        sql.query(
          `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'parked')::int AS parked,
                  count(*) FILTER (WHERE attempts > 1)::int AS reclaimed FROM webhook_inbox`,
        ),
      )
      .then(([counts]) => void res.json(counts))
      .catch(next);
  });
  app.use(serveWebhookActions(actions, (error) => console.error(error)));
  app.use((_req, res) => void res.status(404).end());
  const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
