/**
 * The "Turn on the app embed" step of the home page's setup checklist, from App Bridge's
 * `shopify.app.extensions()`: theme app extensions list their blocks and embeds as
 * activations `{handle, name, target, status: "active" | "available" | "unavailable"}`,
 * for the published theme (shopify.dev/docs/api/app-home/apis/app). Built for Shopify 4.2.3
 * asks the home page to show this state rather than leave the merchant to guess.
 */
export const EMBED_BLOCK_HANDLE = "optin-popup"; // extensions/optin-popup/blocks/optin-popup.liquid

export interface ExtensionInfo {
  handle: string;
  type: string;
  activations?: Array<{ handle?: string; status?: string }>;
}

/** True when our popup embed is on in the published theme. */
export function appEmbedActive(extensions: ExtensionInfo[], blockHandle = EMBED_BLOCK_HANDLE): boolean {
  return extensions.some((e) => e.type === "theme_app_extension" && (e.activations ?? []).some((a) => a.handle === blockHandle && a.status === "active"));
}

/**
 * Opens the theme editor's App embeds with ours switched on, for the merchant to save:
 * /admin/themes/current/editor?context=apps&activateAppId={api_key}/{embed block filename}
 * (shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration#app-embed-blocks).
 */
export function themeEditorEmbedLink(shop: string, apiKey: string, blockHandle = EMBED_BLOCK_HANDLE): string {
  // The slash stays literal, as in Shopify's documented link.
  return `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(apiKey)}/${encodeURIComponent(blockHandle)}`;
}
