import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeepAliveTwilioTransport } from "./twilio-transport.server";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  socket: number;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
const sockets = new Map<object, number>();
let holdMs = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size + 1);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: sockets.get(req.socket)! });
      const answer = () => {
        if (req.url!.startsWith("/broken")) return res.writeHead(502, { "content-type": "text/html" }).end("<html>bad gateway</html>");
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ sid: "SM1", body: "héllo" }));
      };
      if (holdMs) setTimeout(answer, holdMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const form = { method: "post" as const, username: "AC1", password: "secret", headers: { "Content-Type": "application/x-www-form-urlencoded" } };

describe("KeepAliveTwilioTransport (the twilio client's HTTP layer)", () => {
  it("posts the form the way twilio's default client does: repeated keys for lists, basic auth, body read as text", async () => {
    const transport = new KeepAliveTwilioTransport({ timeoutMs: 2_000 });
    const response = await transport.request({
      ...form,
      uri: `${base}/2010-04-01/Accounts/AC1/Messages.json`,
      data: { To: "+16135550100", Body: "Hi & bye = 100%\n✓", MediaUrl: ["https://a.example/1.png", "https://a.example/2.png"], Skip: undefined },
    });
    expect(response).toMatchObject({ statusCode: 201, body: JSON.stringify({ sid: "SM1", body: "héllo" }) });
    const request = seen.at(-1)!;
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("AC1:secret").toString("base64")}`);
    const sent = new URLSearchParams(request.body);
    expect(sent.get("Body")).toBe("Hi & bye = 100%\n✓");
    expect(sent.getAll("MediaUrl")).toEqual(["https://a.example/1.png", "https://a.example/2.png"]);
    expect(sent.has("Skip")).toBe(false);
    expect(Number(request.headers["content-length"])).toBe(Buffer.byteLength(request.body));
  });

  it("adds query parameters to a URL that already has some (list filters, next pages)", async () => {
    const transport = new KeepAliveTwilioTransport({ timeoutMs: 2_000 });
    await transport.request({ method: "get", uri: `${base}/Messages.json?Page=1`, username: "AC1", password: "secret", params: { "DateSent>": "2026-11-25T10:00:00Z", PageSize: 50 } });
    const url = new URL(seen.at(-1)!.url, base);
    expect(url.searchParams.get("Page")).toBe("1");
    expect(url.searchParams.get("DateSent>")).toBe("2026-11-25T10:00:00Z");
    expect(url.searchParams.get("PageSize")).toBe("50");
  });

  it("keeps one connection open across requests instead of opening one per text", async () => {
    const transport = new KeepAliveTwilioTransport({ timeoutMs: 2_000 });
    const before = sockets.size;
    for (let i = 0; i < 3; i++) await transport.request({ ...form, uri: `${base}/2010-04-01/Accounts/AC1/Messages.json`, data: { To: `+1613555010${i}`, Body: "x" } });
    expect(sockets.size - before).toBe(1);
  });

  it("hands an error status back as a response, whatever its body, so the client raises its RestException", async () => {
    const transport = new KeepAliveTwilioTransport({ timeoutMs: 2_000 });
    expect(await transport.request({ ...form, uri: `${base}/broken`, data: { To: "+16135550100" } })).toMatchObject({ statusCode: 502, body: "<html>bad gateway</html>" });
  });

  it("gives up after the timeout with ETIMEDOUT (the gateway then treats the text as possibly sent)", async () => {
    const transport = new KeepAliveTwilioTransport({ timeoutMs: 100 });
    holdMs = 1_000;
    try {
      await expect(transport.request({ ...form, uri: `${base}/slow`, data: { To: "+16135550100" } })).rejects.toMatchObject({ code: "ETIMEDOUT" });
    } finally {
      holdMs = 0;
    }
  });
});
