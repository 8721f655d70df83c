import { vi } from "vitest";

// Every webhook route's edge, wrapped for tests: after a 200 the webhook's shop's inbox is
// drained before the route returns (tests/support/webhook-inbox.ts says why).
vi.mock("~/webhooks/handle-request.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/webhooks/handle-request.server")>();
  const { drainStep, drainWebhooks } = await import("../support/webhook-inbox");
  return {
    ...actual,
    handleWebhookRequest: async (...args: Parameters<typeof actual.handleWebhookRequest>) => {
      const shop = args[0].headers.get("x-shopify-shop-domain");
      const response = await actual.handleWebhookRequest(...args);
      if (response.status === 200 && shop && drainStep.enabled) await drainWebhooks({ shop });
      return response;
    },
  };
});
