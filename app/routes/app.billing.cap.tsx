import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { raiseSpendingCap } from "~/billing/raise-cap.server";
import { authenticate } from "~/shopify.server";

// POST: raise the spending cap (ADR 023). Shopify's approval page follows, by redirect out of the iframe.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.admin(request);
  const refusal = await raiseSpendingCap(context, Object.fromEntries(await request.formData()));
  return data(refusal, { status: 400 });
};
