import { describe, expect, it } from "vitest";
import { spendForecast } from "./forecast";

const periodEnd = new Date("2026-12-31T00:00:00Z"); // started 1 Dec
const day = 86_400_000;

describe("spendForecast", () => {
  it("projects the pace so far to the period's end", () => {
    const f = spendForecast({ spentCents: 1000, capCents: 5000, periodEnd, now: new Date(periodEnd.getTime() - 20 * day) });
    expect(f.periodStart).toEqual(new Date("2026-12-01T00:00:00Z"));
    expect(f.projectedCents).toBe(3000);
    expect(f.capReachedAt).toBeNull();
  });

  it("says when the cap is reached at this pace", () => {
    const now = new Date(periodEnd.getTime() - 20 * day);
    const f = spendForecast({ spentCents: 2000, capCents: 5000, periodEnd, now });
    expect(f.projectedCents).toBe(6000);
    expect(f.capReachedAt).toEqual(new Date(now.getTime() + 15 * day));
  });

  it("reports a cap already reached as reached now, and an idle shop as reaching nothing", () => {
    const now = new Date(periodEnd.getTime() - 5 * day);
    expect(spendForecast({ spentCents: 5000, capCents: 5000, periodEnd, now }).capReachedAt).toEqual(now);
    expect(spendForecast({ spentCents: 0, capCents: 5000, periodEnd, now })).toMatchObject({ projectedCents: 0, capReachedAt: null });
  });

  it("counts the period's first hour as an hour, so one early text doesn't project a fortune", () => {
    const f = spendForecast({ spentCents: 2, capCents: 5000, periodEnd, now: new Date("2026-12-01T00:00:01Z") });
    expect(f.projectedCents).toBeLessThan(2 * 24 * 30 + 5);
  });
});
