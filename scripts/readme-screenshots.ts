// Takes the README's pictures from a real `npm run demo`: `npm run screenshots [-- --minutes 3]`.
// It starts the demo with its store simulator on a spare port and its own data folder, lets
// the simulated week run, then photographs the shoppers' phones and the dashboard with
// Debian's Chromium (/usr/bin/chromium) into docs/images/.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "3" },
    port: { type: "string", default: "3190" },
    out: { type: "string", default: "docs/images" },
    "skip-build": { type: "boolean", default: false },
  },
});

const dataDir = mkdtempSync(join(tmpdir(), "nudge-screens-"));
const demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--port", args.port, ...(args["skip-build"] ? ["--skip-build"] : [])], {
  env: { ...process.env, NUDGE_DATA_DIR: dataDir },
  detached: true,
  stdio: ["ignore", "pipe", "pipe"],
});

function stopDemo(): void {
  try {
    process.kill(-demo.pid!, "SIGTERM");
  } catch {
    // already gone
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function waitForAdminUrl(): Promise<string> {
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/(http:\/\/localhost:\d+)\/demo/);
      if (match) resolve(match[1]!);
    };
    demo.stdout!.on("data", onData);
    demo.stderr!.on("data", onData);
    demo.on("exit", (code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
  });
}

async function main(): Promise<void> {
  const baseUrl = await waitForAdminUrl();
  console.log(`demo at ${baseUrl}; letting the simulated week run for ${args.minutes} minutes`);
  await new Promise((resolve) => setTimeout(resolve, Number(args.minutes) * 60_000));

  mkdirSync(args.out, { recursive: true });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    // authenticate.admin answers bots with 410, and isbot counts "HeadlessChrome" as one.
    const userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
    const page = await browser.newPage({ userAgent, viewport: { width: 1280, height: 860 } });
    await page.route(/^https:\/\//, (route) => route.abort()); // Shopify's CDN is out of reach offline
    await page.emulateMedia({ reducedMotion: "reduce" }); // polaris-viz draws its charts without animating

    await page.goto(`${baseUrl}/demo/phones`);
    await page.locator('[data-testid="bubble"]').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(args.out, "phones.png") });

    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.goto(`${baseUrl}/demo`, { timeout: 120_000 });
    await page.getByRole("heading", { name: "Results" }).waitFor({ timeout: 120_000 });
    await page.getByTestId("chart-texts").waitFor({ timeout: 60_000 });
    await page.waitForTimeout(3_000); // the client-only charts measure, then draw
    await page.screenshot({ path: join(args.out, "dashboard.png") });
    console.log(`wrote ${args.out}/phones.png and ${args.out}/dashboard.png`);
  } finally {
    await browser.close();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(stopDemo);
