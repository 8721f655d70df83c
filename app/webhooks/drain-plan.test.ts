import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planDrain } from "./drain-plan";

type Item = { id: number; lane: string | null };
const laneOf = (item: Item) => item.lane;
const item = (id: number, lane: string | null): Item => ({ id, lane });

describe("planDrain", () => {
  it("keeps a lane in one group, in arrival order, and deals new lanes to the smallest group", () => {
    const items = [item(1, "a"), item(2, "b"), item(3, "a"), item(4, "c"), item(5, "b"), item(6, "d")];
    expect(planDrain(items, laneOf, 2)).toEqual([
      {
        groups: [
          [item(1, "a"), item(3, "a"), item(6, "d")],
          [item(2, "b"), item(4, "c"), item(5, "b")],
        ],
      },
    ]);
  });

  it("runs a webhook without a lane alone, after everything before it and before everything after it", () => {
    const items = [item(1, "a"), item(2, null), item(3, "a"), item(4, null), item(5, null)];
    expect(planDrain(items, laneOf, 4)).toEqual([{ groups: [[item(1, "a")]] }, { alone: item(2, null) }, { groups: [[item(3, "a")]] }, { alone: item(4, null) }, { alone: item(5, null) }]);
  });

  it("plans nothing for an empty batch", () => {
    expect(planDrain([], laneOf, 4)).toEqual([]);
  });

  it("runs every webhook once, keeps each lane's order within one group, and never more groups than asked", () => {
    const items = fc.array(fc.option(fc.constantFrom("a", "b", "c", "d", "e", "f"), { nil: null }), { maxLength: 60 });
    fc.assert(
      fc.property(items, fc.integer({ min: 1, max: 5 }), (lanes, groups) => {
        const batch = lanes.map((lane, id) => item(id, lane));
        const steps = planDrain(batch, laneOf, groups);
        const flat = steps.flatMap((step) => ("alone" in step ? [step.alone] : step.groups.flat()));
        expect(flat.map((i) => i.id).sort((a, b) => a - b)).toEqual(batch.map((i) => i.id));
        for (const step of steps) {
          if ("alone" in step) continue;
          expect(step.groups.length).toBeLessThanOrEqual(groups);
          for (const group of step.groups) expect(group.map((i) => i.id)).toEqual([...group.map((i) => i.id)].sort((a, b) => a - b));
          const lanesOf = step.groups.map((group) => new Set(group.map((i) => i.lane)));
          for (const [i, a] of lanesOf.entries()) for (const b of lanesOf.slice(i + 1)) expect([...a].filter((lane) => b.has(lane))).toEqual([]);
        }
      }),
    );
  });
});
