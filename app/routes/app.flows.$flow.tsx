import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit, type ShouldRevalidateFunction } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { z } from "zod";
import { clock } from "~/clock.server";
import { FlowStepsCard } from "~/components/FlowStepsCard";
import { FlowTextsCard } from "~/components/FlowTextsCard";
import { SmsPreviewCard } from "~/components/SmsPreviewCard";
import { database } from "~/db.server";
import { EDITABLE_FLOWS, FLOW_LIST, hasWindow } from "~/flows/catalog";
import { readFormFields } from "~/lib/form-json";
import { log } from "~/lib/log.server";
import { fromEditorState, toEditorState } from "~/flows/editor-state";
import { FlowDraftSchema, validateFlowDraft, type FieldErrors } from "~/flows/flow-draft";
import { previewTemplate } from "~/messaging/preview";
import { NPS_QUESTION } from "~/messaging/templates";
import { AbScoreboardCard } from "~/components/ab-scoreboard-card";
import { flowScoreboard, promoteVariant } from "~/services/ab-scoreboard.server";
import { loadFlowDraft, saveFlowDraft } from "~/services/flow-settings.server";
import { authenticate } from "~/shopify.server";

function flowFrom(param: string | undefined) {
  const id = z.enum(EDITABLE_FLOWS).safeParse(param);
  if (!id.success) throw new Response("No such flow", { status: 404 });
  return FLOW_LIST.find((f) => f.id === id.data)!;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const flow = flowFrom(params.flow);
  const { prisma, sql } = await database();
  const [editor, scoreboard] = await Promise.all([loadFlowDraft(prisma, session.shop, flow.id), flowScoreboard(sql, session.shop, flow.id, clock.now())]);
  return { flow, ...editor, scoreboard };
};

