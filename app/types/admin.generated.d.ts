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
  "#graphql\n  query nudgeOrderHistoryCount($query: String!) {\n    ordersCount(query: $query, limit: null) {\n      count\n      precision\n    }\n  }": {return: NudgeOrderHistoryCountQuery, variables: NudgeOrderHistoryCountQueryVariables},
  "#graphql\n  query nudgeOrderHistoryExportStatus($id: ID!) {\n    bulkOperation(id: $id) {\n      id\n      status\n      errorCode\n      objectCount\n      url\n      partialDataUrl\n    }\n  }": {return: NudgeOrderHistoryExportStatusQuery, variables: NudgeOrderHistoryExportStatusQueryVariables},
  "#graphql\n  query nudgeSegments($first: Int!) {\n    segments(first: $first, sortKey: LAST_EDIT_DATE, reverse: true) {\n      nodes { id name }\n    }\n  }": {return: NudgeSegmentsQuery, variables: NudgeSegmentsQueryVariables},
  "#graphql\n  query nudgeSegment($id: ID!) {\n    segment(id: $id) { id name }\n  }": {return: NudgeSegmentQuery, variables: NudgeSegmentQueryVariables},
  "#graphql\n  query nudgeSegmentMembers($segmentId: ID!, $first: Int!, $after: String) {\n    customerSegmentMembers(segmentId: $segmentId, first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          defaultPhoneNumber { phoneNumber marketingState }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }": {return: NudgeSegmentMembersQuery, variables: NudgeSegmentMembersQueryVariables},
  "#graphql\n  query nudgeShopDetails {\n    shop {\n      name\n      currencyCode\n      ianaTimezone\n      contactEmail\n      shopAddress { countryCodeV2 }\n    }\n  }": {return: NudgeShopDetailsQuery, variables: NudgeShopDetailsQueryVariables},
  "#graphql\n  query nudgeWebPixel {\n    webPixel { id settings }\n  }": {return: NudgeWebPixelQuery, variables: NudgeWebPixelQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation nudgeSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {\n    customerSmsMarketingConsentUpdate(input: $input) {\n      customer { id }\n      userErrors { field message }\n    }\n  }": {return: NudgeSmsConsentMutation, variables: NudgeSmsConsentMutationVariables},
  "#graphql\n  mutation nudgeDiscount($basicCodeDiscount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {\n      codeDiscountNode { id }\n      userErrors { field code message }\n    }\n  }": {return: NudgeDiscountMutation, variables: NudgeDiscountMutationVariables},
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
