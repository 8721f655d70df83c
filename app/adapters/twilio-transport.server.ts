import http from "node:http";
import https from "node:https";
import twilio from "twilio";

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>["request"]>[0];
type TwilioResponse = { statusCode: number; body: string; headers: http.IncomingHttpHeaders };

/**
 * The HTTP layer under the `twilio` client: Node's own http(s) with a keep-alive agent, in
 * place of the library's default axios-based RequestClient. Twilio documents `httpClient` as
 * the way to swap it ("Custom HTTP clients", twilio-node README); everything above it (URLs,
 * parameter names, RestException, the MessageInstance) is still the library's.
 *
 * Why: in a profile of the dispatcher under load, axios's per-request config merging, header
 * normalisation and `qs` took more CPU than the rest of the send put together
 * (docs/decisions/011-dispatch-batches.md, 2026-11-25 amendment).
 */
export class KeepAliveTwilioTransport extends twilio.RequestClient {
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(options: { timeoutMs: number; maxSockets?: number }) {
    super({ timeout: options.timeoutMs, autoRetry: false });
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 128, timeout: options.timeoutMs };
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  }

  override async request<TData>(opts: RequestOptions): Promise<TData & TwilioResponse> {
    const url = new URL(opts.uri);
    if (opts.params) url.search = appendForm(new URLSearchParams(url.search), opts.params as object).toString();
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    if (opts.username && opts.password) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
    else if (opts.authStrategy) headers.Authorization = await opts.authStrategy.getAuthString();
    let payload: string | undefined;
    if (opts.data && headers["Content-Type"] === "application/x-www-form-urlencoded") payload = appendForm(new URLSearchParams(), opts.data as object).toString();
    else if (opts.data && headers["Content-Type"] === "application/json") payload = JSON.stringify(opts.data);
    if (payload !== undefined) headers["Content-Length"] = String(Buffer.byteLength(payload));
    const response = await this.send(url, opts.method.toUpperCase(), headers, payload, opts.timeout ?? this.defaultTimeout);
    return response as TData & TwilioResponse;
  }

  private send(url: URL, method: string, headers: Record<string, string>, payload: string | undefined, timeoutMs: number): Promise<TwilioResponse> {
    const secure = url.protocol === "https:";
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(url, { method, headers, agent: secure ? this.agents.https : this.agents.http }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: response.headers }));
        response.on("error", reject);
      });
      // No answer in time: we can't know whether Twilio took the text (classified as ambiguous).
      request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error(`Twilio did not answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })));
      request.on("error", reject);
      request.end(payload);
    });
  }
}

/** Form fields the way the library's default client writes them (qs, arrayFormat "repeat"). */
function appendForm(form: URLSearchParams, fields: object): URLSearchParams {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, item instanceof Date ? item.toISOString() : String(item));
  }
  return form;
}
