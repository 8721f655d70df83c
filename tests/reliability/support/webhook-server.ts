// The crash test's webhook server: the app's real webhook route actions behind a bare
// node:http server (the same Request a Remix server would hand them), so it starts in
// seconds without a production build. Prints "listening <port>".
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
  const server = createServer(async (req, res) => {
    try {
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
