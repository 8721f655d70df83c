/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type NudgeUsageRecordMutationVariables = AdminTypes.Exact<{
  subscriptionLineItemId: AdminTypes.Scalars['ID']['input'];
  price: AdminTypes.MoneyInput;
  description: AdminTypes.Scalars['String']['input'];
  idempotencyKey?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type NudgeUsageRecordMutation = { appUsageRecordCreate?: AdminTypes.Maybe<{ appUsageRecord?: AdminTypes.Maybe<(
      Pick<AdminTypes.AppUsageRecord, 'id'>
      & { subscriptionLineItem: { plan: { pricingDetails: { balanceUsed: Pick<AdminTypes.MoneyV2, 'amount'>, cappedAmount: Pick<AdminTypes.MoneyV2, 'amount'> } } } }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type NudgeActiveSubscriptionsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type NudgeActiveSubscriptionsQuery = { currentAppInstallation: { activeSubscriptions: Array<(
      Pick<AdminTypes.AppSubscription, 'id' | 'name' | 'status' | 'test' | 'currentPeriodEnd'>
      & { lineItems: Array<(
        Pick<AdminTypes.AppSubscriptionLineItem, 'id'>
        & { plan: { pricingDetails: { balanceUsed: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, cappedAmount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } } }
      )> }
    )> } };

export type NudgeBillingShopPlanQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type NudgeBillingShopPlanQuery = { shop: { plan: Pick<AdminTypes.ShopPlan, 'partnerDevelopment'> } };

export type NudgeSmsConsentMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerSmsMarketingConsentUpdateInput;
}>;


export type NudgeSmsConsentMutation = { customerSmsMarketingConsentUpdate?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, userErrors: Array<Pick<AdminTypes.CustomerSmsMarketingConsentError, 'field' | 'message'>> }> };

export type NudgeDiscountMutationVariables = AdminTypes.Exact<{
  basicCodeDiscount: AdminTypes.DiscountCodeBasicInput;
}>;


export type NudgeDiscountMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'code' | 'message'>> }> };

export type NudgeDiscountCodesAddMutationVariables = AdminTypes.Exact<{
  discountId: AdminTypes.Scalars['ID']['input'];
  codes: Array<AdminTypes.DiscountRedeemCodeInput> | AdminTypes.DiscountRedeemCodeInput;
}>;


export type NudgeDiscountCodesAddMutation = { discountRedeemCodeBulkAdd?: AdminTypes.Maybe<{ bulkCreation?: AdminTypes.Maybe<Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'code' | 'message'>> }> };

export type NudgeDiscountCodesAddedQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type NudgeDiscountCodesAddedQuery = { discountRedeemCodeBulkCreation?: AdminTypes.Maybe<(
    Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'done'>
    & { codes: { nodes: Array<(
        Pick<AdminTypes.DiscountRedeemCodeBulkCreationCode, 'code'>
        & { errors: Array<Pick<AdminTypes.DiscountUserError, 'code' | 'message'>>, discountRedeemCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountRedeemCode, 'id'>> }
      )> } }
  )> };

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

export type NudgeSegmentsQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
}>;


export type NudgeSegmentsQuery = { segments: { nodes: Array<Pick<AdminTypes.Segment, 'id' | 'name'>> } };

export type NudgeSegmentQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type NudgeSegmentQuery = { segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name'>> };

export type NudgeSegmentMembersQueryVariables = AdminTypes.Exact<{
  segmentId: AdminTypes.Scalars['ID']['input'];
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type NudgeSegmentMembersQuery = { customerSegmentMembers: (
    Pick<AdminTypes.CustomerSegmentMemberConnection, 'totalCount'>
    & { edges: Array<{ node: (
        Pick<AdminTypes.CustomerSegmentMember, 'id'>
        & { defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber' | 'marketingState'>> }
      ) }>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }
  ) };

export type NudgeShopDetailsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type NudgeShopDetailsQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'currencyCode' | 'ianaTimezone' | 'contactEmail'>
    & { shopAddress: Pick<AdminTypes.ShopAddress, 'countryCodeV2'> }
  ) };

export type NudgeWebPixelCreateMutationVariables = AdminTypes.Exact<{
  webPixel: AdminTypes.WebPixelInput;
}>;


export type NudgeWebPixelCreateMutation = { webPixelCreate?: AdminTypes.Maybe<{ webPixel?: AdminTypes.Maybe<Pick<AdminTypes.WebPixel, 'id' | 'settings'>>, userErrors: Array<Pick<AdminTypes.ErrorsWebPixelUserError, 'field' | 'code' | 'message'>> }> };

export type NudgeWebPixelQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type NudgeWebPixelQuery = { webPixel?: AdminTypes.Maybe<Pick<AdminTypes.WebPixel, 'id' | 'settings'>> };

export type NudgeWebPixelUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  webPixel: AdminTypes.WebPixelInput;
}>;


export type NudgeWebPixelUpdateMutation = { webPixelUpdate?: AdminTypes.Maybe<{ webPixel?: AdminTypes.Maybe<Pick<AdminTypes.WebPixel, 'id' | 'settings'>>, userErrors: Array<Pick<AdminTypes.ErrorsWebPixelUserError, 'field' | 'code' | 'message'>> }> };

export type NudgeWebPixelDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type NudgeWebPixelDeleteMutation = { webPixelDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.WebPixelDeletePayload, 'deletedWebPixelId'>
    & { userErrors: Array<Pick<AdminTypes.ErrorsWebPixelUserError, 'field' | 'code' | 'message'>> }
  )> };

