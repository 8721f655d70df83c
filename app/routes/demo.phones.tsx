import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo/guard.server";
import { phonesPage } from "~/demo/pages/phones-page";
import { ReplySchema, sendReply } from "~/demo/phones/inbox-client.server";

// /demo/phones: each simulated shopper's phone with the texts it got, live.
export const loader = async (_args: LoaderFunctionArgs) => {
  requireDemo();
  return new Response(phonesPage(), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
};

// A reply typed on a simulated phone (STOP, START, HELP or anything).
export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const form = await request.formData().catch(() => null);
  if (!form) return Response.json({ ok: false, error: "Send a form" }, { status: 400 });
  const parsed = ReplySchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return Response.json({ ok: false, error: parsed.error.issues[0]?.message }, { status: 422 });
  const sent = await sendReply(parsed.data);
  return Response.json({ ok: sent.ok }, { status: sent.ok ? 200 : 502 });
};
