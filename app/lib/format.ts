import { cached } from "./cached";

/**
 * How the app writes money and rates for people: the admin pages, the dashboard's charts and
 * the texts themselves. A fixed locale (en-US), so the server's HTML and the browser's render
 * agree. Pure.
 */

// Building an Intl formatter costs far more than using one (it showed in the dispatcher's profile).
const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * "$1,234.50", "€58.00", "¥1,000": `value` in `currency` with the currency's own number of
 * decimals unless `digits` says otherwise. No currency: the bare number ("12.00"); a code Intl
 * can't read: the number and the code ("12.00 XYZ1") rather than failing the page or the text.
 */
export function formatMoney(value: number, currency: string | null, options: { digits?: number } = {}): string {
  const { digits } = options;
  if (!currency) return value.toFixed(digits ?? 2);
  try {
    const format = cached(
      moneyFormats,
      `${currency}/${digits ?? ""}`,
      () => new Intl.NumberFormat("en-US", { style: "currency", currency, ...(digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }) }),
    );
    return format.format(value);
  } catch {
    return `${value.toFixed(digits ?? 2)} ${currency}`;
  }
}

/** A rate (0.123) as a share: "12.3%"; "–" when there is none to show (no texts yet). */
export function formatPercent(rate: number | null): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(1)}%`;
}

/** A difference of two rates in percentage points, signed: "+1.5", "-0.4". */
export function formatPoints(difference: number): string {
  return `${difference >= 0 ? "+" : ""}${(difference * 100).toFixed(1)}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** When something happened, in the shop's zone, as the admin's lists show it: "Dec 6, 2026, 3:04 PM". */
export function shopDateTime(timeZone: string): Intl.DateTimeFormat {
  return cached(dateTimeFormats, timeZone, () => new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }));
}
