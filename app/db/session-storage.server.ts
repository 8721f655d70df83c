import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { PrismaClient } from "@prisma/client";
import { database } from "../db.server";

/**
 * Shopify's PrismaSessionStorage, created only once the database is open and migrated.
 * shopifyApp() wants a storage object synchronously, and we can't await at module top
 * level in a Vite server build, so each call waits for the real storage first.
 */
export class DeferredPrismaSessionStorage implements SessionStorage {
  private storage?: Promise<PrismaSessionStorage<PrismaClient>>;

  private ready(): Promise<PrismaSessionStorage<PrismaClient>> {
    this.storage ??= database().then(({ prisma }) => new PrismaSessionStorage(prisma));
    return this.storage;
  }

  async storeSession(session: Session) {
    return (await this.ready()).storeSession(session);
  }
  async loadSession(id: string) {
    return (await this.ready()).loadSession(id);
  }
  async deleteSession(id: string) {
    return (await this.ready()).deleteSession(id);
  }
  async deleteSessions(ids: string[]) {
    return (await this.ready()).deleteSessions(ids);
  }
  async findSessionsByShop(shop: string) {
    return (await this.ready()).findSessionsByShop(shop);
  }
}
