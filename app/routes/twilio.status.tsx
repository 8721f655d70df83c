import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStatusCallbackRequest } from "~/twilio/handle-status.server";

export const action = ({ request }: ActionFunctionArgs) => handleStatusCallbackRequest(request);
