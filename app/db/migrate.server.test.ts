import { afterAll, describe, expect, it } from "vitest";
import { database } from "../db.server";
import { migrationsDir } from "../../tests/support/migrations-dir";
import { readMigrations, runMigrations } from "./migrate.server";

afterAll(async () => {
  const { sql } = await database();
  await sql.exec("DROP TABLE IF EXISTS mig_a, mig_b, mig_bad");
});

describe("runMigrations", () => {
  it("has already applied the app's own migrations when the database opens", async () => {
    const { sql } = await database();
    const rows = await sql.query<{ name: string }>("SELECT name FROM nudge_migrations ORDER BY name");
    expect(rows.map((r) => r.name)).toEqual((await readMigrations("prisma/migrations")).map((m) => m.name));
  });

  it("applies pending migrations once, in folder order, and skips them on the next run", async () => {
    const { sql } = await database();
    const dir = migrationsDir({
      "9001_b": "INSERT INTO mig_a (v) VALUES ('second'); CREATE TABLE mig_b (id int);",
      "9000_a": "CREATE TABLE mig_a (v text); INSERT INTO mig_a (v) VALUES ('first');",
    });
    const migrations = await readMigrations(dir);
    expect(await runMigrations(sql, migrations)).toEqual(["9000_a", "9001_b"]);
    expect(await runMigrations(sql, migrations)).toEqual([]);
    expect((await sql.query<{ v: string }>("SELECT v FROM mig_a ORDER BY v")).map((r) => r.v)).toEqual(["first", "second"]);
  });

  it("rolls back a failing migration whole and does not record it", async () => {
    const { sql } = await database();
    const dir = migrationsDir({ "9002_bad": "CREATE TABLE mig_bad (id int); SELECT * FROM no_such_table;" });
    await expect(runMigrations(sql, await readMigrations(dir))).rejects.toThrow(/no_such_table/);
    expect(await sql.query("SELECT 1 FROM nudge_migrations WHERE name = '9002_bad'")).toEqual([]);
    expect(await sql.query("SELECT to_regclass('mig_bad') AS t")).toEqual([{ t: null }]);
  });

  it("lets concurrent runners apply each migration exactly once", async () => {
    const { sql } = await database();
    const dir = migrationsDir({ "9003_counter": "CREATE TABLE IF NOT EXISTS mig_count (n int); INSERT INTO mig_count VALUES (1);" });
    const migrations = await readMigrations(dir);
    const results = await Promise.all([runMigrations(sql, migrations), runMigrations(sql, migrations), runMigrations(sql, migrations)]);
    expect(results.flat()).toEqual(["9003_counter"]);
    expect(await sql.query("SELECT count(*)::int AS n FROM mig_count")).toEqual([{ n: 1 }]);
    await sql.exec("DROP TABLE mig_count");
  });
});
