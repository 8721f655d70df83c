import { describe, expect, it } from "vitest";
import { keywordConfirmation, keywordOf, SignupKeywordSchema } from "./signup-keyword";

describe("keywordOf", () => {
  it.each([
    ["join", "JOIN"],
    [" Join! ", "JOIN"],
    ["SNOW26.", "SNOW26"],
  ])("reads %j as the keyword %s", (body, word) => expect(keywordOf(body)).toBe(word));

  it.each(["I'd like to join", "join please", "", "🛑", "x"])("reads %j as no keyword", (body) => expect(keywordOf(body)).toBeNull());
});

describe("SignupKeywordSchema", () => {
  it("stores one word upper-case", () => expect(SignupKeywordSchema.parse(" snow ")).toBe("SNOW"));

  it.each(["STOP", "help", "Y", "yes", "START", "unsubscribe", "two words", "a", "x".repeat(21)])("refuses %j", (word) => {
    expect(SignupKeywordSchema.safeParse(word).success).toBe(false);
  });
});

describe("keywordConfirmation", () => {
  // CTIA Messaging Principles and Best Practices 5.2.1: brand, what is sent, frequency, rates, HELP, STOP.
  it("names the brand and what they will get, asks for Y, and carries rates, HELP and STOP", () => {
    const text = keywordConfirmation("Snow Devil");
    expect(text.startsWith("Snow Devil:")).toBe(true);
    for (const part of ["Reply Y", "recurring marketing texts", "Msg frequency varies", "Msg & data rates may apply", "HELP", "STOP"]) expect(text).toContain(part);
  });
});
