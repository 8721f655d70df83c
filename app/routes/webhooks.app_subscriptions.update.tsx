import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhookRequest } from "~/webhooks/handle-request.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhookRequest(request, ["APP_SUBSCRIPTIONS_UPDATE"]);
