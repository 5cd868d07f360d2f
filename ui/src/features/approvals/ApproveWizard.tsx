// Approve Updates (APR-2), Intune style, in the console's one wizard frame (page list on
// the left, Previous / Next / Finish / Cancel): Select Groups → Deployment Action
// (approval and deadline per group) → Summary → Completion. Only Finish talks to the site;
// Cancel, at any page, sends nothing.
import { useEffect, useMemo, useState } from "react";
import {
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  shorthands,
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircleRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { WizardFrame } from "../../components/WizardFrame";
import { GroupTree } from "../groups/GroupTree";
import { useTargetGroups } from "../groups/useTargetGroups";
import {
  ACTIONS,
  DEADLINES,
  PAGES,
  canFinish,
  choiceOf,
  deadlineApplies,
  deadlineLabel,
  initialState,
  localInputToUtc,
  nextPage,
  pageProblems,
  previousPage,
  setChoice,
  sourceLabel,
  toApproveArgs,
  toggleGroup,
  type PageId,
  type WizardState,
} from "./model";
import { strings } from "./strings";
import type { ApprovalInfo, ApproveReport } from "./types";

const w = strings.wizard;

const useStyles = makeStyles({
  tree: {
    ...shorthands.border(tokens.strokeWidthThin, "solid", tokens.colorNeutralStroke2),
    padding: tokens.spacingVerticalXS,
    minHeight: "200px",
    overflow: "auto",
  },
  muted: { color: tokens.colorNeutralForeground3 },
  actionCell: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, paddingTop: "4px", paddingBottom: "4px" },
  done: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, fontSize: tokens.fontSizeBase400 },
  doneIcon: { color: tokens.colorPaletteGreenForeground1, fontSize: "24px" },
});

export interface ApproveWizardProps {
  updateIds: readonly string[];
  /** Titles of the updates when known (the summary lists the first few). */
  titles?: readonly string[];
  /** saved: Finish succeeded. */
  onClose(saved: boolean): void;
}

const formatDate = (d: Date) => formatUtc(d.toISOString());

