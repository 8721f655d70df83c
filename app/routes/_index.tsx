import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Nudge: SMS cart recovery for Shopify" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app with ?shop=…; send it to the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
};

export default function Index() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Nudge</h1>
      <p>
        Abandoned-cart recovery and repeat purchases over SMS, with consent, quiet hours and honest attribution built in. Install Nudge from the Shopify App Store and open it from your Shopify admin.
      </p>
    </main>
  );
}
