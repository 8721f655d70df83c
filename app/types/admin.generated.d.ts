/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type NudgeSmsConsentMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerSmsMarketingConsentUpdateInput;
}>;


export type NudgeSmsConsentMutation = { customerSmsMarketingConsentUpdate?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, userErrors: Array<Pick<AdminTypes.CustomerSmsMarketingConsentError, 'field' | 'message'>> }> };

export type NudgeDiscountMutationVariables = AdminTypes.Exact<{
  basicCodeDiscount: AdminTypes.DiscountCodeBasicInput;
}>;


export type NudgeDiscountMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'code' | 'message'>> }> };

export type NudgeOrderHistoryCountQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type NudgeOrderHistoryCountQuery = { ordersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count' | 'precision'>> };

export type NudgeOrderHistoryExportMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type NudgeOrderHistoryExportMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message'>> }> };

export type NudgeOrderHistoryExportStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type NudgeOrderHistoryExportStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url' | 'partialDataUrl'>> };

export type NudgeShopDetailsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type NudgeShopDetailsQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'currencyCode' | 'ianaTimezone' | 'contactEmail'>
    & { shopAddress: Pick<AdminTypes.ShopAddress, 'countryCodeV2'> }
  ) };

interface GeneratedQueryTypes {
  "#graphql\n  query nudgeOrderHistoryCount($query: String!) {\n    ordersCount(query: $query, limit: null) {\n      count\n      precision\n    }\n  }": {return: NudgeOrderHistoryCountQuery, variables: NudgeOrderHistoryCountQueryVariables},
  "#graphql\n  query nudgeOrderHistoryExportStatus($id: ID!) {\n    bulkOperation(id: $id) {\n      id\n      status\n      errorCode\n      objectCount\n      url\n      partialDataUrl\n    }\n  }": {return: NudgeOrderHistoryExportStatusQuery, variables: NudgeOrderHistoryExportStatusQueryVariables},
  "#graphql\n  query nudgeShopDetails {\n    shop {\n      name\n      currencyCode\n      ianaTimezone\n      contactEmail\n      shopAddress { countryCodeV2 }\n    }\n  }": {return: NudgeShopDetailsQuery, variables: NudgeShopDetailsQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation nudgeSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {\n    customerSmsMarketingConsentUpdate(input: $input) {\n      customer { id }\n      userErrors { field message }\n    }\n  }": {return: NudgeSmsConsentMutation, variables: NudgeSmsConsentMutationVariables},
  "#graphql\n  mutation nudgeDiscount($basicCodeDiscount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {\n      codeDiscountNode { id }\n      userErrors { field code message }\n    }\n  }": {return: NudgeDiscountMutation, variables: NudgeDiscountMutationVariables},
  "#graphql\n  mutation nudgeOrderHistoryExport($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation { id status }\n      userErrors { field message }\n    }\n  }": {return: NudgeOrderHistoryExportMutation, variables: NudgeOrderHistoryExportMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
