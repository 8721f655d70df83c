import { z } from "zod";
import { env } from "../../env.server";

// The app's side of the phone simulator's inbox API (see phone-simulator.server.ts), for
// /demo/phones. Null when the demo runs without its built-in phones.

const PhoneSchema = z.object({
  number: z.string(),
  name: z.string().nullable(),
  optedOut: z.boolean(),
  messages: z.array(z.object({ sid: z.string(), direction: z.enum(["in", "out"]), body: z.string(), at: z.string(), status: z.string() })),
});
export type InboxPhone = z.infer<typeof PhoneSchema>;

function phonesUrl(path: string): URL | null {
  const base = env().NUDGE_DEMO_PHONES_URL;
  return base ? new URL(path, base) : null;
}

export async function readInbox(): Promise<InboxPhone[] | null> {
  const url = phonesUrl("/_demo/phones");
  if (!url) return null;
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return z.object({ phones: z.array(PhoneSchema) }).parse(await res.json()).phones;
}

export const ReplySchema = z.object({
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, "from must be an E.164 number"),
  body: z.string().trim().min(1, "Type a reply").max(320),
});

/** The phone texts the store: the simulator delivers it to the app's /twilio/inbound, signed. */
export async function sendReply(reply: z.infer<typeof ReplySchema>): Promise<{ ok: boolean; status: number }> {
  const url = phonesUrl("/_demo/phones/reply");
  if (!url) return { ok: false, status: 404 };
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(reply), signal: AbortSignal.timeout(10_000) });
  return { ok: res.ok, status: res.status };
}
