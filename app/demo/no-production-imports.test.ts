import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The demo is a guest (issue 22): its stand-ins (Shopify, storefront, phones) are passed in by
// scripts/demo.ts, never chosen inside production code. A production module importing app/demo
// is how a demo branch creeps back in.
const APP = fileURLToPath(new URL("..", import.meta.url));
const PRODUCTION = ["dispatch", "adapters", "services", "webhooks", "journey", "messaging", "offers", "billing", "pixel", "order-import", "campaigns", "consent-sync"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports, static or dynamic. */
function importedSpecifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g)].map((match) => match[1]!);
}

describe("the demo's boundary", () => {
  it("finds static, dynamic and side-effect imports", () => {
    expect(importedSpecifiers(`import { a } from "../demo/guard.server";\nconst b = await import("~/demo/x");\nimport "../demo/y";\nexport * from '../z';`)).toEqual([
      "../demo/guard.server",
      "~/demo/x",
      "../demo/y",
      "../z",
    ]);
  });

  it("keeps every production module free of imports from app/demo", () => {
    const offenders = PRODUCTION.flatMap((folder) => sourceFiles(join(APP, folder))).flatMap((file) =>
      importedSpecifiers(readFileSync(file, "utf8"))
        .filter((specifier) => /(^|\/)demo\//.test(specifier))
        .map((specifier) => `${relative(APP, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
