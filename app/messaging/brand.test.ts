import { describe, expect, it } from "vitest";
import { brandFor, supportContactFor } from "./brand";

describe("brandFor", () => {
  const shop = { domain: "kaffeehaus-berlin.myshopify.com", name: "Kaffeehaus Berlin" };

  it("names the brand the merchant set", () => {
    expect(brandFor(shop, { brandName: " Kaffee & Co " })).toBe("Kaffee & Co");
  });

  it("defaults to the shop's name from Shopify until the merchant sets one", () => {
    expect(brandFor(shop, { brandName: "" })).toBe("Kaffeehaus Berlin");
  });

  it("falls back to the myshopify handle only when Shopify gave no name", () => {
    expect(brandFor({ ...shop, name: null }, { brandName: "  " })).toBe("kaffeehaus-berlin");
  });
});

describe("supportContactFor", () => {
  it("prefers the contact the merchant set, then the shop's contact email, then none", () => {
    expect(supportContactFor({ contactEmail: "hallo@kaffeehaus.example" }, { supportContact: "+49 30 1234567" })).toBe("+49 30 1234567");
    expect(supportContactFor({ contactEmail: "hallo@kaffeehaus.example" }, { supportContact: "" })).toBe("hallo@kaffeehaus.example");
    expect(supportContactFor({ contactEmail: null }, { supportContact: "" })).toBeNull();
  });
});
