import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, GraphqlQueryError, LogSeverity, Session, shopifyApi } from "@shopify/shopify-api";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { API_VERSION } from "~/shopify.server";
import { fakeShopifyAdmin, mutationResult } from "../mocks/shopify-admin";
import { ADMIN_SCHEMA_VERSION, validateAdminCall } from "../support/admin-schema";
import { startShopifyStandin } from "../support/shopify-standin";

// Every Admin API document in app/ is checked against Shopify's schema for the version the app
// calls, so a renamed or removed field fails CI rather than a merchant's send.
// docs/decisions/015-typed-admin-graphql.md

interface AdminDocument {
  file: string;
  name: string;
  kind: "query" | "mutation";
  text: string;
}

/** Every `#graphql` template literal in app/ (what codegen types), outside the generated types. */
function findAdminDocuments(dir = "app"): AdminDocument[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join("app", "types") ? [] : findAdminDocuments(path);
    if (!/\.(js|jsx|ts|tsx)$/.test(entry.name) || entry.name.endsWith(".d.ts")) return [];
    const source = readFileSync(path, "utf8");
    return [...source.matchAll(/`(#graphql[^`]*)`/g)].map(([, text]) => {
      const [, kind, name] = text!.match(/\b(query|mutation)\s+(\w+)/) ?? [];
      return { file: relative(".", path), name: name ?? "(unnamed)", kind: (kind ?? "query") as AdminDocument["kind"], text: text! };
    });
  });
}

const documents = findAdminDocuments();
const generated = readFileSync("app/types/admin.generated.d.ts", "utf8");
const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

// The real discount document, broken in the two ways a schema change breaks us.
const discountDocument = documents.find((d) => d.name === "nudgeDiscount")!.text;
const consentDocument = documents.find((d) => d.name === "nudgeSmsConsent")!.text;
const consentVariables = {
  input: { customerId: "gid://shopify/Customer/42", smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: "2026-11-24T15:00:00.000Z" } },
};

describe("the app's Admin GraphQL documents", () => {
  it("are found wherever they are in app/ (the discount and consent mutations at least)", () => {
    expect(documents.map((d) => `${d.file}: ${d.name}`)).toEqual(
      expect.arrayContaining(["app/adapters/shopify-discounts.server.ts: nudgeDiscount", "app/adapters/shopify-consent.server.ts: nudgeSmsConsent"]),
    );
  });

  it.each(documents)(`$file: $name is valid against the Admin API ${ADMIN_SCHEMA_VERSION} schema`, ({ text }) => {
    expect(text).not.toContain("${"); // codegen can't type a document built at runtime
    expect(validateAdminCall(text)).toEqual([]);
  });

  it("each has its generated types, as written now, and app/types holds no others (npm run graphql-codegen is current)", () => {
    for (const { name, kind, text } of documents) {
      const type = `${pascal(name)}${pascal(kind)}`;
      expect(generated, `${type} in app/types/admin.generated.d.ts`).toContain(`export type ${type} =`);
      expect(generated, `${name} as written now`).toContain(`${JSON.stringify(text)}: {return: ${type}, variables: ${type}Variables}`);
    }
    expect(generated.match(/^ {2}"#graphql.*": \{return: /gm) ?? []).toHaveLength(documents.length);
  });

  it("are checked against the API version the app calls and subscribes to webhooks with", () => {
    expect(API_VERSION).toBe(ADMIN_SCHEMA_VERSION);
    expect(readFileSync("shopify.app.toml", "utf8")).toMatch(new RegExp(`^api_version = "${ADMIN_SCHEMA_VERSION}"$`, "m"));
    expect(readFileSync(".graphqlrc.ts", "utf8")).toContain(`const ADMIN_API_VERSION = "${ADMIN_SCHEMA_VERSION}"`);
    expect(readFileSync("app/graphql/schema/admin-schema.cjs", "utf8")).toContain(`admin_${ADMIN_SCHEMA_VERSION}.json.gz`);
  });
});

describe("validateAdminCall", () => {
  it("rejects a document asking for a field the schema doesn't have (a rename upstream)", () => {
    expect(validateAdminCall(discountDocument.replace("codeDiscountNode { id }", "discountCodeNode { id }"))).toEqual([
      'Cannot query field "discountCodeNode" on type "DiscountCodeBasicCreatePayload".',
    ]);
    expect(validateAdminCall(discountDocument.replace("discountCodeBasicCreate(", "discountCodeCreate("))).not.toEqual([]);
  });

  it("accepts the variables the consent sync sends, and rejects ones Shopify would refuse", () => {
    expect(validateAdminCall(consentDocument, consentVariables)).toEqual([]);
    const withConsent = (consent: Record<string, unknown>) => ({ input: { ...consentVariables.input, smsMarketingConsent: consent } });
    const problems = {
      unknownEnumValue: validateAdminCall(consentDocument, withConsent({ marketingState: "OPTED_IN" })),
      missingRequiredField: validateAdminCall(consentDocument, withConsent({ consentUpdatedAt: "2026-11-24T15:00:00Z" })),
      unknownInputField: validateAdminCall(consentDocument, withConsent({ marketingState: "SUBSCRIBED", state: "SUBSCRIBED" })),
      missingVariable: validateAdminCall(consentDocument, {}),
      undeclaredVariable: validateAdminCall(consentDocument, { ...consentVariables, consent: "yes" }),
    };
    expect(problems.unknownEnumValue.join()).toMatch(/Value "OPTED_IN" does not exist in "CustomerSmsMarketingState" enum/);
    expect(problems.missingRequiredField.join()).toMatch(/Field "marketingState" of required type "CustomerSmsMarketingState!" was not provided/);
    expect(problems.unknownInputField.join()).toMatch(/Field "state" is not defined by type "CustomerSmsMarketingConsentInput"/);
    expect(problems.missingVariable.join()).toMatch(/Variable "\$input" of required type "CustomerSmsMarketingConsentUpdateInput!" was not provided/);
    expect(problems.undeclaredVariable).toEqual(['Variable "$consent" is not declared by nudgeSmsConsent.']);
  });

  it("rejects an unnamed operation, which codegen can't type", () => {
    expect(validateAdminCall("mutation { discountCodeBasicCreate(basicCodeDiscount: {}) { userErrors { message } } }")).toEqual(["the mutation has no name"]);
  });
});

describe("the fakes of the Admin API", () => {
  const SHOP = "schema-check.myshopify.com";

  it("tests/mocks/shopify-admin answers an invalid call with GraphQL errors, as Shopify does, and a valid one as scripted", async () => {
    const shopify = shopifyApi({
      apiKey: "k",
      apiSecretKey: "s",
      hostName: "nudge.test",
      apiVersion: API_VERSION as ApiVersion,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error, log: async () => {} },
    });
    const admin = fakeShopifyAdmin(() => mutationResult("customerSmsMarketingConsentUpdate", { customer: { id: "gid://shopify/Customer/42" }, userErrors: [] }));
    try {
      // Made after the fake is in place: the client keeps the fetch it finds.
      const client = new shopify.clients.Graphql({ session: new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_test" }) });

      const bad = { input: { ...consentVariables.input, smsMarketingConsent: { marketingState: "OPTED_IN" } } };
      const refused = await client.request(consentDocument, { variables: bad }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(GraphqlQueryError);
      expect(JSON.stringify((refused as GraphqlQueryError).body)).toContain('Value \\"OPTED_IN\\" does not exist');

      const taken = await client.request(consentDocument, { variables: consentVariables });
      expect(taken.data).toEqual({ customerSmsMarketingConsentUpdate: { customer: { id: "gid://shopify/Customer/42" }, userErrors: [] } });
      expect(admin.calls).toHaveLength(2);
    } finally {
      admin.restore();
    }
  });

  it("tests/support/shopify-standin answers an invalid call with GraphQL errors before any scripted answer", async () => {
    const standin = await startShopifyStandin({ apiKey: "k", apiSecret: "s", scope: "write_customers" });
    try {
      standin.answer("nudgeSmsConsent", () => ({ customerSmsMarketingConsentUpdate: { customer: { id: "gid://shopify/Customer/42" }, userErrors: [] } }));
      const sessionToken = await new SignJWT({ dest: `https://${SHOP}` }).setProtectedHeader({ alg: "HS256" }).setAudience("k").sign(new TextEncoder().encode("s"));
      const headers = { "content-type": "application/json", "x-shopify-shop-domain": SHOP };
      const token = (await (
        await fetch(`${standin.url}/admin/oauth/access_token`, {
          method: "POST",
          headers,
          body: JSON.stringify({ client_id: "k", client_secret: "s", grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: sessionToken }),
        })
      ).json()) as { access_token: string };
      const call = async (query: string, variables: unknown) =>
        (await fetch(`${standin.url}/admin/api/${API_VERSION}/graphql.json`, {
          method: "POST",
          headers: { ...headers, "x-shopify-access-token": token.access_token },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json())) as { data?: unknown; errors?: { message: string }[] };

      const renamed = await call(consentDocument.replace("customer { id }", "customerRecord { id }"), consentVariables);
      expect(renamed.data).toBeUndefined();
      expect(renamed.errors?.[0]?.message).toMatch(/Cannot query field "customerRecord"/);
      expect((await call(consentDocument, { input: { customerId: "gid://shopify/Customer/42" } })).errors?.[0]?.message).toMatch(/smsMarketingConsent/);
      expect((await call(consentDocument, consentVariables)).data).toMatchObject({ customerSmsMarketingConsentUpdate: { userErrors: [] } });
    } finally {
      await standin.close();
    }
  });
});
