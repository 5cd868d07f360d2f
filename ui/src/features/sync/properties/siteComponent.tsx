// The Software Update Point as a row of Administration > Sites > Site Components, and its
// summary in the details pane.
import type { SyncSettings } from "../../../api";
import type { DataGridColumn } from "../../../components/DataGrid";
import { PropertyList } from "../../../components/PropertyList";
import { languageNames } from "../languages";
import { describeSchedule, localEquivalent } from "../schedule";
import { strings } from "../strings";

export interface SiteComponentRow {
  name: string;
  siteName: string;
  settings: SyncSettings;
}

const c = strings.sites.columns;

function upstreamOf(s: SyncSettings): string {
  return s.source === "MicrosoftUpdate" ? strings.source.MicrosoftUpdate : s.upstreamUrl;
}

function classificationsOf(s: SyncSettings): string {
  return s.classificationIds.length === 0 ? strings.sites.allClassifications : String(s.classificationIds.length);
}

export function scheduleText(s: SyncSettings, now = new Date()): string {
  const local = localEquivalent(s.schedule, now);
  const text = describeSchedule(s.schedule);
  return local ? `${text} (${local})` : text;
}

export const supColumns: readonly DataGridColumn<SiteComponentRow>[] = [
  { id: "component", header: c.component, width: 200, render: (r) => r.name },
  { id: "source", header: c.source, width: 180, render: (r) => strings.source[r.settings.source] },
  { id: "upstream", header: c.upstream, width: 240, render: (r) => upstreamOf(r.settings), title: (r) => upstreamOf(r.settings) },
  { id: "products", header: c.products, width: 90, align: "end", render: (r) => String(r.settings.productIds.length) },
  { id: "classifications", header: c.classifications, width: 120, align: "end", render: (r) => classificationsOf(r.settings) },
  { id: "languages", header: c.languages, width: 140, render: (r) => languageNames(r.settings.languages) },
  { id: "schedule", header: c.schedule, width: 360, render: (r) => scheduleText(r.settings), title: (r) => scheduleText(r.settings) },
];

export function SupSummary({ row }: { row: SiteComponentRow }) {
  const s = row.settings;
  return (
    <PropertyList
      ariaLabel={row.name}
      items={[
        { label: c.component, value: `${row.name} (${row.siteName})` },
        { label: c.source, value: strings.source[s.source] },
        { label: c.upstream, value: upstreamOf(s) },
        { label: c.products, value: String(s.productIds.length) },
        { label: c.classifications, value: classificationsOf(s) },
        { label: c.languages, value: languageNames(s.languages) },
        { label: c.schedule, value: scheduleText(s) },
      ]}
    />
  );
}
