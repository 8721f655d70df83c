import { BlockStack, Box, Button, DatePicker, InlineGrid, InlineStack, OptionList, Popover, TextField, useBreakpoints } from "@shopify/polaris";
import { CalendarIcon } from "@shopify/polaris-icons";
import { useState } from "react";
import { addDays, isCalendarDay, type Day } from "~/dashboard/calendar-days";
import { MAX_PERIOD_DAYS, PRESETS, presetOf, presetPeriod } from "~/dashboard/period";
import { formatDay } from "~/dashboard/chart-labels";

/**
 * Shopify admin's date range picker (polaris.shopify.com/patterns/date-picking/date-range):
 * presets on the left; since/until fields and a calendar on the right; nothing changes until
 * Apply. Days are calendar days in the shop's zone, passed as YYYY-MM-DD strings.
 */
export function DateRangePicker({ from, to, today, onApply }: { from: Day; to: Day; today: Day; onApply(range: { from: Day; to: Day }): void }) {
  const { mdDown, lgUp } = useBreakpoints();
  const [active, setActive] = useState(false);
  const [draft, setDraft] = useState({ from, to });
  const [typed, setTyped] = useState({ from, to });
  const [month, setMonth] = useState(() => monthOf(lgUp ? addDays(to, -31) : to));
  const preset = presetOf({ from, to }, today);
  const draftPreset = presetOf(draft, today);
  const earliest = addDays(today, -(MAX_PERIOD_DAYS * 3));

  const open = () => {
    setDraft({ from, to });
    setTyped({ from, to });
    setMonth(monthOf(lgUp ? addDays(to, -31) : to));
    setActive(true);
  };
  const choose = (next: { from: Day; to: Day }) => {
    setDraft(next);
    setTyped(next);
    setMonth(monthOf(lgUp ? addDays(next.to, -31) : next.to));
  };
  // A typed day takes effect once it is a whole, valid day inside the calendar's limits.
  const type = (field: "from" | "to", value: string) => {
    setTyped((t) => ({ ...t, [field]: value }));
    if (!isCalendarDay(value) || value > today || value < earliest) return;
    const next = { ...draft, [field]: value };
    if (next.from > next.to) next[field === "from" ? "to" : "from"] = value;
    choose(next);
  };

  return (
    <Popover
      active={active}
      autofocusTarget="none"
      preferredAlignment="right"
      preferredPosition="below"
      fluidContent
      fullHeight
      onClose={() => setActive(false)}
      activator={
        <Button icon={CalendarIcon} onClick={() => (active ? setActive(false) : open())}>
          {preset ? preset.label : `${formatDay(from, { withYear: from.slice(0, 4) !== to.slice(0, 4) })} – ${formatDay(to, { withYear: true })}`}
        </Button>
      }
    >
      <Popover.Pane fixed>
        <InlineGrid columns={{ xs: "1fr", md: "max-content max-content" }} gap="0">
          <Box maxWidth={mdDown ? "516px" : "212px"} width={mdDown ? "100%" : "212px"} padding={{ xs: "500", md: "0" }} paddingBlockEnd={{ xs: "100", md: "0" }}>
            <OptionList
              options={PRESETS.map((p) => ({ value: String(p.days), label: p.label }))}
              selected={draftPreset ? [String(draftPreset.days)] : []}
              onChange={([days]) => {
                const period = presetPeriod(Number(days), today);
                choose({ from: period.from, to: period.to });
              }}
            />
          </Box>
          <Box padding="500" maxWidth={mdDown ? "320px" : "516px"}>
            <BlockStack gap="400">
              <InlineStack gap="200" wrap={false}>
                <div style={{ flexGrow: 1 }}>
                  <TextField label="Since" autoComplete="off" value={typed.from} onChange={(v) => type("from", v)} placeholder="YYYY-MM-DD" />
                </div>
                <div style={{ flexGrow: 1 }}>
                  <TextField label="Until" autoComplete="off" value={typed.to} onChange={(v) => type("to", v)} placeholder="YYYY-MM-DD" />
                </div>
              </InlineStack>
              <DatePicker
                month={month.month}
                year={month.year}
                multiMonth={lgUp}
                allowRange
                selected={{ start: localDate(draft.from), end: localDate(draft.to) }}
                disableDatesAfter={localDate(today)}
                disableDatesBefore={localDate(earliest)}
                onMonthChange={(m, y) => setMonth({ month: m, year: y })}
                onChange={({ start, end }) => {
                  const next = { from: dayOf(start), to: dayOf(end ?? start) };
                  setDraft(next);
                  setTyped(next);
                }}
              />
            </BlockStack>
          </Box>
        </InlineGrid>
      </Popover.Pane>
      <Popover.Pane fixed>
        <Box padding="400" borderBlockStartWidth="025" borderColor="border">
          <InlineStack align="end" gap="200">
            <Button onClick={() => setActive(false)}>Cancel</Button>
            <Button
              variant="primary"
              onClick={() => {
                setActive(false);
                onApply(draft);
              }}
            >
              Apply
            </Button>
          </InlineStack>
        </Box>
      </Popover.Pane>
    </Popover>
  );
}

// Polaris' DatePicker works in browser-local Dates; a Day maps to local midnight and back,
// so the browser's own zone never shifts a day.
function localDate(day: Day): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

function dayOf(date: Date): Day {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function monthOf(day: Day): { month: number; year: number } {
  return { month: Number(day.slice(5, 7)) - 1, year: Number(day.slice(0, 4)) };
}
