import { ApiType, pluckConfig, shopifyApiTypes } from "@shopify/api-codegen-preset";

/**
 * Types for every `#graphql` Admin API document in app/ (`npm run graphql-codegen`), the Shopify
 * app template's convention (Shopify/shopify-app-template-remix .graphqlrc.ts) with one change:
 * the schema is the vendored introspection result for the version the app calls, never
 * shopify.dev's proxy, so codegen runs offline and CI can check its output is current.
 * docs/decisions/015-typed-admin-graphql.md
 */
const ADMIN_API_VERSION = "2026-04"; // = API_VERSION in app/shopify.server.ts
const schema = "./app/graphql/schema/admin-schema.cjs";
const documents = ["./app/**/*.{js,ts,jsx,tsx}", "!./app/types/**"];

// shopifyApiTypes adds a step that downloads the schema into app/types when no copy is there;
// the vendored one replaces it, so every step reads that and the download step is dropped.
const generates = Object.fromEntries(
  Object.entries(shopifyApiTypes({ apiType: ApiType.Admin, apiVersion: ADMIN_API_VERSION, documents, outputDir: "./app/types", enumsAsConst: true }))
    .filter(([file]) => !file.endsWith(".schema.json"))
    .map(([file, step]) => [file, { ...step, schema }]),
);

export default {
  schema,
  documents,
  projects: {
    default: { schema, documents, extensions: { codegen: { pluckConfig, generates } } },
  },
};
