import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migratedPgliteTemplate, templateKey } from "../../tests/support/pglite-template";
import { migrationsDir } from "../../tests/support/migrations-dir";
import { readMigrations } from "./migrate.server";
import { openDatabase } from "./open-database.server";

const first = { "0001_marker": "CREATE TABLE marker (v text); INSERT INTO marker VALUES ('from the template');" };
const second = { "0002_more": "INSERT INTO marker VALUES ('applied at open');" };

// PGlite only: DatabaseConfig.memoryTemplate is what the test setup gives each file's in-memory database.
describe("an in-memory PGlite opened with memoryTemplate", () => {
  it("starts from the template's data and still applies the migrations the template lacks", async () => {
    const templates = mkdtempSync(join(tmpdir(), "nudge-templates-"));
    const template = await migratedPgliteTemplate(await readMigrations(migrationsDir(first)), templates);
    // Opened with only the newer migration: its INSERT needs the table the template brought.
    const db = await openDatabase({ dataDir: "memory://", memoryTemplate: template, migrationsDir: migrationsDir(second) });
    try {
      expect((await db.sql.query<{ v: string }>("SELECT v FROM marker ORDER BY v")).map((r) => r.v)).toEqual(["applied at open", "from the template"]);
      expect((await db.sql.query<{ name: string }>("SELECT name FROM nudge_migrations ORDER BY name")).map((r) => r.name)).toEqual(["0001_marker", "0002_more"]);
    } finally {
      await db.close();
    }
  });

  it("makes a new template when a migration's text changes", async () => {
    const changed = { "0001_marker": `${first["0001_marker"]} -- edited` };
    expect(templateKey(await readMigrations(migrationsDir(changed)))).not.toBe(templateKey(await readMigrations(migrationsDir(first))));
  });
});
