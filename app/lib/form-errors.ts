import type { z } from "zod";

/**
 * A form's problems by field, the way the admin's forms show them: one message under each
 * input (the first zod reports, the field's most basic check), keyed by the field's path
 * ("capPer24h", "steps.0.delayMinutes"), and "form" for a problem with the whole form.
 */
export function fieldErrorsFrom(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.map(String).join(".") || "form"] ??= issue.message;
  return errors;
}
