// What a servicing run shows (its updates with their states, its servicing log and DISM's
// log), shared by Monitoring › Offline Servicing and an image's Servicing tab.
import { Text } from "@fluentui/react-components";
import { call } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes, formatUtcSeconds } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../components/PlainTable";
import { useLoad } from "../../components/useLoad";
import { scheduleStrings as s, servicingStrings as v } from "./scheduleStrings";
import type { ServicingRun, ServicingRunLog } from "./types";

type RunUpdate = ServicingRun["updates"][number];
type LogLine = ServicingRunLog["lines"][number];

const updateColumns: PlainColumn<RunUpdate>[] = [
  { id: "kb", header: v.updateColumns.kb, width: "100px", render: (u) => u.kb },
  { id: "title", header: v.updateColumns.title, render: (u) => u.title, title: (u) => u.title },
  { id: "state", header: v.updateColumns.state, width: "100px", render: (u) => s.updateStates[u.state] },
  { id: "detail", header: v.updateColumns.detail, render: (u) => u.detail, title: (u) => u.detail || undefined },
];

const logColumns: PlainColumn<LogLine>[] = [
  { id: "time", header: v.logColumns.time, width: "170px", render: (l) => formatUtcSeconds(l.atUtc) },
  { id: "line", header: v.logColumns.line, render: (l) => l.line, title: (l) => l.line },
];

export function RunUpdates({ run }: { run: ServicingRun }) {
  const sizes =
    run.bytesBefore !== null && run.bytesCommitted !== null && run.bytesAfter !== null
      ? v.details.sizes(formatBytes(run.bytesBefore), formatBytes(run.bytesCommitted), formatBytes(run.bytesAfter))
      : null;
  return (
    <>
      <Text block data-testid="servicing-run-state">{`${run.imageName} — ${s.states[run.state]}${run.detail ? `: ${run.detail}` : ""}`}</Text>
      {sizes && <MutedText>{sizes}</MutedText>}
      <PlainTable ariaLabel={v.details.updates} columns={updateColumns} rows={run.updates} rowKey={(u) => u.updateId} rowData={(u) => ({ "data-state": u.state })} size="small" />
    </>
  );
}

/** The run's servicing log or DISM's, re-read as the run changes. */
export function RunLog({ run, source }: { run: ServicingRun; source: LogLine["source"] }) {
  const loaded = useLoad<ServicingRunLog>(() => call("get_servicing_log", { id: run.id }), `${run.id}|${run.state}|${run.bytesCommitted ?? ""}`);
  if (loaded.failure) return <ErrorBar title={v.details.logFailed} message={loaded.failure.message} onRetry={loaded.reload} retryLabel={v.retry} />;
  if (!loaded.value) return <MutedText>{v.loading}</MutedText>;
  const lines = loaded.value.lines.filter((l) => l.source === source);
  return lines.length ? (
    <PlainTable ariaLabel={source === "Dism" ? v.details.dism : v.details.log} columns={logColumns} rows={lines} rowKey={(_, i) => i} size="extra-small" />
  ) : (
    <MutedText>{v.details.logEmpty}</MutedText>
  );
}
