// Monitoring > Automatic Deployment Rule Runs: every rule run, newest first, filterable by
// state, with the focused run's log (what was selected, added, downloaded, deployed, or why
// not) and a link to the software update group it filled. Runs re-read as they change
// (RuleRunChanged). With no run focused, the newest one's log is shown.
import { useEffect, useState } from "react";
import { Dropdown, Field, Link, Option, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ErrorCircleRegular, InfoRegular, WarningRegular } from "@fluentui/react-icons";
import { call, subscribe, toApiFailure, type ApiFailure } from "../../../api";
import { useNavigateTo, useNodeParams } from "../../../app/navigate";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { emptySelection, type DataGridColumn } from "../../../components/DataGrid";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtc, formatUtcSeconds } from "../../../components/format";
import { useLinkedRow } from "../../../components/useLinkedRow";
import { ItemListPage, type ListPageParts } from "../../../components/ItemListPage";
import { PlainTable, type PlainColumn } from "../../../components/PlainTable";
import { refreshCommand } from "../../../components/rowCommands";
import { useListPage } from "../../../components/useListPage";
import { strings } from "./strings";
import type { AdrRunInfo, LogLevel, RuleRunLogEntry, RuleRunState } from "./types";

const r = strings.runs;

export const updateGroupsNode = { workspace: "library", node: "library.updateGroups" } as const;
const RUNS_LIMIT = 500;
const readRuns = () => call("list_adr_runs", { ruleId: null, limit: RUNS_LIMIT });
const STATES: readonly RuleRunState[] = ["Running", "Succeeded", "NothingSelected", "Failed"];

