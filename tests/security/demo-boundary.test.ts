import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The demo is a guest, not the product (issue 22): its stand-ins (Shopify, Twilio's phones, the
// store) are passed in from scripts/demo.ts, never chosen inside a production module. So no
// module of app/ imports app/demo, except app/demo itself and the /demo routes, which answer 404
// unless the demo started the server (tests/integration/demo-routes.test.ts).

const APP = resolve("app");
const DEMO = join(APP, "demo");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file names: static imports, re-exports and dynamic import(). */
function specifiers(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g);
  return [...found].map((m) => m[1]!);
}

function importsDemo(file: string): string[] {
  return specifiers(readFileSync(file, "utf8")).filter((spec) => {
    const target = spec.startsWith("~/") ? join(APP, spec.slice(2)) : spec.startsWith(".") ? resolve(dirname(file), spec) : null;
    return target !== null && (target === DEMO || target.startsWith(DEMO + "/"));
  });
}

const isDemoItself = (file: string) => file.startsWith(DEMO + "/") || /^demo[.[]/.test(relative(join(APP, "routes"), file));

describe("the demo stays out of production modules", () => {
  it("reads static, dynamic and side-effect imports and re-exports", () => {
    expect(specifiers(`import { a } from "../demo/guard.server";\nconst b = await import("~/demo/x");\nimport "../demo/y";\nexport * from '../z';`)).toEqual([
      "../demo/guard.server",
      "~/demo/x",
      "../demo/y",
      "../z",
    ]);
  });

  it("finds the demo's own imports (the scan works)", () => {
    const routes = sourceFiles(join(APP, "routes")).filter(isDemoItself);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.flatMap(importsDemo).length).toBeGreaterThan(0);
  });

  it("no module of app/ outside app/demo and the /demo routes imports app/demo", () => {
    const offenders = sourceFiles(APP)
      .filter((file) => !isDemoItself(file))
      .flatMap((file) => importsDemo(file).map((spec) => `${relative(process.cwd(), file)} imports ${spec}`));
    expect(offenders).toEqual([]);
  });
});
