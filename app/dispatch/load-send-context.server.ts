import type { SqlTx } from "../db/sql-driver.server";
import { BROWSE_TEXT_GAP_HOURS } from "../journey/storefront";
import type { CartLine } from "../messaging/compose";
import type { ShopSettings } from "../services/shops.server";
import type { ClaimedMessage } from "./claim.server";
import type { OutboxFlow } from "./guards";

/** What one claimed message's send reads about its shopper, shop, checkout and conversation. */
export interface SendContext {
  message_id: string;
  state: unknown;
  phone: string | null;
  country: string | null;
  first_name: string | null;
  shop_name: string | null;
  shop_timezone: string;
  settings: unknown;
  uninstalled_at: Date | null;
  line_items: CartLine[] | null;
  total_price: string | null;
  currency: string | null;
  abandoned_checkout_url: string | null;
  paused_until: Date | null;
}

/** A shopper's sent texts, for the frequency caps and the first-text wording. */
export interface SendHistory {
  shopper_id: string;
  ever: number;
  recent: Date[] | null;
  /** The flow of each of `recent`, in the same order. */
  recent_flows: OutboxFlow[] | null;
}

/**
 * The chunk's contexts, by message id, with every shopper's row locked FOR UPDATE and the
 * shop's FOR SHARE until the transaction ends. Locks are taken in shopper id order, so two
 * chunks sharing shoppers never deadlock each other.
 */
export async function lockSendContexts(tx: SqlTx, shop: string, messages: readonly ClaimedMessage[]): Promise<SendContext[]> {
  return tx.query<SendContext>(
    `SELECT v.message_id, s.state, s.phone, s.country, s.first_name, sh.name AS shop_name, sh.timezone AS shop_timezone, sh.settings, sh.uninstalled_at,
            c.line_items, c.total_price::text AS total_price, COALESCE(c.presentment_currency, c.currency) AS currency, c.abandoned_checkout_url,
            cv.paused_until
     FROM jsonb_to_recordset($2::jsonb) AS v(message_id uuid, shopper_id uuid, checkout_token text)
     JOIN shopper s ON s.shop = $1 AND s.id = v.shopper_id
     JOIN shop sh ON sh.domain = s.shop
     LEFT JOIN checkout c ON c.shop = s.shop AND c.token = v.checkout_token
     LEFT JOIN conversation cv ON cv.shop = s.shop AND cv.shopper_id = s.id
     ORDER BY s.id
     FOR UPDATE OF s FOR SHARE OF sh`,
    [shop, JSON.stringify(messages.map((m) => ({ message_id: m.id, shopper_id: m.shopper_id, checkout_token: m.checkout_token })))],
  );
}

/** The shoppers' sent texts, as far back as the longest cap, browse gap or smart-sending window. */
export async function readSendHistory(tx: SqlTx, shop: string, shopperIds: string[], now: Date, settings: ShopSettings, smartSendingHours: number): Promise<Map<string, SendHistory>> {
  const rows = await tx.query<SendHistory>(
    // Caps count marketing texts; the double opt-in confirmation is not one. `status || ''`
    // keeps the indexes that lead with status out of it: during a large send the statistics
    // still say almost nothing is sent (they were taken while everything was scheduled), and
    // the planner then read every sent text of the table for each chunk through
    // (status, due_at), which made a 100k-text run quadratic (docs/benchmarks.md). The
    // shoppers' own (shop, shopper_id, status) entries are a handful each.
    `SELECT shopper_id, count(*)::int AS ever, array_agg(sent_at ORDER BY sent_at) FILTER (WHERE sent_at > $3 AND flow <> 'confirm_optin') AS recent,
            array_agg(flow ORDER BY sent_at) FILTER (WHERE sent_at > $3 AND flow <> 'confirm_optin') AS recent_flows
     FROM scheduled_message
     WHERE shop = $1 AND shopper_id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::uuid)) AND status || '' = 'sent'
     GROUP BY shopper_id`,
    [shop, JSON.stringify(shopperIds), new Date(now.getTime() - Math.max(...settings.sending.caps.map((c) => c.windowHours), BROWSE_TEXT_GAP_HOURS, smartSendingHours) * 3_600_000)],
  );
  return new Map(rows.map((r) => [r.shopper_id, r]));
}