export function ApproveWizard({ updateIds, titles = [], onClose }: ApproveWizardProps) {
  const styles = useStyles();
  const groups = useTargetGroups();
  const [state, setState] = useState<WizardState>(initialState);
  const [showProblems, setShowProblems] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [report, setReport] = useState<ApproveReport | null>(null);
  const current = useCurrentApprovals(updateIds.length === 1 ? updateIds[0] : null);
  const now = new Date();
  const groupName = (id: number) => groups.byId(id)?.path ?? String(id);
  const problems = pageProblems(state, state.page, now, groupName);
  const go = (page: PageId) => {
    setShowProblems(false);
    setState((s) => ({ ...s, page }));
  };

  const next = () => {
    if (problems.length > 0) {
      setShowProblems(true);
      return;
    }
    go(nextPage(state.page));
  };

  const finish = async () => {
    if (!canFinish(state, now, groupName)) {
      setShowProblems(true);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const r = await call("approve_updates", toApproveArgs(updateIds, state));
      setReport(r);
      go("completion");
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const completed = state.page === "completion";
  const close = () => onClose(completed);

  return (
    <WizardFrame
      title={w.title(updateIds.length)}
      pages={PAGES.map((p) => ({ id: p, label: w.pages[p] }))}
      current={state.page}
      heading={w.pages[state.page]}
      busy={busy}
      busyLabel={w.working}
      labels={{ pages: w.pagesLabel, previous: w.previous, next: w.next, finish: w.finish, cancel: w.cancel, close: w.close }}
      onPrevious={completed ? undefined : () => go(previousPage(state.page))}
      previousDisabled={state.page === "groups"}
      onNext={completed ? undefined : next}
      nextDisabled={state.page === "summary"}
      onFinish={completed ? undefined : finish}
      finishDisabled={state.page === "groups" || !canFinish(state, now, groupName)}
      primary={state.page === "summary" ? "finish" : "next"}
      onCancel={completed ? undefined : () => onClose(false)}
      onClose={completed ? close : undefined}
    >
      {showProblems && problems.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {problems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {failure && <ErrorBar title={w.failed} message={failure.message} />}
      {state.page === "groups" && (
        <>
          <Text>{w.groupsIntro}</Text>
          {groups.failure && (
            <ErrorBar title={w.groupsFailed} message={groups.failure.message} onRetry={groups.reload} retryLabel={strings.retry} />
          )}
          {groups.groups === null ? (
            <Spinner size="tiny" label={w.loadingGroups} />
          ) : (
            <div className={styles.tree}>
              <GroupTree
                ariaLabel={w.groupsLabel}
                tree={groups.tree}
                mode={{
                  kind: "check",
                  checked: new Set(state.groupIds),
                  onCheck: (id, checked) => setState((s) => toggleGroup(s, id, checked)),
                }}
                aside={(g) => {
                  const a = current.get(g.id);
                  return a ? `${strings.actions[a.action]} · ${sourceLabel(a)}` : null;
                }}
              />
            </div>
          )}
          <Text className={styles.muted} role="status">
            {w.selectedGroups(state.groupIds.length)}
          </Text>
        </>
      )}
      {state.page === "actions" && (
        <ActionsPage state={state} setState={setState} groupName={groupName} now={now} />
      )}
      {state.page === "summary" && (
        <SummaryPage state={state} updateIds={updateIds} titles={titles} groupName={groupName} now={now} />
      )}
      {completed && report && (
        <>
          <div className={styles.done}>
            <CheckmarkCircleRegular className={styles.doneIcon} aria-hidden />
            <Text weight="semibold">{w.done}</Text>
          </div>
          <Text role="status">{w.report(report.approvals, report.undeclined)}</Text>
        </>
      )}
    </WizardFrame>
  );
}

function useCurrentApprovals(updateId: string | null): Map<number, ApprovalInfo> {
  const [rows, setRows] = useState<ApprovalInfo[]>([]);
  useEffect(() => {
    if (updateId === null) return;
    let live = true;
    call("list_approvals", { updateId, groupId: null }).then(
      (list) => live && setRows(list),
      () => live && setRows([]), // context only: the wizard works without it
    );
    return () => {
      live = false;
    };
  }, [updateId]);
  return useMemo(() => new Map(rows.map((r) => [r.groupId, r])), [rows]);
}

function ActionsPage(props: {
  state: WizardState;
  setState(update: (s: WizardState) => WizardState): void;
  groupName(id: number): string;
  now: Date;
}) {
  const { state, setState, groupName, now } = props;
  const styles = useStyles();
  return (
    <>
      <Text>{w.actionsIntro}</Text>
      <Table size="small" aria-label={w.actionsLabel}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{w.group}</TableHeaderCell>
            <TableHeaderCell style={{ width: 200 }}>{w.approval}</TableHeaderCell>
            <TableHeaderCell style={{ width: 300 }}>{w.deadline}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {state.groupIds.map((id) => {
            const c = choiceOf(state, id);
            const name = groupName(id);
            const applies = deadlineApplies(c.action);
            const customUtc = c.deadline === "Custom" ? localInputToUtc(c.customLocal) : null;
            return (
              <TableRow key={id} data-group={name}>
                <TableCell>{name}</TableCell>
                <TableCell>
                  <Select
                    aria-label={`${w.approval}: ${name}`}
                    value={c.action}
                    title={strings.actionHints[c.action]}
                    onChange={(_, d) => setState((s) => setChoice(s, id, { action: d.value as typeof c.action }))}
                  >
                    {ACTIONS.map((a) => (
                      <option key={a} value={a}>
                        {strings.actions[a]}
                      </option>
                    ))}
                  </Select>
                </TableCell>
                <TableCell>
                  <div className={styles.actionCell}>
                    <Select
                      aria-label={`${w.deadline}: ${name}`}
                      value={applies ? c.deadline : "None"}
                      disabled={!applies}
                      onChange={(_, d) => setState((s) => setChoice(s, id, { deadline: d.value as typeof c.deadline }))}
                    >
                      {applies ? (
                        DEADLINES.map((p) => (
                          <option key={p} value={p}>
                            {deadlineLabel(p, now, formatDate)}
                          </option>
                        ))
                      ) : (
                        <option value="None">{w.deadlineNotApplicable}</option>
                      )}
                    </Select>
                    {applies && c.deadline === "Custom" && (
                      <Field hint={customUtc ? `UTC ${customUtc}` : undefined}>
                        <Input
                          type="datetime-local"
                          aria-label={w.customDeadline(name)}
                          value={c.customLocal}
                          onChange={(_, d) => setState((s) => setChoice(s, id, { customLocal: d.value }))}
                        />
                      </Field>
                    )}
                  </div>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </>
  );
}

function SummaryPage(props: {
  state: WizardState;
  updateIds: readonly string[];
  titles: readonly string[];
  groupName(id: number): string;
  now: Date;
}) {
  const { state, updateIds, titles, groupName, now } = props;
  const styles = useStyles();
  const shown = titles.slice(0, 5);
  return (
    <>
      <Text>{w.summaryIntro}</Text>
      <Text weight="semibold">{w.summaryUpdates(updateIds.length)}</Text>
      {shown.length > 0 && (
        <ul>
          {shown.map((t) => (
            <li key={t}>{t}</li>
          ))}
          {titles.length > shown.length && <li className={styles.muted}>…</li>}
        </ul>
      )}
      <Table size="small" aria-label={w.pages.summary}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{w.group}</TableHeaderCell>
            <TableHeaderCell>{w.approval}</TableHeaderCell>
            <TableHeaderCell>{w.deadline}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {state.groupIds.map((id) => {
            const c = choiceOf(state, id);
            const deadline = !deadlineApplies(c.action)
              ? w.deadlineNotApplicable
              : c.deadline === "Custom"
                ? formatUtc(localInputToUtc(c.customLocal))
                : deadlineLabel(c.deadline, now, formatDate);
            return (
              <TableRow key={id}>
                <TableCell>{groupName(id)}</TableCell>
                <TableCell>{strings.actions[c.action]}</TableCell>
                <TableCell>{deadline}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </>
  );
}
