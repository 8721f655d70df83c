import { describe, expect, it } from "vitest";
import { deletionOrder } from "./deletion-order";

const t = (table: string, column = "shop") => ({ table, column });

describe("deletionOrder", () => {
  it("deletes rows that point at others before the rows they point at", () => {
    const order = deletionOrder(
      [t("shop", "domain"), t("shopper"), t("consent")],
      [
        { child: "consent", parent: "shopper" },
        { child: "shopper", parent: "shop" },
      ],
    );
    expect(order.map((x) => x.table)).toEqual(["consent", "shopper", "shop"]);
  });

  it("keeps every table exactly once, in name order when nothing constrains it", () => {
    expect(deletionOrder([t("b"), t("a"), t("c")], []).map((x) => x.table)).toEqual(["a", "b", "c"]);
  });

  it("ignores self-references and references to tables without the shop's rows", () => {
    const order = deletionOrder(
      [t("a"), t("b")],
      [
        { child: "a", parent: "a" },
        { child: "b", parent: "elsewhere" },
        { child: "elsewhere", parent: "a" },
      ],
    );
    expect(order.map((x) => x.table)).toEqual(["a", "b"]);
  });

  it("refuses a cycle rather than leave a dangling key", () => {
    expect(() =>
      deletionOrder(
        [t("a"), t("b")],
        [
          { child: "a", parent: "b" },
          { child: "b", parent: "a" },
        ],
      ),
    ).toThrow(/cycle/);
  });
});
