import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy on a local port in front of `target` (PostgreSQL), to stand for a database
 * restart: cut() drops every open connection and refuses new ones, restore() lets them in.
 */
export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let port = 0;
  let server: Server;

  const listen = () =>
    new Promise<void>((ready) => {
      server = createServer((client) => {
        accepted++;
        const upstream = connect(target.port, target.host);
        for (const [a, b] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          open.add(a);
          a.on("close", () => (open.delete(a), b.destroy()));
          a.on("error", () => b.destroy());
          a.pipe(b);
        }
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server.address() as AddressInfo).port;
        ready();
      });
    });
  const stop = () =>
    new Promise<void>((done) => {
      for (const socket of open) socket.destroy();
      server.close(() => done());
    });

  await listen();
  return { port, accepted: () => accepted, cut: stop, restore: listen, close: stop };
}