const useStyles = makeStyles({
  filter: { marginLeft: "auto", minWidth: "200px" },
  muted: { color: tokens.colorNeutralForeground3 },
  info: { color: tokens.colorBrandForeground1 },
  warning: { color: tokens.colorPaletteMarigoldForeground1 },
  error: { color: tokens.colorPaletteRedForeground1 },
  level: { display: "inline-flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  log: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

export const runColumns: readonly DataGridColumn<AdrRunInfo>[] = [
  { id: "rule", header: r.columns.rule, width: 220, render: (x) => x.ruleName, title: (x) => x.ruleName },
  { id: "trigger", header: r.columns.trigger, width: 140, render: (x) => strings.triggers[x.trigger] },
  { id: "state", header: r.columns.state, width: 130, render: (x) => strings.states[x.state] },
  { id: "started", header: r.columns.started, width: 150, render: (x) => formatUtc(x.startedUtc) },
  { id: "ended", header: r.columns.ended, width: 150, render: (x) => formatUtc(x.endedUtc) },
  { id: "selected", header: r.columns.selected, width: 90, align: "end", render: (x) => String(x.selected) },
  { id: "added", header: r.columns.added, width: 80, align: "end", render: (x) => String(x.added) },
  { id: "downloaded", header: r.columns.downloaded, width: 100, align: "end", render: (x) => String(x.downloaded) },
  { id: "deployments", header: r.columns.deployments, width: 110, align: "end", render: (x) => String(x.deployments) },
  { id: "error", header: r.columns.error, width: 300, render: (x) => x.error ?? "", title: (x) => x.error ?? undefined },
];

const logColumns: readonly PlainColumn<RuleRunLogEntry>[] = [
  { id: "level", header: r.details.logColumns.level, width: "140px", render: (e) => <LevelIcon level={e.level} /> },
  { id: "time", header: r.details.logColumns.time, width: "170px", render: (e) => formatUtcSeconds(e.atUtc) },
  { id: "message", header: r.details.logColumns.message, render: (e) => e.message },
];

function LevelIcon({ level }: { level: LogLevel }) {
  const styles = useStyles();
  const icon =
    level === "Error" ? <ErrorCircleRegular className={styles.error} /> : level === "Warning" ? <WarningRegular className={styles.warning} /> : <InfoRegular className={styles.info} />;
  return (
    <span className={styles.level} data-level={level}>
      {icon}
      {strings.levels[level]}
    </span>
  );
}

/** One run's log, with the group it filled. */
export function RunLog({ run }: { run: AdrRunInfo }) {
  const styles = useStyles();
  const navigateTo = useNavigateTo();
  const [log, setLog] = useState<RuleRunLogEntry[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);
  const d = r.details;

  useEffect(() => {
    let live = true;
    setFailure(null);
    call("get_adr_run_log", { id: run.runId }).then(
      (l) => live && setLog(l),
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
    // A running run's log grows: re-read when its state or counts change.
  }, [run.runId, run.state, run.added, run.deployments, attempt]);

  return (
    <div className={styles.log}>
      <Text>
        {run.updateGroupId !== null ? (
          <Link onClick={() => navigateTo(updateGroupsNode.workspace, updateGroupsNode.node)} data-testid="run-group-link">
            {d.showGroup(run.updateGroupId)}
          </Link>
        ) : (
          <span className={styles.muted}>{d.noGroup}</span>
        )}
      </Text>
      {run.error && <Text className={styles.failed}>{run.error}</Text>}
      {failure && <ErrorBar title={d.logFailed} message={failure.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />}
      {!log && !failure && <Text className={styles.muted}>{strings.loading}</Text>}
      {log && log.length === 0 && <Text className={styles.muted}>{d.logEmpty}</Text>}
      {log && log.length > 0 && (
        <PlainTable ariaLabel={d.logLabel} columns={logColumns} rows={log} rowKey={(_, i) => i} />
      )}
    </div>
  );
}

function RunDetails({ run }: { run: AdrRunInfo }) {
  return (
    <div>
      <Text weight="semibold" block>
        {`${run.ruleName} — ${strings.states[run.state]} — ${formatUtc(run.startedUtc)}`}
      </Text>
      <RunLog key={run.runId} run={run} />
    </div>
  );
}

const RUN_STATES: readonly RuleRunState[] = ["Running", "Succeeded", "NothingSelected", "Failed"];

function runState(text: string | undefined): RuleRunState | null {
  return RUN_STATES.find((s) => s === text) ?? null;
}

const runsList: ListPageParts<AdrRunInfo> = {
  texts: r,
  common: strings,
  columns: runColumns,
  details: { texts: r.details, height: "45%", tabs: [{ id: "log", label: r.details.log, render: (run) => <RunDetails run={run} /> }] },
};

export function AdrRunsPage({ initialState = null }: { initialState?: RuleRunState | null } = {}) {
  const styles = useStyles();
  const page = useListPage(readRuns);
  const { list, load } = page;
  // The overview's "rules that failed" link opens this page with ?state=Failed.
  const linked = useNodeParams().state;
  const [state, setState] = useState<RuleRunState | null>(initialState ?? runState(linked));
  const [filterChanges, setFilterChanges] = useState(0);

  useEffect(() => subscribe((event) => event.type === "ruleRunChanged" && load()), [load]);

  const rows = list ? list.filter((x) => state === null || x.state === state) : [];
  // Rows move as runs arrive: the focus follows the run, not the index.
  const [focusedId, setFocusedId] = useState<number | null>(null);
  const focused = rows.find((x) => x.runId === focusedId) ?? rows[0] ?? null;
  // An alert's link names the failed run.
  useLinkedRow(list ? rows : null, "run", (x) => x.runId, (selection, run) => {
    page.setSelection(selection);
    setFocusedId(run.runId);
  });

  const commands: Command[] = [refreshCommand(r.refresh, page)];

  return (
    <ItemListPage
      page={page}
      parts={runsList}
      commands={commands}
      detailsItem={focused}
      rows={rows}
      emptyText={state === null ? r.empty : r.filtered}
      version={page.version + filterChanges}
      onSelectionChange={(s) => {
        page.setSelection(s);
        const row = s.focus !== null ? rows[s.focus] : undefined;
        if (row) setFocusedId(row.runId);
      }}
      headingExtra={
        <Field className={styles.filter} label={r.stateFilter} orientation="horizontal">
          <Dropdown
            value={state === null ? r.allStates : strings.states[state]}
            selectedOptions={[state ?? "all"]}
            onOptionSelect={(_, d) => {
              setState(d.optionValue && d.optionValue !== "all" ? (d.optionValue as RuleRunState) : null);
              page.setSelection(emptySelection);
              setFilterChanges((v) => v + 1);
            }}
          >
            <Option value="all">{r.allStates}</Option>
            {STATES.map((s) => (
              <Option key={s} value={s}>
                {strings.states[s]}
              </Option>
            ))}
          </Dropdown>
        </Field>
      }
    />
  );
}
