import { z } from "zod";
import type { AdminApiClient } from "./shopify-admin.server";

// The shop's order history through a bulk operation: Shopify runs the query in the background
// and writes the result as JSONL at a URL we then stream (shopify.dev/docs/api/usage/bulk-operations/queries).
// Orders older than 60 days need read_all_orders besides read_orders (Order object, "Note").

const COUNT_ORDERS = `#graphql
  query nudgeOrderHistoryCount($query: String!) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }`;

const RUN_EXPORT = `#graphql
  mutation nudgeOrderHistoryExport($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message }
    }
  }`;

const EXPORT_STATUS = `#graphql
  query nudgeOrderHistoryExportStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
      partialDataUrl
    }
  }`;

/**
 * The query the bulk operation runs: orders only, no connections below them, so each JSONL
 * line is one whole order and no line carries a __parentId. The customer's default phone holds
 * Shopify's SMS consent for that number (Customer.smsMarketingConsent is deprecated).
 */
function orderHistoryQuery(since: Date): string {
  return `{
  orders(query: "${ordersSearch(since)}", sortKey: CREATED_AT) {
    edges {
      node {
        id
        name
        phone
        email
        createdAt
        processedAt
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        customer {
          id
          firstName
          defaultEmailAddress { emailAddress }
          defaultPhoneNumber { phoneNumber marketingState marketingUpdatedAt }
        }
        shippingAddress { countryCodeV2 }
        billingAddress { countryCodeV2 }
      }
    }
  }
}`;
}

/** Shopify's order search syntax (shopify.dev/docs/api/usage/search-syntax). */
function ordersSearch(since: Date): string {
  return `created_at:>='${since.toISOString()}'`;
}

export type ExportStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";

const CountAnswerSchema = z.object({ data: z.object({ ordersCount: z.object({ count: z.number().int(), precision: z.string() }).nullable() }) });
const RunAnswerSchema = z.object({
  data: z.object({
    bulkOperationRunQuery: z.object({
      bulkOperation: z.object({ id: z.string() }).nullable(),
      userErrors: z.array(z.object({ message: z.string() })),
    }),
  }),
});
const StatusAnswerSchema = z.object({
  data: z.object({
    bulkOperation: z
      .object({
        status: z.enum(["CANCELED", "CANCELING", "COMPLETED", "CREATED", "EXPIRED", "FAILED", "RUNNING"]),
        errorCode: z.string().nullish(),
        url: z.string().url().nullish(),
      })
      .nullable(),
  }),
});

/** How many orders the import expects (an estimate: orders keep coming while it runs). */
export async function countOrdersSince(admin: AdminApiClient, since: Date): Promise<number | null> {
  const answer = CountAnswerSchema.parse(await call(admin, COUNT_ORDERS, { query: ordersSearch(since) }));
  return answer.data.ordersCount?.count ?? null;
}

/** Starts the export; Shopify's refusal (another bulk query running, say) comes back as a message. */
export async function startOrderExport(admin: AdminApiClient, since: Date): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const { bulkOperationRunQuery: run } = RunAnswerSchema.parse(await call(admin, RUN_EXPORT, { query: orderHistoryQuery(since) })).data;
  if (run.bulkOperation) return { ok: true, id: run.bulkOperation.id };
  return { ok: false, message: run.userErrors.map((e) => e.message).join("; ") || "bulkOperationRunQuery returned no operation" };
}

/** Where the export stands; `url` is null for a finished export with no orders. */
export async function readExport(admin: AdminApiClient, id: string): Promise<{ status: ExportStatus; errorCode: string | null; url: string | null } | null> {
  const operation = StatusAnswerSchema.parse(await call(admin, EXPORT_STATUS, { id })).data.bulkOperation;
  return operation ? { status: operation.status, errorCode: operation.errorCode ?? null, url: operation.url ?? null } : null;
}

async function call(admin: AdminApiClient, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await admin.graphql(query, { variables });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`Shopify Admin API error: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body;
}
