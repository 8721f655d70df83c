import { parse } from "smol-toml";
import { z } from "zod";

/** The part of shopify.app.toml the doctor reads: app-specific webhook subscriptions. */
const AppTomlSchema = z.object({
  webhooks: z.object({ subscriptions: z.array(z.object({ uri: z.string() })).default([]) }).optional(),
});

/**
 * The webhook paths shopify.app.toml declares under /webhooks/ ("orders/create" for
 * uri = "/webhooks/orders/create"), or why the file can't be read as an app configuration.
 * Subscriptions to other URIs (Pub/Sub, EventBridge) have no route here to check.
 */
export function declaredWebhookPaths(toml: string): { ok: true; paths: string[] } | { ok: false; message: string } {
  let config;
  try {
    config = AppTomlSchema.safeParse(parse(toml));
  } catch (error) {
    return { ok: false, message: `not valid TOML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
  if (!config.success) return { ok: false, message: `unexpected [webhooks] section: ${z.prettifyError(config.error)}` };
  const uris = config.data.webhooks?.subscriptions.map((s) => s.uri) ?? [];
  return { ok: true, paths: uris.filter((uri) => uri.startsWith("/webhooks/")).map((uri) => uri.slice("/webhooks/".length)) };
}

/** The API version of the app's webhooks ([webhooks] api_version). */
const ApiVersionSchema = z.object({ webhooks: z.object({ api_version: z.string() }) });

/** The [webhooks] api_version shopify.app.toml declares ("2026-04"), or null when it has none or isn't TOML. */
export function declaredApiVersion(toml: string): string | null {
  try {
    const config = ApiVersionSchema.safeParse(parse(toml));
    return config.success ? config.data.webhooks.api_version : null;
  } catch {
    return null;
  }
}