interface GeneratedQueryTypes {
  "#graphql\n  query nudgeActiveSubscriptions {\n    currentAppInstallation {\n      activeSubscriptions {\n        id\n        name\n        status\n        test\n        currentPeriodEnd\n        lineItems {\n          id\n          plan {\n            pricingDetails {\n              ... on AppUsagePricing {\n                balanceUsed { amount currencyCode }\n                cappedAmount { amount currencyCode }\n              }\n            }\n          }\n        }\n      }\n    }\n  }": {return: NudgeActiveSubscriptionsQuery, variables: NudgeActiveSubscriptionsQueryVariables},
  "#graphql\n  query nudgeBillingShopPlan {\n    shop { plan { partnerDevelopment } }\n  }": {return: NudgeBillingShopPlanQuery, variables: NudgeBillingShopPlanQueryVariables},
  "#graphql\n  query nudgeDiscountCodesAdded($id: ID!) {\n    discountRedeemCodeBulkCreation(id: $id) {\n      done\n      codes(first: 250) { nodes { code errors { code message } discountRedeemCode { id } } }\n    }\n  }": {return: NudgeDiscountCodesAddedQuery, variables: NudgeDiscountCodesAddedQueryVariables},
  "#graphql\n  query nudgeOrderHistoryCount($query: String!) {\n    ordersCount(query: $query, limit: null) {\n      count\n      precision\n    }\n  }": {return: NudgeOrderHistoryCountQuery, variables: NudgeOrderHistoryCountQueryVariables},
  "#graphql\n  query nudgeOrderHistoryExportStatus($id: ID!) {\n    bulkOperation(id: $id) {\n      id\n      status\n      errorCode\n      objectCount\n      url\n      partialDataUrl\n    }\n  }": {return: NudgeOrderHistoryExportStatusQuery, variables: NudgeOrderHistoryExportStatusQueryVariables},
  "#graphql\n  query nudgeSegments($first: Int!) {\n    segments(first: $first, sortKey: LAST_EDIT_DATE, reverse: true) {\n      nodes { id name }\n    }\n  }": {return: NudgeSegmentsQuery, variables: NudgeSegmentsQueryVariables},
  "#graphql\n  query nudgeSegment($id: ID!) {\n    segment(id: $id) { id name }\n  }": {return: NudgeSegmentQuery, variables: NudgeSegmentQueryVariables},
  "#graphql\n  query nudgeSegmentMembers($segmentId: ID!, $first: Int!, $after: String) {\n    customerSegmentMembers(segmentId: $segmentId, first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          defaultPhoneNumber { phoneNumber marketingState }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }": {return: NudgeSegmentMembersQuery, variables: NudgeSegmentMembersQueryVariables},
  "#graphql\n  query nudgeShopDetails {\n    shop {\n      name\n      currencyCode\n      ianaTimezone\n      contactEmail\n      shopAddress { countryCodeV2 }\n    }\n  }": {return: NudgeShopDetailsQuery, variables: NudgeShopDetailsQueryVariables},
  "#graphql\n  query nudgeWebPixel {\n    webPixel { id settings }\n  }": {return: NudgeWebPixelQuery, variables: NudgeWebPixelQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation nudgeUsageRecord($subscriptionLineItemId: ID!, $price: MoneyInput!, $description: String!, $idempotencyKey: String) {\n    appUsageRecordCreate(subscriptionLineItemId: $subscriptionLineItemId, price: $price, description: $description, idempotencyKey: $idempotencyKey) {\n      appUsageRecord {\n        id\n        subscriptionLineItem {\n          plan {\n            pricingDetails {\n              ... on AppUsagePricing {\n                balanceUsed { amount }\n                cappedAmount { amount }\n              }\n            }\n          }\n        }\n      }\n      userErrors { field message }\n    }\n  }": {return: NudgeUsageRecordMutation, variables: NudgeUsageRecordMutationVariables},
  "#graphql\n  mutation nudgeSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {\n    customerSmsMarketingConsentUpdate(input: $input) {\n      customer { id }\n      userErrors { field message }\n    }\n  }": {return: NudgeSmsConsentMutation, variables: NudgeSmsConsentMutationVariables},
  "#graphql\n  mutation nudgeDiscount($basicCodeDiscount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {\n      codeDiscountNode { id }\n      userErrors { field code message }\n    }\n  }": {return: NudgeDiscountMutation, variables: NudgeDiscountMutationVariables},
  "#graphql\n  mutation nudgeDiscountCodesAdd($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {\n    discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {\n      bulkCreation { id }\n      userErrors { field code message }\n    }\n  }": {return: NudgeDiscountCodesAddMutation, variables: NudgeDiscountCodesAddMutationVariables},
  "#graphql\n  mutation nudgeOrderHistoryExport($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation { id status }\n      userErrors { field message }\n    }\n  }": {return: NudgeOrderHistoryExportMutation, variables: NudgeOrderHistoryExportMutationVariables},
  "#graphql\n  mutation nudgeWebPixelCreate($webPixel: WebPixelInput!) {\n    webPixelCreate(webPixel: $webPixel) {\n      webPixel { id settings }\n      userErrors { field code message }\n    }\n  }": {return: NudgeWebPixelCreateMutation, variables: NudgeWebPixelCreateMutationVariables},
  "#graphql\n  mutation nudgeWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {\n    webPixelUpdate(id: $id, webPixel: $webPixel) {\n      webPixel { id settings }\n      userErrors { field code message }\n    }\n  }": {return: NudgeWebPixelUpdateMutation, variables: NudgeWebPixelUpdateMutationVariables},
  "#graphql\n  mutation nudgeWebPixelDelete($id: ID!) {\n    webPixelDelete(id: $id) {\n      deletedWebPixelId\n      userErrors { field code message }\n    }\n  }": {return: NudgeWebPixelDeleteMutation, variables: NudgeWebPixelDeleteMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
