// Shopify's Admin GraphQL schema for the API version the app calls, built from the vendored
// introspection result beside this file. Codegen (.graphqlrc.ts) loads it from here so that it
// never fetches the schema over the network (CI has none). CommonJS because graphql-config's
// code-file loader `require`s a schema module and Node 20 can't require TypeScript.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { gunzipSync } = require("node:zlib");
const { buildClientSchema } = require("graphql");

const introspection = JSON.parse(gunzipSync(readFileSync(join(__dirname, "admin_2026-04.json.gz"))).toString("utf8"));
module.exports = { schema: buildClientSchema(introspection.data) };
