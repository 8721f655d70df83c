import { clientIp } from "../lib/client-ip";
import { log } from "../lib/log.server";
import { authenticate } from "../shopify.server";
import { OptInRequestSchema, readOptInBody } from "./request";
import { signUpFromStorefront } from "./sign-up.server";

/** The popup's answers are per shopper: never cached by Shopify's proxy or the browser. */
export const optInReply = (status: number, body: { ok: boolean; message?: string; error?: string }) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

/**
 * The HTTP edge of a storefront sign-up, which arrives at https://<shop>/apps/nudge/optin:
 * Shopify's app proxy forwards it here with a signed query (verified by
 * authenticate.public.appProxy; 400 when it isn't), then the body is read (413 past its cap)
 * and checked (422 with the first problem, which the popup shows).
 */
export async function handleOptInRequest(request: Request): Promise<Response> {
  if (request.method !== "POST") return optInReply(405, { ok: false, error: "Use POST" });
  try {
    await authenticate.public.appProxy(request);
  } catch (rejection) {
    if (!(rejection instanceof Response)) throw rejection;
    log.warn("app proxy request with a bad signature", { status: rejection.status });
    return optInReply(400, { ok: false, error: "This request could not be verified." });
  }
  const url = new URL(request.url);
  const parsed = OptInRequestSchema.safeParse(await readOptInBody(request));
  if (!parsed.success) return optInReply(422, { ok: false, error: parsed.error.issues[0]?.message ?? "Please check the form" });
  const answer = await signUpFromStorefront({
    shop: url.searchParams.get("shop")!,
    form: parsed.data,
    ip: clientIp(request.headers),
    userAgent: request.headers.get("user-agent"),
    customerId: url.searchParams.get("logged_in_customer_id"),
  });
  return optInReply(answer.status, answer.body);
}
