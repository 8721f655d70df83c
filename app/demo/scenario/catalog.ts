/** The demo store's products: a small outdoor shop, prices in USD. */
export const CATALOG = [
  { productId: 7001, variantId: 70011, sku: "TENT-2P", title: "Trailhead 2-Person Tent", variant: "Moss", price: 189 },
  { productId: 7002, variantId: 70021, sku: "BAG-20F", title: "Ridgeline Sleeping Bag", variant: "20°F", price: 129 },
  { productId: 7003, variantId: 70031, sku: "PACK-45", title: "Summit 45L Backpack", variant: "Slate", price: 149 },
  { productId: 7004, variantId: 70041, sku: "STOVE-1", title: "Pocket Camp Stove", variant: null, price: 45 },
  { productId: 7005, variantId: 70051, sku: "LAMP-H", title: "Lumen Headlamp", variant: "Black", price: 29 },
  { productId: 7006, variantId: 70061, sku: "BOTTLE-1L", title: "Insulated Bottle 1L", variant: "Glacier", price: 35 },
  { productId: 7007, variantId: 70071, sku: "JKT-RAIN", title: "Stormshell Rain Jacket", variant: "M / Red", price: 159 },
  { productId: 7008, variantId: 70081, sku: "SOCK-3", title: "Merino Hiking Socks (3 pack)", variant: "L", price: 39 },
] as const;

export const FIRST_NAMES = [
  "Ava",
  "Liam",
  "Maya",
  "Noah",
  "Zoe",
  "Ethan",
  "Priya",
  "Lucas",
  "Chloe",
  "Mateo",
  "Hana",
  "Owen",
  "Sofia",
  "Caleb",
  "Amara",
  "Leo",
  "Nora",
  "Diego",
  "Iris",
  "Jonah",
  "Elena",
  "Kai",
  "Ruth",
  "Felix",
] as const;

export const LAST_NAMES = ["Nguyen", "Patel", "Garcia", "Smith", "Kim", "Okafor", "Rossi", "Cohen", "Silva", "Murphy", "Tanaka", "Haddad"] as const;

/**
 * US area codes in the Eastern time zone (New York, Boston, Philadelphia, Atlanta, Miami, Washington,
 * Orlando, Pittsburgh, Charlotte, Raleigh), so
 * the scenario's local times are the shoppers' local times. 555-01xx numbers are reserved
 * for fiction.
 */
export const AREA_CODES = ["212", "617", "215", "404", "305", "202", "407", "412", "704", "919"] as const;
export const SHOPPER_ZONE = "America/New_York";
