import { database } from "~/db.server";
import { seedShopHistory } from "../../scripts/bench/seed-history";
import { createUuidHelper } from "../../scripts/bench/seed-outbox";

/**
 * The bench's seeded dashboard shop (DASHBOARD_SHOP), a small copy: a year of shoppers, texts
 * and orders up to `now`, for the tests that compare the dashboard's fast queries with the
 * slow ones they replaced. Returns the database it seeded.
 */
export async function seedDashboardHistory(now: Date) {
  const db = await database();
  await createUuidHelper(db.sql);
  await seedShopHistory(db.sql, { shoppers: 600, messages: 6_000, orders: 300 }, now);
  return db;
}
