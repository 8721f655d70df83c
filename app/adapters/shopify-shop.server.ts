import { z } from "zod";
import { log } from "../lib/log.server";
import { backgroundAdmin } from "./shopify-admin.server";

// Field names checked against the Admin API 2026-04 schema: Shop.billingAddress is
// deprecated there ("Use `shopAddress` instead"), and ShopAddress.countryCode is deprecated
// for countryCodeV2. contactEmail is the public-facing address customers write to; Shop.email
// is the owner's address for Shopify's own mail, so we don't read it.
const QUERY = `#graphql
  query nudgeShopDetails {
    shop {
      name
      currencyCode
      ianaTimezone
      contactEmail
      shopAddress { countryCodeV2 }
    }
  }`;

const ShopDetailsResponseSchema = z.object({
  data: z.object({
    shop: z.object({
      name: z.string().max(255),
      currencyCode: z.string().regex(/^[A-Z]{3}$/),
      ianaTimezone: z.string().min(1).max(64),
      contactEmail: z.string().max(320).nullish(),
      shopAddress: z
        .object({
          countryCodeV2: z
            .string()
            .regex(/^[A-Z]{2}$/)
            .nullish(),
        })
        .nullish(),
    }),
  }),
});

/** The shop's own details as the app stores them (shop.name, currency, timezone, contact_email, country). */
interface ShopDetails {
  name: string;
  currency: string;
  timezone: string;
  contactEmail: string | null;
  country: string | null;
}

export type ShopDetailsResult = { ok: true; details: ShopDetails } | { ok: false; reason: string };

/** Reads the shop's name, currency, time zone, contact email and country from the Admin API. */
export async function fetchShopDetails(shop: string): Promise<ShopDetailsResult> {
  const admin = await backgroundAdmin(shop);
  if (!admin.ok) return { ok: false, reason: admin.reason };
  try {
    const response = await admin.admin.graphql(QUERY);
    const parsed = ShopDetailsResponseSchema.safeParse(await response.json());
    if (!parsed.success) {
      log.warn("Shopify's shop query answered an unexpected shape", { shop, issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`) });
      return { ok: false, reason: "unexpected_response" };
    }
    const s = parsed.data.data.shop;
    return {
      ok: true,
      details: { name: s.name, currency: s.currencyCode, timezone: s.ianaTimezone, contactEmail: s.contactEmail || null, country: s.shopAddress?.countryCodeV2 ?? null },
    };
  } catch (error) {
    log.warn("could not read the shop's details from Shopify", { shop, error });
    return { ok: false, reason: "unavailable" };
  }
}