const PromoteSchema = z.object({ intent: z.literal("promote"), variant: z.coerce.number().int().min(0).max(3), version: z.string().min(1) });
const SaveSchema = z.object({ intent: z.literal("save").optional(), draft: z.string(), version: z.string().min(1).optional() });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const flow = flowFrom(params.flow);
  const unreadable = () => Response.json({ ok: false, errors: { form: "The form could not be read. Reload the page and try again." } as FieldErrors }, { status: 400 });
  const fields = await readFormFields(request);
  const { prisma, sql } = await database();
  const deps = { prisma, sql, now: clock.now() };
  const promote = PromoteSchema.safeParse(fields ?? {});
  if (promote.success) {
    const result = await promoteVariant(deps, session.shop, flow.id, promote.data);
    return Response.json(result, { status: result.ok ? 200 : result.stale ? 409 : 422 });
  }
  const save = SaveSchema.safeParse(fields ?? {});
  const draft = save.success ? FlowDraftSchema.safeParse(parseJson(save.data.draft)) : null;
  if (!save.success || !draft?.success) {
    log.warn("unreadable flow form", { shop: session.shop, flow: flow.id });
    return unreadable();
  }
  const result = await saveFlowDraft(deps, session.shop, flow.id, draft.data, { expectedVersion: save.data.version });
  return Response.json(result, { status: result.ok ? 200 : result.stale ? 409 : 422 });
};

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/**
 * After a stale save (409) the page keeps what it loaded and what the merchant typed: reloading
 * the newer settings here would silently throw their edits away.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => ((actionResult as { stale?: boolean } | undefined)?.stale ? false : defaultShouldRevalidate);

type ActionResult = { ok: true; replan: { rescheduled: number; cancelled: number }; promoted?: string } | { ok: false; errors: FieldErrors; stale?: true };

export default function FlowEditor() {
  const data = useLoaderData<typeof loader>();
  // A new version (after a save or a promotion) starts the editor afresh from what is stored.
  return <FlowEditorForm key={data.version} data={data} />;
}

function FlowEditorForm({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { flow, draft, version, brandName, currency, segmentPrice, npsAfterDays, scoreboard } = data;
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") !== "promote";
  const promoting = navigation.state === "submitting" && navigation.formData?.get("intent") === "promote";
  const [state, setState] = useState(() => toEditorState(draft));
  const [active, setActive] = useState(0);
  const texts = useMemo(() => [state.template, ...state.variants], [state.template, state.variants]);
  const current = useMemo(() => fromEditorState(state, hasWindow(flow.id)), [state, flow.id]);
  // The same validation and compose code the server runs, live on each keystroke.
  const errors = useMemo(() => validateFlowDraft(flow.id, current, brandName), [current, flow.id, brandName]);
  const shown = result && !result.ok ? { ...result.errors, ...errors } : errors;
  const discount = current.steps[0]?.discountPercent;
  const preview = useMemo(
    () => previewTemplate(flow.id, texts[Math.min(active, texts.length - 1)]!, brandName, Number.isFinite(discount) ? (discount ?? null) : null, currency),
    [texts, active, brandName, discount, flow.id, currency],
  );
  const count = Object.keys(errors).length;

  return (
    <Page title={flow.name} subtitle={flow.when} backAction={{ content: "Flows", url: "/app/flows" }} secondaryActions={[{ content: "Try it in the simulator", url: "/app/flows/simulator" }]}>
      <Form method="post">
        <input type="hidden" name="draft" value={JSON.stringify(current)} />
        <input type="hidden" name="version" value={version} />
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result?.ok && result.promoted ? (
                <Banner tone="success" title={`Text ${result.promoted} is now this flow's only text.`}>
                  The A/B test has ended.
                </Banner>
              ) : result?.ok ? (
                <Banner tone="success" title="Flow saved.">
                  {result.replan.rescheduled + result.replan.cancelled > 0
                    ? `Pending texts now follow the new settings: ${result.replan.rescheduled} scheduled or moved, ${result.replan.cancelled} cancelled.`
                    : "No pending texts needed to change."}
                </Banner>
              ) : null}
              {shown.form ? <Banner tone="critical">{shown.form}</Banner> : null}
              <Card>
                <BlockStack gap="200">
                  <Checkbox
                    label="This flow is on"
                    checked={state.enabled}
                    onChange={(enabled) => setState({ ...state, enabled })}
                    helpText="Turning a flow off cancels its pending texts. Turning it on applies from the next sign-up, checkout or order."
                  />
                  {state.askNps !== undefined ? (
                    <Checkbox
                      label="Ask how likely they are to recommend you (NPS)"
                      checked={state.askNps}
                      disabled={!state.enabled}
                      onChange={(askNps) => setState({ ...state, askNps })}
                      helpText={`Its own text, ${npsAfterDays} days after the order: "${NPS_QUESTION.replace("{{shop_name}}", brandName)}". Answers fill the NPS card on the dashboard.`}
                    />
                  ) : null}
                </BlockStack>
              </Card>
              {scoreboard ? (
                <AbScoreboardCard scoreboard={scoreboard} promoting={promoting} onPromote={(variant) => submit({ intent: "promote", variant: String(variant), version }, { method: "post" })} />
              ) : null}
              <FlowStepsCard flow={flow.id} state={state} errors={shown} onChange={setState} />
              <FlowTextsCard
                texts={texts}
                active={Math.min(active, texts.length - 1)}
                errors={shown}
                onSelect={setActive}
                onChange={([template, ...variants]) => setState({ ...state, template: template!, variants })}
              />
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Control group
                  </Text>
                  <TextField
                    label="Shoppers held out of this flow"
                    type="number"
                    suffix="%"
                    value={state.holdoutPercent}
                    onChange={(holdoutPercent) => setState({ ...state, holdoutPercent })}
                    autoComplete="off"
                    error={shown.holdoutPercent}
                    helpText="They qualify but get no text, so the dashboard can show what the texts really add. 10% is a good start; 0 turns it off."
                  />
                </BlockStack>
              </Card>
              <InlineStack align="end" gap="200" blockAlign="center">
                {count > 0 ? <Text as="p" tone="critical">{`Fix ${count} problem${count === 1 ? "" : "s"} to save.`}</Text> : null}
                <Button submit variant="primary" loading={saving} disabled={count > 0}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <SmsPreviewCard title={texts.length > 1 ? `Preview of text ${"ABCD"[Math.min(active, texts.length - 1)]}` : "Preview"} preview={preview} segmentPrice={segmentPrice} />
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
