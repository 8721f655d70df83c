import { mintSessionToken } from "~/demo/session-token.server";
import { TEST_SHOP } from "./shopify";

/**
 * A request to an embedded admin route as App Bridge sends it: a session token for the shop,
 * signed with the app's secret, in the Authorization header. Form fields become the body.
 */
export async function adminRequest(path: string, options: { shop?: string; form?: Record<string, string>; token?: string } = {}): Promise<Request> {
  const shop = options.shop ?? TEST_SHOP;
  const token = options.token ?? (await mintSessionToken({ shop, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }));
  const url = new URL(path, process.env.SHOPIFY_APP_URL);
  url.searchParams.set("shop", shop);
  url.searchParams.set("embedded", "1");
  return new Request(url, {
    method: options.form ? "POST" : "GET",
    headers: { authorization: `Bearer ${token}`, "user-agent": "Mozilla/5.0 Chrome/130.0" },
    body: options.form ? new URLSearchParams(options.form) : undefined,
  });
}

/** What a route action answered: its status (200 unless it used data(…, {status})) and its data. */
export function actionOutcome<T>(result: unknown): { status: number; body: T } {
  const r = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (r && r.type === "DataWithResponseInit") return { status: r.init?.status ?? 200, body: r.data as T };
  return { status: 200, body: result as T };
}
