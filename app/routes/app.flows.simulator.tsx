import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, DataTable, InlineGrid, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { clock } from "~/clock.server";
import { ScenarioStepsEditor } from "~/components/ScenarioStepsEditor";
import { database } from "~/db.server";
import { fieldErrorsFrom } from "~/lib/form-errors";
import { readJsonField } from "~/lib/form-json";
import { runSimulator, type SimulatorRun } from "~/services/journey-simulator.server";
import { authenticate } from "~/shopify.server";
import { describeRow } from "~/simulator/describe";
import { PRESET_SCENARIOS, ScenarioSchema, type Scenario } from "~/simulator/scenarios";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { presets: PRESET_SCENARIOS };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const scenario = ScenarioSchema.safeParse(await readJsonField(request, "scenario"));
  if (!scenario.success) {
    return Response.json({ ok: false, errors: fieldErrorsFrom(scenario.error) } satisfies SimulatorRun, { status: 422 });
  }
  const run = await runSimulator((await database()).prisma, session.shop, scenario.data, clock.now());
  return Response.json(run, { status: run.ok ? 200 : 422 });
};

const timeIn = (zone: string) => (at: number) => new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }).format(at);

export default function Simulator() {
  const { presets } = useLoaderData<typeof loader>();
  const run = useActionData<SimulatorRun>();
  const running = useNavigation().state === "submitting";
  const [presetId, setPresetId] = useState(presets[0]!.id);
  const [scenario, setScenario] = useState<Scenario>(presets[0]!.scenario);
  const errors = run && !run.ok ? run.errors : {};

  return (
    <Page title="Journey simulator" subtitle="Play a shopper's story through your flows and rules, without sending anything." backAction={{ content: "Flows", url: "/app/flows" }}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <input type="hidden" name="scenario" value={JSON.stringify(scenario)} />
            <Card>
              <BlockStack gap="400">
                <Select
                  label="Start from a story"
                  options={presets.map((p) => ({ label: p.name, value: p.id }))}
                  value={presetId}
                  onChange={(id) => {
                    setPresetId(id);
                    setScenario(presets.find((p) => p.id === id)!.scenario);
                  }}
                />
                <InlineGrid columns={2} gap="300">
                  <TextField
                    label="Shopper's phone"
                    value={scenario.phone}
                    onChange={(phone) => setScenario({ ...scenario, phone })}
                    autoComplete="off"
                    helpText="Its country and area code set the time zone, quiet hours and carrier rules."
                    error={errors.phone}
                  />
                  <TextField
                    label="Starts at (shopper's local time, tomorrow)"
                    value={scenario.startTime}
                    onChange={(startTime) => setScenario({ ...scenario, startTime })}
                    autoComplete="off"
                    error={errors.startTime}
                  />
                </InlineGrid>
                <ScenarioStepsEditor steps={scenario.steps} errors={errors} onChange={(steps) => setScenario({ ...scenario, steps })} />
                <Checkbox
                  label="This shopper is in the control group"
                  checked={scenario.inControlGroup}
                  onChange={(inControlGroup) => setScenario({ ...scenario, inControlGroup })}
                  helpText="Control-group shoppers qualify for texts but don't get them, so the dashboard can measure lift."
                />
                {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
                <InlineStack align="end">
                  <Button submit variant="primary" loading={running}>
                    Run simulation
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Form>
        </Layout.Section>
        <Layout.Section>{run?.ok ? <SimulationReport run={run} /> : null}</Layout.Section>
      </Layout>
    </Page>
  );
}

function SimulationReport({ run }: { run: Extract<SimulatorRun, { ok: true }> }) {
  const shopperTime = timeIn(run.shopperZone);
  const storeTime = timeIn(run.shopZone);
  const rows = run.result.timeline.map((row) => describeRow(row, shopperTime));
  const sent = rows.filter((r) => r.outcome.startsWith("Sent")).length;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          What would happen
        </Text>
        <Text as="p" tone="subdued">
          <span data-testid="simulation-summary">{`${sent} text${sent === 1 ? "" : "s"} sent. Shopper in ${run.shopperZone}${run.region ? ` (${run.region})` : ""}; texts only ${run.window.startHour}:00–${run.window.endHour}:00 their time.`}</span>
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "text", "text"]}
          headings={["Shopper's time", "Your store's time", "Outcome", "What happens"]}
          rows={rows.map((r) => [
            shopperTime(r.at),
            storeTime(r.at),
            <Badge key="o" tone={r.tone}>
              {r.outcome}
            </Badge>,
            <BlockStack key="w" gap="100">
              <Text as="span">{r.what}</Text>
              {r.body ? (
                <Box background="bg-fill-info-secondary" padding="200" borderRadius="200" maxWidth="420px">
                  <p style={{ whiteSpace: "pre-wrap", margin: 0 }}>{r.body}</p>
                </Box>
              ) : null}
            </BlockStack>,
          ])}
        />
        {run.result.notes.length > 0 ? (
          <List>
            {run.result.notes.map((note) => (
              <List.Item key={note}>{note}</List.Item>
            ))}
          </List>
        ) : null}
        {run.result.pending.length > 0 ? <Text as="p" tone="subdued">{`${run.result.pending.length} more text(s) still planned after the simulated period.`}</Text> : null}
      </BlockStack>
    </Card>
  );
}
