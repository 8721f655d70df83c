import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleOptInRequest, optInReply } from "~/optin/handle-request.server";

export const loader = (_args: LoaderFunctionArgs) => optInReply(405, { ok: false, error: "Use POST" });
export const action = ({ request }: ActionFunctionArgs) => handleOptInRequest(request);
