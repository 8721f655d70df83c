import { describe, expect, it } from "vitest";
import { parseNpsReply } from "./nps";

describe("parseNpsReply", () => {
  it.each([
    ["9", 9],
    [" 10 ", 10],
    ["0", 0],
    ["9!", 9],
    ["10!!!", 10],
    ["I'd say 8", 8],
    ["I’d say 8.", 8],
    ["8/10", 8],
    ["8 / 10", 8],
    ["10 out of 10", 10],
    ["7 of 10", 7],
    ["a solid 7", 7],
    ["Ten", 10],
    ["nine!", 9],
    ["5 😊", 5],
  ])("reads %j as %i", (body, score) => {
    expect(parseNpsReply(body)).toBe(score);
  });

  it.each([
    ["", "an empty reply"],
    ["STOP", "a keyword"],
    ["11", "a number above the scale"],
    ["order 1234", "an order number"],
    ["7 or 8", "two numbers"],
    ["6-7", "a range"],
    ["8.5", "a fraction"],
    ["7,5", "a decimal comma"],
    ["-3", "a negative number"],
    ["one or two", "two number words"],
    ["When will my order #2 ship? It has been 5 days already", "a long message"],
    ["Loved it, thanks", "no number"],
  ])("refuses %j (%s)", (body) => {
    expect(parseNpsReply(body)).toBeNull();
  });
});
