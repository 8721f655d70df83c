import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://nudge.example.com",
};

describe("parseEnv", () => {
  it("fills in defaults for everything optional", () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      PORT: 3000,
      NUDGE_DATA_DIR: "./data",
      NUDGE_TIME_SCALE: 1,
      SCOPES: "read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_app_proxy,write_pixels,read_customer_events",
      NUDGE_VISITOR_RETENTION_HOURS: 6,
      NUDGE_DEMO: false,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("bills through Shopify by default, with amounts in whole cents", () => {
    expect(parseEnv(valid)).toMatchObject({ NUDGE_BILLING: "on", NUDGE_PRICE_PER_SEGMENT: "0.02", NUDGE_DEFAULT_CAP: "50.00", NUDGE_BILLING_CURRENCY: "USD" });
    expect(parseEnv({ ...valid, NUDGE_BILLING: "off", NUDGE_FLAT_FEE: "9.99" })).toMatchObject({ NUDGE_BILLING: "off", NUDGE_FLAT_FEE: "9.99" });
    expect(() => parseEnv({ ...valid, NUDGE_PRICE_PER_SEGMENT: "0.015" })).toThrow(/NUDGE_PRICE_PER_SEGMENT/);
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      parseEnv({ SHOPIFY_APP_URL: "not a url", PORT: "http", NUDGE_TIME_SCALE: "-2" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "PORT", "NUDGE_TIME_SCALE"]) {
      expect(message).toContain(name);
    }
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ ...valid, DATABASE_URL: "", TWILIO_ACCOUNT_SID: "" }).DATABASE_URL).toBeUndefined();
  });

  it("accepts only postgres URLs for DATABASE_URL", () => {
    expect(() => parseEnv({ ...valid, DATABASE_URL: "mysql://db/x" })).toThrow(/DATABASE_URL/);
    expect(parseEnv({ ...valid, DATABASE_URL: "postgresql://u@127.0.0.1:5432/test" }).DATABASE_URL).toBe("postgresql://u@127.0.0.1:5432/test");
  });

  it("requires the Twilio SID and token together, and a sender with them", () => {
    const sid = `AC${"a".repeat(32)}`;
    expect(() => parseEnv({ ...valid, TWILIO_ACCOUNT_SID: sid })).toThrow(/TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/);
    expect(() => parseEnv({ ...valid, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: "x".repeat(32) })).toThrow(/TWILIO_MESSAGING_SERVICE_SID/);
    expect(parseEnv({ ...valid, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: "x".repeat(32), TWILIO_FROM_NUMBER: "+15005550006" }).TWILIO_FROM_NUMBER).toBe("+15005550006");
  });

  it("never echoes a secret in its error", () => {
    expect(() => parseEnv({ ...valid, TWILIO_AUTH_TOKEN: "tok-secret-value-123" })).toThrow(expect.objectContaining({ message: expect.not.stringContaining("tok-secret-value-123") }));
  });
});
