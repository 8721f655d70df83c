import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";

const EXTENSION = "extensions/optin-popup";

describe("the opt-in theme app extension", () => {
  it("passes Shopify's theme check for app extensions with no offenses", async () => {
    const result = await themeCheckRun(EXTENSION, undefined, () => undefined);
    expect(result.offenses.map((o) => `${o.check}: ${o.message} (${o.uri.split("/").slice(-2).join("/")}:${o.start.line})`)).toEqual([]);
  });

  it("stays light: a few KB of JavaScript and CSS, loaded with defer", () => {
    const js = readFileSync(`${EXTENSION}/assets/nudge-optin.js`);
    expect(gzipSync(js).length).toBeLessThan(4 * 1024);
    expect(statSync(`${EXTENSION}/assets/nudge-optin.css`).size).toBeLessThan(4 * 1024);
    expect(readFileSync(`${EXTENSION}/blocks/optin-popup.liquid`, "utf8")).toMatch(/<script src="[^"]+" defer><\/script>/);
  });
});
