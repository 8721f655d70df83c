import { EMBED_BLOCK_HANDLE } from "../setup/app-embed";

/**
 * What the demo's App Bridge stand-in answers to shopify.app.extensions(), in the shape the
 * real one uses (shopify.dev/docs/api/app-home/apis/app). The demo storefront always shows the
 * popup, so the embed is on; NUDGE_DEMO_EMBED=off shows the "turn it on" path instead.
 */
export function demoThemeExtensions(setting = process.env.NUDGE_DEMO_EMBED) {
  const status = setting === "off" ? "available" : "active";
  return [
    {
      handle: "nudge-optin-popup",
      type: "theme_app_extension",
      activations: [
        {
          handle: EMBED_BLOCK_HANDLE,
          name: "Nudge SMS sign-up",
          target: "body",
          status,
          activations: status === "active" ? [{ target: "body", themeId: 1 }] : [],
        },
      ],
    },
  ];
}
