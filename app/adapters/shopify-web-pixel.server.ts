import { log } from "../lib/log.server";
import type {
  NudgeWebPixelCreateMutation,
  NudgeWebPixelCreateMutationVariables,
  NudgeWebPixelDeleteMutation,
  NudgeWebPixelQuery,
  NudgeWebPixelUpdateMutation,
  NudgeWebPixelUpdateMutationVariables,
} from "../types/admin.generated";
import { backgroundAdmin, type AdminApiClient } from "./shopify-admin.server";

// The web pixel extension (extensions/nudge-pixel) runs on a shop only once the app creates its
// web pixel there with settings matching the extension's [settings] definition
// (https://shopify.dev/docs/apps/build/marketing-analytics/build-web-pixels, step 5). Scopes:
// write_pixels and read_customer_events. The settings are a JSON string.
const CREATE = `#graphql
  mutation nudgeWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      webPixel { id settings }
      userErrors { field code message }
    }
  }`;

// One web pixel per app and shop: without an id, the query answers the app's own.
const READ = `#graphql
  query nudgeWebPixel {
    webPixel { id settings }
  }`;

const UPDATE = `#graphql
  mutation nudgeWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      webPixel { id settings }
      userErrors { field code message }
    }
  }`;

const DELETE = `#graphql
  mutation nudgeWebPixelDelete($id: ID!) {
    webPixelDelete(id: $id) {
      deletedWebPixelId
      userErrors { field code message }
    }
  }`;

export interface WebPixelSettings {
  collectorUrl: string;
  shop: string;
}

export type WebPixelResult = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Creates the shop's web pixel with these settings; when Shopify says it already exists (TAKEN:
 * a reinstall, or a retry after a lost answer), reads its id and updates its settings instead.
 */
export async function createWebPixel(shop: string, settings: WebPixelSettings): Promise<WebPixelResult> {
  return withAdmin(shop, async (admin) => {
    const variables: NudgeWebPixelCreateMutationVariables = { webPixel: { settings: JSON.stringify(settings) } };
    const body = (await (await admin.graphql(CREATE, { variables })).json()) as { data?: NudgeWebPixelCreateMutation; errors?: unknown };
    const created = body.data?.webPixelCreate;
    if (created?.webPixel) return { ok: true, id: created.webPixel.id };
    const errors = created?.userErrors ?? [];
    if (errors.some((e) => e.code === "TAKEN")) return updateExisting(admin, settings);
    return refused(shop, "webPixelCreate", errors, body.errors);
  });
}

/** Deletes the shop's web pixel: the pixel stops loading on the storefront. */
export async function deleteWebPixel(shop: string, id: string): Promise<WebPixelResult> {
  return withAdmin(shop, async (admin) => {
    const body = (await (await admin.graphql(DELETE, { variables: { id } })).json()) as { data?: NudgeWebPixelDeleteMutation; errors?: unknown };
    const result = body.data?.webPixelDelete;
    const errors = result?.userErrors ?? [];
    // Already gone (deleted in Shopify, or by a retry): the outcome wanted.
    if (result?.deletedWebPixelId || errors.some((e) => e.code === "NOT_FOUND")) return { ok: true, id };
    return refused(shop, "webPixelDelete", errors, body.errors);
  });
}

async function updateExisting(admin: AdminApiClient, settings: WebPixelSettings): Promise<WebPixelResult> {
  const read = (await (await admin.graphql(READ)).json()) as { data?: NudgeWebPixelQuery };
  const id = read.data?.webPixel?.id;
  if (!id) return { ok: false, reason: "Shopify said the pixel exists but did not return it" };
  const variables: NudgeWebPixelUpdateMutationVariables = { id, webPixel: { settings: JSON.stringify(settings) } };
  const body = (await (await admin.graphql(UPDATE, { variables })).json()) as { data?: NudgeWebPixelUpdateMutation; errors?: unknown };
  const updated = body.data?.webPixelUpdate;
  if (updated?.webPixel) return { ok: true, id: updated.webPixel.id };
  return refused(settings.shop, "webPixelUpdate", updated?.userErrors ?? [], body.errors);
}

async function withAdmin(shop: string, run: (admin: AdminApiClient) => Promise<WebPixelResult>): Promise<WebPixelResult> {
  const admin = await backgroundAdmin(shop);
  if (!admin.ok) return { ok: false, reason: admin.message };
  try {
    return await run(admin.admin);
  } catch (error) {
    log.warn("Shopify's web pixel call failed", { shop, error });
    return { ok: false, reason: "Shopify could not be reached" };
  }
}

function refused(shop: string, operation: string, userErrors: readonly { code?: string | null; message: string }[], errors: unknown): WebPixelResult {
  const reason = userErrors[0]?.message ?? (errors ? "Shopify refused the request (check the app's write_pixels scope)" : "unexpected answer from Shopify");
  log.warn("Shopify refused a web pixel call", { shop, operation, codes: userErrors.map((e) => e.code), errors });
  return { ok: false, reason };
}
