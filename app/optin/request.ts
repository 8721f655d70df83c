import { z } from "zod";
import { containsNul } from "../lib/nul";
import { readBodyCapped } from "../lib/read-body.server";

/** What the storefront popup posts through the app proxy. */
export const OptInRequestSchema = z.object({
  phone: z.string().trim().min(4, "Enter your mobile number").max(40, "That number is too long"),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "Choose a country")
    .optional(),
  firstName: z.string().trim().max(100).optional(),
  // The exact words the shopper saw next to the button: stored as consent evidence. They must
  // at least carry the opt-out instruction (CTIA: disclose how to stop).
  disclosureText: z
    .string()
    .trim()
    .min(40, "The consent text is missing")
    .max(1000)
    .refine((text) => /\bSTOP\b/.test(text), "The consent text must say how to opt out (STOP)"),
  disclosureVersion: z.string().trim().min(1).max(40),
  pageUrl: z.url().max(2048).optional(),
  // The web pixel's client id for this browser (its _nudge_cid cookie), when the pixel runs.
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,100}$/)
    .optional(),
  consent: z.literal(true, "Tick the box to agree to receive texts"),
});
export type OptInRequest = z.infer<typeof OptInRequestSchema>;

const MAX_OPTIN_BYTES = 16 * 1024;

/** Reads a JSON or form body; form checkboxes arrive as "on"/"true". */
export async function readOptInBody(request: Request): Promise<unknown> {
  const body = await parseBody(request);
  // PostgreSQL can't store U+0000: a body holding one is unreadable here, not a server error.
  return containsNul(body) ? null : body;
}

async function parseBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  // Capped while it streams in (and up front when Content-Length says so), not after reading it all.
  const text = await readBodyCapped(request, MAX_OPTIN_BYTES).catch((rejection: unknown) => {
    throw rejection instanceof Response ? Response.json({ ok: false, error: "Request too large" }, { status: 413 }) : rejection;
  });
  if (type.includes("application/json")) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
  const form = Object.fromEntries(new URLSearchParams(text));
  return { ...form, consent: form.consent === "on" || form.consent === "true" ? true : form.consent };
}
