import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeEach } from "vitest";
import type { fixedClock } from "~/clock.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { dispatchOnce } from "./dispatch";
import { installShopAt, TEST_SHOP } from "./shopify";

/** A cart text falls due this long after the checkout is abandoned (the flow's first step). */
const CART_TEXT_DELAY_MS = 20 * 60_000;

export interface TextingShopOptions {
  /** The shop's name, which texts and the HELP reply carry; installShop's default otherwise. */
  name?: string;
  /** The contact email Shopify gave for the shop, which the HELP reply names. */
  contactEmail?: string;
  /** A fake Twilio the file started itself (before the app read its environment); a new one otherwise. */
  fake?: FakeTwilio;
  /** Set the clock back to the start before each test, for files whose tests move it. */
  rewindEachTest?: boolean;
}

export interface TextingShop {
  /** The app's clock, fixed at the start until a test moves it. */
  clock: ReturnType<typeof fixedClock>;
  prisma: PrismaClient;
  fake: FakeTwilio;
  /** Moves the clock to when a checkout abandoned at the start has its cart text due, runs one dispatcher tick, and returns the text `phone` got. */
  dispatchCartText(phone: string): Promise<FakeTwilio["messages"][number]>;
}

/**
 * TEST_SHOP installed at `start` on a fixed clock the app reads, and a fake Twilio that closes
 * after the file. Await it at the top level of a test file: the hooks it adds belong to the file.
 */
export async function startTextingShop(start: Date, options: TextingShopOptions = {}): Promise<TextingShop> {
  const { clock, prisma } = await installShopAt(start, { name: options.name });
  if (options.contactEmail) await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { contactEmail: options.contactEmail } });
  const fake = options.fake ?? (await startFakeTwilio());
  afterAll(() => fake.close());
  if (options.rewindEachTest) beforeEach(() => clock.set(start));
  return {
    clock,
    prisma,
    fake,
    async dispatchCartText(phone) {
      clock.set(new Date(start.getTime() + CART_TEXT_DELAY_MS));
      await dispatchOnce(fake);
      return fake.messages.find((m) => m.to === phone)!;
    },
  };
}
