import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Page, Pagination, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { database } from "~/db.server";
import { listShoppers } from "~/services/shopper-directory.server";
import { authenticate } from "~/shopify.server";

const QuerySchema = z.object({
  // Over-long searches are cut, not refused: the search box is free text.
  q: z
    .string()
    .transform((q) => q.slice(0, 100))
    .optional(),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listShoppers((await database()).prisma, session.shop, { query: query.q, page: query.page });
};

export const STAGE_TONE = { awareness: "info", consideration: "attention", conversion: "success", loyalty: "magic" } as const;
export const CONSENT_TONE = { granted: "success", pending: "attention", revoked: "critical", none: undefined } as const;

export default function Shoppers() {
  const { rows, total, page, pages } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const go = (next: Record<string, string>) => setParams({ ...Object.fromEntries(params), ...next });

  return (
    <Page title="Shoppers" subtitle={`${total.toLocaleString()} people who opted in or started a checkout`}>
      <BlockStack gap="400">
        <Card>
          <TextField
            label="Search shoppers"
            labelHidden
            placeholder="Search by phone, email or first name"
            value={search}
            onChange={setSearch}
            onBlur={() => go({ q: search, page: "1" })}
            autoComplete="off"
            clearButton
            onClearButtonClick={() => (setSearch(""), go({ q: "", page: "1" }))}
            connectedRight={undefined}
          />
        </Card>
        <Card padding="0">
          {rows.length === 0 ? (
            <EmptyState heading={params.get("q") ? "No shoppers match that search" : "No shoppers yet"} image="">
              <p>Shoppers appear when they sign up through the storefront popup or start a checkout with SMS consent.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "shopper", plural: "shoppers" }}
              itemCount={rows.length}
              selectable={false}
              headings={[{ title: "Shopper" }, { title: "Stage" }, { title: "SMS consent" }, { title: "Orders", alignment: "end" }]}
            >
              {rows.map((s, index) => (
                <IndexTable.Row id={s.id} key={s.id} position={index} onClick={() => navigate(`/app/shoppers/${s.id}`)}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {s.firstName ?? s.phone ?? s.email ?? "Unknown shopper"}
                    </Text>
                    <Text as="p" tone="subdued">
                      {[s.phone, s.email].filter(Boolean).join(" · ")}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={STAGE_TONE[s.stage as keyof typeof STAGE_TONE]}>{s.stage}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={CONSENT_TONE[s.consent as keyof typeof CONSENT_TONE]}>{s.consent}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {s.orderCount}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        {pages > 1 ? (
          <Pagination
            hasPrevious={page > 1}
            hasNext={page < pages}
            onPrevious={() => go({ page: String(page - 1) })}
            onNext={() => go({ page: String(page + 1) })}
            label={`Page ${page} of ${pages}`}
          />
        ) : null}
      </BlockStack>
    </Page>
  );
}
