import type { ActionFunctionArgs } from "@remix-run/node";
import { handleInboundSmsRequest } from "~/twilio/handle-inbound.server";

export const action = ({ request }: ActionFunctionArgs) => handleInboundSmsRequest(request);
