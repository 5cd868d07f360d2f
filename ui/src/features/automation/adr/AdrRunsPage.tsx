// Monitoring > Automatic Deployment Rule Runs: every rule run, newest first, filterable by
// state, with the focused run's log (what was selected, added, downloaded, deployed, or why
// not) and a link to the software update group it filled. Runs re-read as they change
// (RuleRunChanged). With no run focused, the newest one's log is shown.
import { useCallback, useEffect, useState } from "react";
import {
  Dropdown,
  Field,
  Link,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular, ErrorCircleRegular, InfoRegular, WarningRegular } from "@fluentui/react-icons";
import { call, subscribe, toApiFailure, type ApiFailure } from "../../../api";
import { useNavigateTo, useNodeParams } from "../../../app/navigate";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { DataGrid, emptySelection, type DataGridColumn, type Selection } from "../../../components/DataGrid";
import { DetailsPane } from "../../../components/DetailsPane";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtc, formatUtcSeconds } from "../../../components/format";
import { ListPage } from "../../../components/ListPage";
import { strings } from "./strings";
import type { AdrRunInfo, LogLevel, RuleRunLogEntry, RuleRunState } from "./types";

const r = strings.runs;

export const updateGroupsNode = { workspace: "library", node: "library.updateGroups" } as const;
const RUNS_LIMIT = 500;
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
        <Table size="extra-small" aria-label={d.logLabel}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: "140px" }}>{d.logColumns.level}</TableHeaderCell>
              <TableHeaderCell style={{ width: "170px" }}>{d.logColumns.time}</TableHeaderCell>
              <TableHeaderCell>{d.logColumns.message}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {log.map((e, i) => (
              <TableRow key={i}>
                <TableCell>
                  <LevelIcon level={e.level} />
                </TableCell>
                <TableCell>{formatUtcSeconds(e.atUtc)}</TableCell>
                <TableCell>{e.message}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

const RUN_STATES: readonly RuleRunState[] = ["Running", "Succeeded", "NothingSelected", "Failed"];

function runState(text: string | undefined): RuleRunState | null {
  return RUN_STATES.find((s) => s === text) ?? null;
}

export function AdrRunsPage({ initialState = null }: { initialState?: RuleRunState | null } = {}) {
  const styles = useStyles();
  const [all, setAll] = useState<AdrRunInfo[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  // The overview's "rules that failed" link opens this page with ?state=Failed.
  const linked = useNodeParams().state;
  const [state, setState] = useState<RuleRunState | null>(initialState ?? runState(linked));
  const [version, setVersion] = useState(0);

  const load = useCallback(() => {
    call("list_adr_runs", { ruleId: null, limit: RUNS_LIMIT }).then(
      (l) => {
        setAll(l);
        setVersion((v) => v + 1);
        setFailure(null);
      },
      (e: unknown) => setFailure(toApiFailure(e)),
    );
  }, []);

  useEffect(load, [load]);
  useEffect(() => subscribe((event) => event.type === "ruleRunChanged" && load()), [load]);

  const rows = all ? all.filter((x) => state === null || x.state === state) : [];
  // Rows move as runs arrive: the focus follows the run, not the index.
  const [focusedId, setFocusedId] = useState<number | null>(null);
  const focused = rows.find((x) => x.runId === focusedId) ?? rows[0] ?? null;

  const commands: Command[] = [{ id: "refresh", label: r.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: load }];

  return (
    <ListPage
      commandsLabel={r.commandsLabel}
      commands={commands}
      title={r.title}
      count={all ? r.items(rows.length) : strings.loading}
      headingExtra={
        <Field className={styles.filter} label={r.stateFilter} orientation="horizontal">
          <Dropdown
            value={state === null ? r.allStates : strings.states[state]}
            selectedOptions={[state ?? "all"]}
            onOptionSelect={(_, d) => {
              setState(d.optionValue && d.optionValue !== "all" ? (d.optionValue as RuleRunState) : null);
              setSelection(emptySelection);
              setVersion((v) => v + 1);
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
      loadFailure={failure && { title: r.loadFailed, message: failure.message, onRetry: load, retryLabel: strings.retry }}
      details={
        <DetailsPane
          ariaLabel={r.details.label}
          height="45%"
          tabs={[
            {
              id: "log",
              label: r.details.log,
              render: () =>
                focused ? (
                  <div>
                    <Text weight="semibold" block>
                      {`${focused.ruleName} — ${strings.states[focused.state]} — ${formatUtc(focused.startedUtc)}`}
                    </Text>
                    <RunLog key={focused.runId} run={focused} />
                  </div>
                ) : (
                  <Text className={styles.muted}>{r.details.nothingSelected}</Text>
                ),
            },
          ]}
        />
      }
    >
      <DataGrid<AdrRunInfo>
        ariaLabel={r.gridLabel}
        columns={runColumns}
        rowCount={rows.length}
        getRow={(i) => rows[i]}
        selection={selection}
        onSelectionChange={(s) => {
          setSelection(s);
          const row = s.focus !== null ? rows[s.focus] : undefined;
          if (row) setFocusedId(row.runId);
        }}
        emptyText={all ? (state === null ? r.empty : r.filtered) : undefined}
        loadingText={strings.loading}
        version={version}
      />
    </ListPage>
  );
}
