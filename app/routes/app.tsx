import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError, type ShouldRevalidateFunction } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { database } from "~/db.server";
import { env } from "~/env.server";
import { countUnread } from "~/inbox/conversations.server";
import { openAdmin } from "~/services/admin-visit.server";
import { authenticate } from "~/shopify.server";
import { ReauthBanner } from "~/components/reauth-banner";
import { requireBillingPlan } from "~/billing/gate.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticate.admin(request);
  const { session } = context;
  // No admin until the shop has approved its plan (ADR 023): the library redirects to Shopify's approval page.
  await requireBillingPlan(context);
  const [{ reauthNeeded }, unread] = await Promise.all([openAdmin(session), database().then(({ sql }) => countUnread(sql, session.shop))]);
  // The offline demo serves its own App Bridge stand-in; real installs use Shopify's CDN.
  return { apiKey: env().SHOPIFY_API_KEY, appBridgeUrl: env().NUDGE_DEMO ? "/demo/app-bridge.js" : undefined, reauthNeeded, unread };
};

export default function App() {
  const { apiKey, appBridgeUrl, reauthNeeded, unread } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/flows">Flows</Link>
        <Link to="/app/campaigns">Campaigns</Link>
        <Link to="/app/inbox">{unread > 0 ? `Inbox (${unread})` : "Inbox"}</Link>
        <Link to="/app/shoppers">Shoppers</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {reauthNeeded && <ReauthBanner />}
      <Outlet />
    </AppProvider>
  );
}

// The unread count beside "Inbox" is read again whenever the merchant moves within the inbox.
export const shouldRevalidate: ShouldRevalidateFunction = ({ nextUrl, defaultShouldRevalidate }) => defaultShouldRevalidate || nextUrl.pathname.startsWith("/app/inbox");

// Shopify needs Remix to catch its thrown responses so the headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
