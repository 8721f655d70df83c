import type { SqlTx } from "../db/sql-driver.server";
import type { Check } from "./doctor.server";

const LISTED = 5;

/**
 * The doctor's "shop tokens" check (docs/decisions/013-expiring-offline-tokens.md): installed
 * shops whose refresh token Shopify refused (their code texts wait until the merchant reopens
 * the app), shops still on a non-expiring token (Shopify refuses those from 2027-01-01; each
 * is migrated on its next background call), and shops with no offline session at all.
 */
export async function shopTokensCheck(sql: SqlTx): Promise<Check> {
  const rows = await sql.query<{ domain: string; reauth_reason: string | null; reauth: boolean; non_expiring: boolean; no_session: boolean }>(
    `SELECT sh.domain, sh.reauth_reason, sh.reauth_needed_at IS NOT NULL AS reauth,
            s.id IS NOT NULL AND s.expires IS NULL AS non_expiring, s.id IS NULL AS no_session
     FROM shop sh LEFT JOIN session s ON s.id = 'offline_' || sh.domain
     WHERE sh.uninstalled_at IS NULL
     ORDER BY sh.domain`,
  );
  const reauth = rows.filter((r) => r.reauth);
  const nonExpiring = rows.filter((r) => r.non_expiring && !r.reauth);
  const noSession = rows.filter((r) => r.no_session);
  const name = (list: typeof rows) =>
    list
      .slice(0, LISTED)
      .map((r) => r.domain)
      .join(", ") + (list.length > LISTED ? `, and ${list.length - LISTED} more` : "");
  const parts = [
    reauth.length ? `${reauth.length} need the merchant to reopen the app (refresh refused; code texts wait): ${name(reauth)}` : "",
    nonExpiring.length ? `${nonExpiring.length} still on a non-expiring token (migrated on their next background call; refused by Shopify from 2027-01-01): ${name(nonExpiring)}` : "",
    noSession.length ? `${noSession.length} with no offline session (installed before any admin load?): ${name(noSession)}` : "",
  ].filter(Boolean);
  if (parts.length === 0) return { name: "shop tokens", status: "ok", detail: `${rows.length} installed shops, each with an expiring offline token` };
  return { name: "shop tokens", status: "warn", detail: parts.join("; ") };
}
