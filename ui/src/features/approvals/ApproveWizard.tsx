// Approve Updates (APR-2), Intune style, in the console's wizard: Select Groups → Deployment
// Action (approval and deadline per group) → Summary → Progress → Completion. Finish, from
// Deployment Action on, saves the approvals; Cancel, at any page, sends nothing.
import { useEffect, useMemo, useState } from "react";
import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { call } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { WizardFrame, type WizardPage } from "../../components/WizardFrame";
import { useTargetGroups } from "../groups/useTargetGroups";
import { INPUT_PAGES, choiceOf, initialState, pageProblems, toApproveArgs, type InputPage, type WizardState } from "./model";
import { DeploymentActionPage, Saved, SelectGroupsPage, deadlineText } from "./pages";
import { strings } from "./strings";
import type { ApprovalInfo, ApproveReport } from "./types";

const w = strings.wizard;

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
});

export interface ApproveWizardProps {
  updateIds: readonly string[];
  /** Titles of the updates when known (the summary lists the first few). */
  titles?: readonly string[];
  /** saved: Finish succeeded. */
  onClose(saved: boolean): void;
}

export function ApproveWizard({ updateIds, titles = [], onClose }: ApproveWizardProps) {
  const styles = useStyles();
  const groups = useTargetGroups();
  const [state, setState] = useState<WizardState>(initialState);
  const current = useCurrentApprovals(updateIds.length === 1 ? updateIds[0] : null);
  const now = new Date();
  const groupName = (id: number) => groups.byId(id)?.path ?? String(id);
  const shown = titles.slice(0, 5);

  const page = (id: InputPage): WizardPage => ({
    id,
    label: w.pages[id],
    heading: w.pages[id],
    render: () =>
      id === "groups" ? (
        <SelectGroupsPage state={state} setState={setState} groups={groups} current={current} />
      ) : (
        <DeploymentActionPage state={state} setState={setState} groupName={groupName} now={now} />
      ),
    validate: () => pageProblems(state, id, new Date(), groupName).map((message) => ({ field: "", message })),
    // Each group with its approval and deadline (the groups page adds nothing of its own).
    summary: () =>
      id === "actions"
        ? state.groupIds.map((g) => ({ label: groupName(g), value: w.summaryChoice(strings.actions[choiceOf(state, g).action], deadlineText(state, g, now)) }))
        : [],
  });

  return (
    <WizardFrame<ApproveReport>
      title={w.title(updateIds.length)}
      texts={{ ...w.bar, pages: w.pages }}
      pages={INPUT_PAGES.map(page)}
      value={state}
      finishEarly
      summary={{
        heading: w.pages.summary,
        before: (
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
          </>
        ),
      }}
      run={() => call("approve_updates", toApproveArgs(updateIds, state))}
      progress={{ heading: w.pages.progress }}
      completion={{
        heading: () => w.pages.completion,
        body: (o) =>
          o.ok ? (
            <Saved title={w.done}>
              <Text role="status">{w.report(o.value.approvals, o.value.undeclined)}</Text>
            </Saved>
          ) : (
            <ErrorBar title={w.failed} message={o.failure.message} />
          ),
      }}
      onClose={(report) => onClose(report !== undefined)}
    />
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
