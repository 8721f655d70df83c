import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

/**
 * The server-rendered HTML of an admin page component with the data its loader returned, as
 * React renders it on the first request (no browser): enough to see how stored text comes out.
 */
export function renderPage(Page: ComponentType, path: string, loaderData: unknown): string {
  const router = createMemoryRouter([{ id: "page", path: "*", element: createElement(Page) }], {
    initialEntries: [path],
    hydrationData: { loaderData: { page: loaderData } },
  });
  return renderToString(createElement(AppProvider, { i18n: en }, createElement(RouterProvider, { router })));
}
