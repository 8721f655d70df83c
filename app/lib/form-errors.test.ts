import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsFrom } from "./form-errors";

const errorOf = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be refused");
  return parsed.error;
};

describe("fieldErrorsFrom", () => {
  it("keys each message by the field it belongs to", () => {
    const schema = z.object({ name: z.string().min(1, "Enter a name"), age: z.number("Enter a number") });
    expect(fieldErrorsFrom(errorOf(schema, { name: "", age: "x" }))).toEqual({ name: "Enter a name", age: "Enter a number" });
  });

  it("keeps the first message of a field that breaks several rules", () => {
    const schema = z.object({ hours: z.number().int("Whole hours only").min(1, "At least 1 hour") });
    expect(fieldErrorsFrom(errorOf(schema, { hours: -0.5 }))).toEqual({ hours: "Whole hours only" });
  });

  it("puts a cross-field rule on the field its path names", () => {
    const schema = z.object({ start: z.number(), end: z.number() }).refine((w) => w.start < w.end, { message: "Start before the end", path: ["end"] });
    expect(fieldErrorsFrom(errorOf(schema, { start: 5, end: 2 }))).toEqual({ end: "Start before the end" });
  });

  it("joins a nested field's path with dots", () => {
    const schema = z.object({ steps: z.array(z.object({ delayMinutes: z.number().min(5, "At least 5 minutes") })) });
    expect(fieldErrorsFrom(errorOf(schema, { steps: [{ delayMinutes: 10 }, { delayMinutes: 1 }] }))).toEqual({ "steps.1.delayMinutes": "At least 5 minutes" });
  });

  it("files a problem with the whole form under form", () => {
    expect(fieldErrorsFrom(errorOf(z.object({ a: z.string() }), "not an object"))).toHaveProperty("form");
  });
});
