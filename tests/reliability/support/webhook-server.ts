// The crash test's webhook server: the app's real webhook route actions behind a bare
// node:http server (the same Request a Remix server would hand them), so it starts in
// seconds without a production build, and the webhook inbox's drain loop in the same process,
// as `npm start` runs it, with a 2 s lease so webhooks a kill interrupted are taken again soon.
// Prints "listening <port>".
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readRequestBody } from "../../../app/lib/node-http";

async function main() {
  type Action = (typeof import("../../../app/routes/webhooks.checkouts.create"))["action"];
  const routes: Record<string, Action> = {
    "/webhooks/checkouts/create": (await import("../../../app/routes/webhooks.checkouts.create")).action,
    "/webhooks/checkouts/update": (await import("../../../app/routes/webhooks.checkouts.update")).action,
    "/webhooks/orders/create": (await import("../../../app/routes/webhooks.orders.create")).action,
  };
  const { database } = await import("../../../app/db.server");
  await database();
  const { startInboxDrain } = await import("../../../app/webhooks/inbox-loop.server");
  const { INBOX_TIMING } = await import("../../../app/webhooks/inbox-retry");
  startInboxDrain({ workerId: `crash-server:${process.pid}`, timing: { ...INBOX_TIMING, leaseMs: 2_000 } });
  const server = createServer(async (req, res) => {
    try {
      if (req.url === "/inbox") {
        const [counts] = await (
          await database()
        ).sql.query(
          `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'parked')::int AS parked,
                  count(*) FILTER (WHERE attempts > 1)::int AS reclaimed FROM webhook_inbox`,
        );
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts));
      }
      const action = routes[req.url ?? ""];
      if (!action) return void res.writeHead(404).end();
      const body = await readRequestBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const response = await action({ request: new Request(`https://nudge.test${req.url}`, { method: req.method, headers, body }), params: {}, context: {} });
      res.writeHead(response.status).end(await response.text());
    } catch (error) {
      console.error(error);
      res.writeHead(500).end();
    }
  });
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
