/** A form field that carries JSON (an editor's whole draft), parsed; null when absent or unreadable. */
export async function readJsonField(request: Request, name: string): Promise<unknown> {
  const raw = (await request.formData()).get(name);
  if (typeof raw !== "string") return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
