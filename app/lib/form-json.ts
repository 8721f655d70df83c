/**
 * The form's fields, or null when the body can't be read as a form (a broken multipart body,
 * say): the caller answers 400 instead of letting formData()'s TypeError become a 500.
 */
export async function readFormFields(request: Request): Promise<Record<string, FormDataEntryValue> | null> {
  const form = await request.formData().catch(() => null);
  return form ? Object.fromEntries(form) : null;
}

/** A form field that carries JSON (an editor's whole draft), parsed; null when absent or unreadable. */
export async function readJsonField(request: Request, name: string): Promise<unknown> {
  const raw = (await readFormFields(request))?.[name];
  if (typeof raw !== "string") return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
