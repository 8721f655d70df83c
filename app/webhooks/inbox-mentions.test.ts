import { describe, expect, it } from "vitest";
import { mentionsCustomer, mentionsCustomerText, type RedactedCustomer } from "./inbox-mentions";

const who: RedactedCustomer = { phones: ["+16135550123"], emails: ["Jon@Example.com"], customerIds: ["207119551"], gids: ["gid://shopify/Customer/207119551", "gid://shopify/Order/450789469"] };

describe("mentionsCustomer", () => {
  it("finds them by a phone field in any format, an email field, their customer id or gid, or an order to redact", () => {
    expect(mentionsCustomer({ billing_address: { phone: "(613) 555-0123", country_code: "CA" } }, who)).toBe(true);
    expect(mentionsCustomer({ sms_marketing_phone: "+1 613 555 0123" }, who)).toBe(true);
    expect(mentionsCustomer({ email: " jon@example.COM " }, who)).toBe(true);
    expect(mentionsCustomer({ customer: { id: 207119551 } }, who)).toBe(true);
    expect(mentionsCustomer({ customer: { admin_graphql_api_id: "gid://shopify/Customer/207119551" } }, who)).toBe(true);
    expect(mentionsCustomer({ admin_graphql_api_id: "gid://shopify/Order/450789469", line_items: [] }, who)).toBe(true);
  });

  it("ignores another customer's data and the same digits in fields that aren't theirs", () => {
    expect(mentionsCustomer({ phone: "+16135550124", email: "ann@example.com", customer: { id: 1 } }, who)).toBe(false);
    expect(mentionsCustomer({ line_items: [{ id: 207119551, sku: "6135550123" }] }, who)).toBe(false);
  });

  it("looks at the text of a body that is not JSON", () => {
    expect(mentionsCustomerText('{"phone":"+16135550123"', who)).toBe(true);
    expect(mentionsCustomerText("not json, JON@EXAMPLE.COM", who)).toBe(true);
    expect(mentionsCustomerText("{nothing", who)).toBe(false);
  });
});
