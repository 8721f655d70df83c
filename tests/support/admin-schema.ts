import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, getVariableValues, Kind, parse, validate, type GraphQLSchema, type IntrospectionQuery, type OperationDefinitionNode } from "graphql";

/**
 * Checks an Admin API call the way Shopify's GraphQL server would before running it, against the
 * vendored schema of the version the app calls (app/graphql/schema; Shopify's own introspection).
 * Used by the documents test and by both fakes of the Admin API, so a renamed field or a bad
 * variable fails a test instead of a merchant's send. docs/decisions/015-typed-admin-graphql.md
 */
export const ADMIN_SCHEMA_DIR = fileURLToPath(new URL("../../app/graphql/schema/", import.meta.url));

/** The API version of the one vendored schema (its file is admin_<version>.json.gz). */
export const ADMIN_SCHEMA_VERSION = vendoredSchemaFile().match(/^admin_(.+)\.json\.gz$/)![1]!;

let schema: GraphQLSchema | undefined;

/** The Admin schema, built once per process (parsing 10 MB of introspection takes about a second). */
export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const introspection = JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_DIR + vendoredSchemaFile())).toString("utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data);
  }
  return schema;
}

/**
 * What is wrong with this query and these variables for the Admin API, as messages; [] when
 * nothing is. Without variables only the document is checked. The query must parse, hold exactly one named operation (codegen types operations by
 * name, and Shopify's GraphQL errors name them too), pass graphql-js' validation rules, and the
 * variables must coerce to the operation's declared input types (required fields, enum values,
 * no unknown input fields). A variable the operation doesn't declare is refused as well: graphql-js
 * would ignore it, but for us it is a call that doesn't say what its author meant.
 */
export function validateAdminCall(query: string, variables?: Record<string, unknown>): string[] {
  let checked = checkedDocuments.get(query);
  if (!checked) {
    checked = checkDocument(query);
    checkedDocuments.set(query, checked);
  }
  if ("problems" in checked) return checked.problems;
  const { operation } = checked;
  if (variables === undefined) return [];

  const declared = new Set((operation.variableDefinitions ?? []).map((v) => v.variable.name.value));
  const undeclared = Object.keys(variables).filter((name) => !declared.has(name));
  const coerced = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], variables);
  return [...undeclared.map((name) => `Variable "$${name}" is not declared by ${operation.name!.value}.`), ...(coerced.errors ?? []).map((e) => e.message)];
}

/**
 * Each query's document checked once per process: validating it against the 10 MB schema takes
 * about 1.3 ms, which at the dispatch benchmark's thousands of mints a second would make the
 * stand-in the machine's bottleneck. The variables are checked on every call.
 */
const checkedDocuments = new Map<string, { operation: OperationDefinitionNode } | { problems: string[] }>();

function checkDocument(query: string): { operation: OperationDefinitionNode } | { problems: string[] } {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return { problems: [error instanceof Error ? error.message : String(error)] };
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return { problems: [`expected one operation, found ${operations.length}`] };
  const operation = operations[0]!;
  if (!operation.name) return { problems: [`the ${operation.operation} has no name`] };
  const invalid = validate(adminSchema(), document);
  return invalid.length > 0 ? { problems: invalid.map((e) => e.message) } : { operation };
}

function vendoredSchemaFile(): string {
  const files = readdirSync(ADMIN_SCHEMA_DIR).filter((f) => /^admin_.+\.json\.gz$/.test(f));
  if (files.length !== 1) throw new Error(`expected one admin_<version>.json.gz in ${ADMIN_SCHEMA_DIR}, found ${files.join(", ") || "none"}`);
  return files[0]!;
}
