import { describe, expect, it } from "vitest";
import { preparedQuery } from "./sql-driver.server";

describe("preparedQuery", () => {
  it("gives one text one name, and another text another", () => {
    const first = preparedQuery("SELECT 1 WHERE $1::int > 0", [1]);
    expect(preparedQuery("SELECT 1 WHERE $1::int > 0", [2])).toEqual({ text: first.text, values: [2], name: first.name });
    expect(first.name).toMatch(/^nudge_\d+$/);
    expect(preparedQuery("SELECT 2", []).name).not.toBe(first.name);
  });

  it("stops naming new texts at its limit, so generated SQL can't grow it without bound", () => {
    const names = Array.from({ length: 600 }, (_, i) => preparedQuery(`SELECT ${i} AS generated`, []).name);
    expect(names.filter((name) => name === undefined).length).toBeGreaterThan(0);
    expect(new Set(names.filter(Boolean)).size).toBeLessThanOrEqual(500);
    expect(preparedQuery("SELECT 1 WHERE $1::int > 0", [3]).name).toMatch(/^nudge_\d+$/); // named before the limit
  });
});
