import { Agent, request } from "node:http";

/**
 * A steady load: request i is due at start + i / rate, so the requests of each second are
 * spread across it, as independent deliveries arrive. This is what "p99 at 200 webhooks/s"
 * means. autocannon's `overallRate` is not that: each connection sends its share of the second
 * back to back at the top of each second, then waits for the next (its httpClient.js resets
 * `reqsMadeThisSecond` on a 1 s interval). So "200/s" there reaches the server as a burst of
 * 200 at full speed, and its p99 is the queue of that burst.
 *
 * Open loop: a request is sent when it is due, whatever the earlier ones are doing. If all
 * `connections` are busy it waits for one, and its latency counts from when it was due, so a
 * slow server is charged the wait (no coordinated omission).
 */
export interface PacedResult {
  /** Each response: when it ended (ms from the start) and how long since it was due. */
  timed: { at: number; ms: number }[];
  statusCodes: Record<string, number>;
  errors: number;
  seconds: number;
}

export async function pacedLoad(options: {
  url: string;
  path: string;
  seconds: number;
  rate: number;
  connections: number;
  next: (n: number) => { body: string; headers: Record<string, string> };
}): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.path, options.url);
  const total = Math.round(options.seconds * options.rate);
  const timed: PacedResult["timed"] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const dueAt = (n: number) => started + (n * 1000) / options.rate;

  const send = (n: number) =>
    new Promise<void>((resolve) => {
      const due = dueAt(n);
      const { body, headers } = options.next(n);
      const req = request(target, { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
        res.resume();
        res.on("end", () => {
          const now = performance.now();
          const code = String(res.statusCode);
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          timed.push({ at: now - started, ms: now - due });
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  const inFlight: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const wait = dueAt(sent) - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Whatever fell due while the timer slept goes now (timers are late by a millisecond or so).
    while (sent < total && dueAt(sent) <= performance.now()) inFlight.push(send(sent++));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { timed, statusCodes, errors, seconds: (performance.now() - started) / 1000 };
}
