/**
 * Whether any string in parsed JSON holds a NUL character. PostgreSQL's text and jsonb
 * can't store U+0000 (error 22021/22P05), so input holding one is refused where it comes in.
 */
export function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.entries(value).some(([key, child]) => key.includes("\u0000") || containsNul(child));
  return false;
}
