import { normalizePhone } from "../lib/phone";

/** Who a customers/redact names: E.164 phones, lower-case emails, Shopify customer ids and gids of the customer and their orders. */
export interface RedactedCustomer {
  phones: string[];
  emails: string[];
  customerIds: string[];
  gids: string[];
}

/**
 * Whether a webhook body (parsed JSON, any topic) names the customer: a phone field (any key
 * with "phone" in it, formatted any way) that is one of their numbers, an email field that is
 * theirs, a customer object with their id, or an admin_graphql_api_id of theirs or of an order
 * to redact. Pure; for a body that is not JSON, `mentionsCustomerText` looks at the text.
 */
export function mentionsCustomer(body: unknown, who: RedactedCustomer): boolean {
  const phones = new Set(who.phones);
  const regions = [...new Set(who.phones.map((p) => normalizePhone(p)?.region).filter((r): r is string => Boolean(r)))];
  const emails = new Set(who.emails.map((e) => e.toLowerCase()));
  const ids = new Set(who.customerIds);
  const gids = new Set(who.gids);
  const isTheirPhone = (value: string) => [undefined, ...regions].some((region) => phones.has(normalizePhone(value, region)?.e164 ?? ""));
  const visit = (value: unknown, key: string, parentKey: string): boolean => {
    if (Array.isArray(value)) return value.some((item) => visit(item, key, parentKey));
    if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => visit(v, k, key));
    if (typeof value === "string") {
      if (/phone/i.test(key) && isTheirPhone(value)) return true;
      if (/email/i.test(key) && emails.has(value.trim().toLowerCase())) return true;
      if (key === "admin_graphql_api_id" && gids.has(value)) return true;
    }
    if (key === "id" && parentKey === "customer" && (typeof value === "string" || typeof value === "number")) return ids.has(String(value));
    return false;
  };
  return visit(body, "", "");
}

/** The same question of a body that is not JSON: does its text hold one of their identifiers? */
export function mentionsCustomerText(body: string, who: RedactedCustomer): boolean {
  const lower = body.toLowerCase();
  return [...who.phones, ...who.gids].some((needle) => body.includes(needle)) || who.emails.some((email) => lower.includes(email.toLowerCase()));
}
