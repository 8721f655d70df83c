import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { log, maskPhone } from "~/lib/log.server";
import { normalizePhone } from "~/lib/phone";
import { OptInRequestSchema, readOptInBody } from "~/optin/request";
import { slidingWindowLimiter } from "~/optin/rate-limit";
import { recordPopupOptIn } from "~/services/popup-optin.server";
import { authenticate } from "~/shopify.server";

// Storefront sign-ups arrive at https://<shop>/apps/nudge/optin; Shopify's app proxy
// forwards them here with a signed query (verified by authenticate.public.appProxy).
const perIp = slidingWindowLimiter(10, 10 * 60_000);
const perPhone = slidingWindowLimiter(3, 60 * 60_000);

const reply = (status: number, body: { ok: boolean; message?: string; error?: string }) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

export const loader = (_args: LoaderFunctionArgs) => reply(405, { ok: false, error: "Use POST" });

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return reply(405, { ok: false, error: "Use POST" });
  try {
    await authenticate.public.appProxy(request);
  } catch (rejection) {
    if (!(rejection instanceof Response)) throw rejection;
    log.warn("app proxy request with a bad signature", { status: rejection.status });
    return reply(400, { ok: false, error: "This request could not be verified." });
  }
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop")!;
  const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;

  const parsed = OptInRequestSchema.safeParse(await readOptInBody(request));
  if (!parsed.success) return reply(422, { ok: false, error: parsed.error.issues[0]?.message ?? "Please check the form" });
  const phone = normalizePhone(parsed.data.phone, parsed.data.country, { strict: true });
  if (!phone) return reply(422, { ok: false, error: "That doesn't look like a valid mobile number" });
  if (!perIp.allow(`${shop}|${ip}`) || !perPhone.allow(`${shop}|${phone.e164}`)) {
    log.warn("opt-in rate limited", { shop, phone: maskPhone(phone.e164) });
    return reply(429, { ok: false, error: "Too many attempts. Please try again later." });
  }

  const customerId = url.searchParams.get("logged_in_customer_id");
  const now = clock.now();
  const { sql } = await database();
  const result = await recordPopupOptIn(sql, {
    shop,
    phone,
    customerId: customerId && /^\d{1,20}$/.test(customerId) ? customerId : null,
    firstName: parsed.data.firstName ?? null,
    clientId: parsed.data.clientId ?? null,
    now,
    evidence: {
      ip,
      userAgent: request.headers.get("user-agent")?.slice(0, 500) ?? null,
      pageUrl: parsed.data.pageUrl ?? null,
      disclosureText: parsed.data.disclosureText,
      disclosureVersion: parsed.data.disclosureVersion,
    },
  });
  if (result.status === "shop_not_installed") return reply(404, { ok: false, error: "Sign-ups are not available in this store right now." });
  log.info("storefront opt-in", { shop, phone: maskPhone(phone.e164), status: result.status });
  if (result.status === "pending_confirmation") return reply(200, { ok: true, message: "Almost there! Reply Y to the text we just sent you to confirm." });
  return reply(200, { ok: true, message: "You're in! Watch for a welcome text." });
};
