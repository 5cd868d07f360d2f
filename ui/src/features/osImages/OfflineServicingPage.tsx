// Monitoring › Offline Servicing (SRV-4..6): every servicing run, newest first, with its
// Scheduled Updates Date and Status; the focused run's updates, servicing log and DISM log.
// Runs re-read as they progress (the site's servicing-<id> progress events). Cancel
// Scheduled Updates on a scheduled or running run; Servicing Settings (drive, DISM's path).
import { useEffect } from "react";
import { DismissCircleRegular, SettingsRegular } from "@fluentui/react-icons";
import { call, subscribe } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../components/ConfirmDialog";
import type { DataGridColumn } from "../../components/DataGrid";
import { formatUtc } from "../../components/format";
import { ItemListPage, type ListPageParts } from "../../components/ItemListPage";
import { refreshCommand, rowCommand } from "../../components/rowCommands";
import { useLinkedRow } from "../../components/useLinkedRow";
import { useListPage } from "../../components/useListPage";
import { useOverlay } from "../../components/useOverlay";
import { scheduleStrings as s, servicingStrings as v, settingsStrings } from "./scheduleStrings";
import { ServicingSettingsDialog } from "./ServicingSettingsDialog";
import { RunLog, RunUpdates } from "./ServicingViews";
import type { ServicingRun } from "./types";

const c = v.columns;

export const runColumns: readonly DataGridColumn<ServicingRun>[] = [
  { id: "image", header: c.image, width: 200, render: (r) => r.imageName, title: (r) => r.imageName },
  { id: "scheduled", header: c.scheduled, width: 170, render: (r) => formatUtc(r.scheduledUtc), title: (r) => r.scheduledUtc },
  { id: "state", header: c.state, width: 170, render: (r) => s.states[r.state] },
  { id: "started", header: c.started, width: 150, render: (r) => formatUtc(r.startedUtc) },
  { id: "finished", header: c.finished, width: 150, render: (r) => formatUtc(r.finishedUtc) },
  { id: "updates", header: c.updates, width: 80, align: "end", render: (r) => String(r.updates.length) },
  { id: "by", header: c.by, width: 120, render: (r) => r.createdBy },
  { id: "detail", header: c.detail, width: 320, render: (r) => r.detail, title: (r) => r.detail || undefined },
];

const parts: ListPageParts<ServicingRun> = {
  texts: v,
  common: v,
  columns: runColumns,
  details: {
    texts: v.details,
    height: "45%",
    tabs: [
      { id: "updates", label: v.details.updates, render: (run) => <RunUpdates run={run} /> },
      { id: "log", label: v.details.log, render: (run) => <RunLog key={`s${run.id}`} run={run} source="Servicing" /> },
      { id: "dism", label: v.details.dism, render: (run) => <RunLog key={`d${run.id}`} run={run} source="Dism" /> },
    ],
  },
};

export const isPending = (r: { state: ServicingRun["state"] }) => r.state === "Scheduled" || r.state === "InProgress";

export function OfflineServicingPage() {
  const page = useListPage(() => call("list_servicing_runs", { imageId: null }));
  const { load } = page;
  // An image's Properties › Servicing opens its run here by "?run=".
  useLinkedRow(page.list, "run", (r) => r.id, (selection) => page.setSelection(selection));
  useEffect(() => subscribe((event) => event.type === "progress" && event.job.startsWith("servicing-") && load()), [load]);
  const cancelling = useConfirmedRowAction(page, { yes: "Yes", no: "No" }, (run: ServicingRun) => ({
    title: s.cancelTitle,
    question: s.cancelQuestion(run.imageName),
    failureTitle: v.actionFailed,
    run: () => call("cancel_os_image_updates", { id: run.id }),
  }));
  const settings = useOverlay(page.load);
  const commands: Command[] = [
    refreshCommand(v.refresh, page),
    { id: "settings", label: settingsStrings.command, icon: <SettingsRegular />, needs: "set_servicing_settings", group: "settings", run: () => settings.open(true) },
    rowCommand(page, {
      id: "cancel",
      label: s.cancelCommand,
      icon: <DismissCircleRegular />,
      needs: "cancel_os_image_updates",
      group: "run",
      idle: true,
      allows: isPending,
      run: cancelling.ask,
    }),
  ];
  return (
    <ItemListPage
      page={page}
      parts={parts}
      commands={commands}
      overlays={
        <>
          {cancelling.dialog}
          {settings.value && <ServicingSettingsDialog onClose={(saved) => settings.close(saved)} />}
        </>
      }
    />
  );
}
