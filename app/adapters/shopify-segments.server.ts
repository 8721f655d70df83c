import { GraphqlQueryError } from "@shopify/shopify-api";
import { log } from "../lib/log.server";
import { normalizePhone } from "../lib/phone";
import type { NudgeSegmentMembersQuery, NudgeSegmentMembersQueryVariables, NudgeSegmentQuery, NudgeSegmentsQuery } from "../types/admin.generated";
import type { AdminApiClient } from "./shopify-admin.server";

// Admin API 2026-04: `segments` lists the shop's customer segments, `customerSegmentMembers`
// pages through one segment's members (scope read_customers).
// https://shopify.dev/docs/api/admin-graphql/latest/queries/segments
// https://shopify.dev/docs/api/admin-graphql/latest/queries/customerSegmentMembers
const SEGMENTS = `#graphql
  query nudgeSegments($first: Int!) {
    segments(first: $first, sortKey: LAST_EDIT_DATE, reverse: true) {
      nodes { id name }
    }
  }`;

const SEGMENT = `#graphql
  query nudgeSegment($id: ID!) {
    segment(id: $id) { id name }
  }`;

const MEMBERS = `#graphql
  query nudgeSegmentMembers($segmentId: ID!, $first: Int!, $after: String) {
    customerSegmentMembers(segmentId: $segmentId, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          defaultPhoneNumber { phoneNumber marketingState }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface ShopifySegment {
  id: string;
  name: string;
}

/**
 * A segment's members as Nudge matches them to its shoppers: Shopify's customer ids (the
 * number in the gid, as shopper.customer_id stores it) and default phones in E.164. Nothing
 * of Shopify's SMS consent decides who is texted: only consent recorded by Nudge does.
 */
export interface SegmentMembers {
  customerIds: string[];
  /** One per member, null when it has no usable phone (same order as customerIds). */
  phones: (string | null)[];
}

export type SegmentRead<T> = { ok: true; value: T } | { ok: false; message: string };

/** Members per page: Shopify's maximum for a connection is 250; a page then costs about 250 points of the 1,000 a query may. */
const MEMBER_PAGE_SIZE = 250;
/** The largest segment a campaign reads (400 pages): beyond it the merchant narrows the segment. */
const MAX_SEGMENT_MEMBERS = 100_000;
const THROTTLE_RETRIES = 5;

/** The shop's segments, most recently edited first (one page: the picker shows at most `first`). */
export async function listSegments(admin: AdminApiClient, shop: string, first = 100): Promise<SegmentRead<ShopifySegment[]>> {
  try {
    const body = await callAdmin<NudgeSegmentsQuery>(admin, SEGMENTS, { first });
    return { ok: true, value: body.segments.nodes.map((s) => ({ id: s.id, name: s.name })) };
  } catch (error) {
    log.warn("could not list the shop's Shopify segments", { shop, error });
    return { ok: false, message: "Shopify's segments could not be read. Try again in a moment." };
  }
}

/** One segment by its gid (the segment action extension opens the composer with it), or null when the shop has none by that id. */
export async function readSegment(admin: AdminApiClient, shop: string, id: string): Promise<SegmentRead<ShopifySegment | null>> {
  try {
    const body = await callAdmin<NudgeSegmentQuery>(admin, SEGMENT, { id });
    return { ok: true, value: body.segment ? { id: body.segment.id, name: body.segment.name } : null };
  } catch (error) {
    log.warn("could not read a Shopify segment", { shop, segmentId: id, error });
    return { ok: false, message: "Shopify's segment could not be read. Try again in a moment." };
  }
}

/**
 * Every member of a segment, a bounded page at a time. Throttling (a THROTTLED answer) waits
 * for the bucket to refill as its throttleStatus says; 429, 5xx and network errors get the
 * library's retries (`tries`). Phones are normalised as everywhere else (libphonenumber-js),
 * national formats in the shop's country.
 */
export async function readSegmentMembers(admin: AdminApiClient, shop: string, segmentId: string, country: string | null): Promise<SegmentRead<SegmentMembers>> {
  const members: SegmentMembers = { customerIds: [], phones: [] };
  let after: string | null = null;
  try {
    for (;;) {
      const variables: NudgeSegmentMembersQueryVariables = { segmentId, first: MEMBER_PAGE_SIZE, after };
      const page: NudgeSegmentMembersQuery["customerSegmentMembers"] = (await callAdmin<NudgeSegmentMembersQuery>(admin, MEMBERS, variables)).customerSegmentMembers;
      if (page.totalCount > MAX_SEGMENT_MEMBERS) {
        return {
          ok: false,
          message: `This segment has ${page.totalCount.toLocaleString("en-US")} customers; campaigns reach at most ${MAX_SEGMENT_MEMBERS.toLocaleString("en-US")}. Narrow the segment in Shopify.`,
        };
      }
      for (const { node } of page.edges) {
        const customerId = node.id.match(/\/(\d+)$/)?.[1];
        if (!customerId) continue;
        members.customerIds.push(customerId);
        members.phones.push(normalizePhone(node.defaultPhoneNumber?.phoneNumber, country)?.e164 ?? null);
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || members.customerIds.length >= MAX_SEGMENT_MEMBERS) return { ok: true, value: members };
      after = page.pageInfo.endCursor;
    }
  } catch (error) {
    log.warn("could not read a Shopify segment's members", { shop, segmentId, error });
    return { ok: false, message: "Shopify's segment could not be read. Try again in a moment." };
  }
}

/**
 * One Admin API call with its data, waiting out the cost throttle: Shopify answers a query the
 * bucket can't pay for with a THROTTLED error and the bucket's state, and the wait is what the
 * bucket needs to refill (https://shopify.dev/docs/api/usage/rate-limits#graphql-admin-api-rate-limits).
 */
async function callAdmin<T>(admin: AdminApiClient, query: string, variables: Record<string, unknown>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await admin.graphql(query, { variables, tries: 3 });
      const body = (await response.json()) as { data?: T };
      if (!body.data) throw new Error("Shopify answered without data");
      return body.data;
    } catch (error) {
      const wait = throttleWaitMs(error);
      if (wait === null || attempt >= THROTTLE_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** How long to wait before retrying a THROTTLED query, or null for any other error. */
function throttleWaitMs(error: unknown): number | null {
  if (!(error instanceof GraphqlQueryError)) return null;
  const body = error.body as
    | {
        errors?: { graphQLErrors?: { extensions?: { code?: string } }[] };
        extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } } };
      }
    | undefined;
  if (!body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED")) return null;
  const cost = body.extensions?.cost;
  const missing = (cost?.requestedQueryCost ?? MEMBER_PAGE_SIZE) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
  const rate = cost?.throttleStatus?.restoreRate || 50;
  return Math.min(10_000, Math.max(50, Math.ceil((missing / rate) * 1000)));
}
