import { describe, expect, it } from "vitest";
import { appEmbedActive, themeEditorEmbedLink } from "./app-embed";

const embed = (status: string) => [
  { handle: "nudge-optin-popup", type: "theme_app_extension", activations: [{ handle: "optin-popup", name: "Nudge SMS sign-up", target: "body", status, activations: [] }] },
];

describe("the app embed checklist step", () => {
  it("is done only when the popup embed is active in the published theme", () => {
    expect(appEmbedActive(embed("active"))).toBe(true);
    expect(appEmbedActive(embed("available"))).toBe(false);
    expect(appEmbedActive(embed("unavailable"))).toBe(false);
    expect(appEmbedActive([])).toBe(false);
    expect(appEmbedActive([{ handle: "x", type: "ui_extension", activations: [{ handle: "optin-popup", status: "active" }] }])).toBe(false);
  });

  it("links to the theme editor with the embed switched on", () => {
    expect(themeEditorEmbedLink("snow.myshopify.com", "abc123")).toBe("https://snow.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=abc123/optin-popup");
  });
});
