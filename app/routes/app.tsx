import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { env } from "~/env.server";
import { openAdmin } from "~/services/admin-visit.server";
import { authenticate } from "~/shopify.server";
import { ReauthBanner } from "~/components/reauth-banner";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { reauthNeeded } = await openAdmin(session);
  // The offline demo serves its own App Bridge stand-in; real installs use Shopify's CDN.
  return { apiKey: env().SHOPIFY_API_KEY, appBridgeUrl: env().NUDGE_DEMO ? "/demo/app-bridge.js" : undefined, reauthNeeded };
};

export default function App() {
  const { apiKey, appBridgeUrl, reauthNeeded } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/flows">Flows</Link>
        <Link to="/app/campaigns">Campaigns</Link>
        <Link to="/app/shoppers">Shoppers</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {reauthNeeded && <ReauthBanner />}
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch its thrown responses so the headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
