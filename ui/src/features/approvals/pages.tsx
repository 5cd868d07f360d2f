// The approval wizards' group, action and deadline pages, written once: Approve Updates picks
// groups in the tree (Select Groups), then an approval and a deadline per group (Deployment
// Action); an auto-approval rule adds groups from a list and gives them all one deadline in
// days (its Deployment page: its action is always Required install). Both read the groups as
// useTargetGroups loads them, shown with the failure and Retry or a spinner.
import type { ReactNode } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
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
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircleRegular, DismissRegular } from "@fluentui/react-icons";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { GroupChecklist } from "../groups/GroupChecklist";
import type { TargetGroups } from "../groups/useTargetGroups";
import { ACTIONS, DEADLINES, choiceOf, deadlineApplies, deadlineLabel, localInputToUtc, setChoice, sourceLabel, toggleGroup, type WizardState } from "./model";
import { strings } from "./strings";
import type { ApprovalInfo } from "./types";

const w = strings.wizard;

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
  actionCell: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  addRow: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalS },
  groupSelect: { minWidth: "320px" },
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, margin: 0, paddingLeft: 0, listStyleType: "none" },
  listItem: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  done: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, fontSize: tokens.fontSizeBase400 },
  doneIcon: { color: tokens.colorPaletteGreenForeground1, fontSize: tokens.fontSizeBase600 },
});

/** The Completion page of an approval wizard that succeeded: what was saved, then the details. */
export function Saved({ title, titleRole, children }: { title: string; titleRole?: "status"; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <>
      <div className={styles.done}>
        <CheckmarkCircleRegular className={styles.doneIcon} aria-hidden />
        <Text weight="semibold" role={titleRole}>
          {title}
        </Text>
      </div>
      {children}
    </>
  );
}

export const formatDate = (d: Date) => formatUtc(d.toISOString());

/** A group's deadline as the Summary says it. */
export function deadlineText(state: WizardState, id: number, now: Date): string {
  const c = choiceOf(state, id);
  if (!deadlineApplies(c.action)) return w.deadlineNotApplicable;
  return c.deadline === "Custom" ? formatUtc(localInputToUtc(c.customLocal)) : deadlineLabel(c.deadline, now, formatDate);
}

type Update = (update: (s: WizardState) => WizardState) => void;

/** Approve Updates › Select Groups: the group tree with the current approvals of the update. */
export function SelectGroupsPage(props: { state: WizardState; setState: Update; groups: TargetGroups; current: Map<number, ApprovalInfo> }) {
  const styles = useStyles();
  const { state, setState, groups, current } = props;
  return (
    <>
      <Text>{w.groupsIntro}</Text>
      <GroupChecklist
        groups={groups}
        ariaLabel={w.groupsLabel}
        checked={state.groupIds}
        onCheck={(id, checked) => setState((s) => toggleGroup(s, id, checked))}
        aside={(g) => {
          const a = current.get(g.id);
          return a ? `${strings.actions[a.action]} · ${sourceLabel(a)}` : null;
        }}
        texts={{ failed: w.groupsFailed, loading: w.loadingGroups, retry: strings.retry }}
        minHeight="200px"
      />
      <Text className={styles.muted} role="status">
        {w.selectedGroups(state.groupIds.length)}
      </Text>
    </>
  );
}

/** Approve Updates › Deployment Action: the approval and the deadline of each group. */
export function DeploymentActionPage(props: { state: WizardState; setState: Update; groupName(id: number): string; now: Date }) {
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

/** The texts of an auto-approval rule's Deployment page (that feature's strings). */
export interface RuleDeploymentTexts {
  intro: string;
  group: string;
  add: string;
  remove(path: string): string;
  addedGroups: string;
  noGroups: string;
  loadingGroups: string;
  groupsFailed: string;
  retry: string;
  enforceDeadline: string;
  deadline: string;
  deadlineNote: string;
}

/**
 * An auto-approval rule's Deployment page: its groups, added from a list, and one deadline
 * (`deadlines`: the choices, with their texts) for the updates it approves.
 */
export function RuleDeploymentPage(props: {
  texts: RuleDeploymentTexts;
  groups: TargetGroups;
  groupIds: readonly number[];
  onGroups(ids: number[]): void;
  pick: string;
  onPick(value: string): void;
  enforceDeadline: boolean;
  onEnforce(on: boolean): void;
  deadline: string;
  onDeadline(value: string): void;
  deadlines: readonly { value: string; text: string }[];
}) {
  const styles = useStyles();
  const { texts: t, groups, groupIds } = props;
  const path = (id: number) => groups.byId(id)?.path ?? `#${id}`;
  const candidates = (groups.groups ?? []).filter((g) => !groupIds.includes(g.id)).sort((a, b) => a.path.localeCompare(b.path));
  const add = () => {
    const id = Number(props.pick || candidates[0]?.id);
    if (!Number.isFinite(id) || id <= 0 || groupIds.includes(id)) return;
    props.onGroups([...groupIds, id]);
    props.onPick("");
  };
  let picker: ReactNode;
  if (groups.groups === null) picker = <Spinner size="tiny" label={t.loadingGroups} />;
  else
    picker = (
      <div className={styles.addRow}>
        <Field label={t.group}>
          <Select className={styles.groupSelect} value={props.pick} onChange={(_, d) => props.onPick(d.value)}>
            {candidates.map((g) => (
              <option key={g.id} value={String(g.id)}>
                {g.path}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={add} disabled={candidates.length === 0}>
          {t.add}
        </Button>
      </div>
    );
  return (
    <>
      <Text>{t.intro}</Text>
      {groups.failure && <ErrorBar title={t.groupsFailed} message={groups.failure.message} onRetry={groups.reload} retryLabel={t.retry} />}
      {picker}
      <Text weight="semibold">{t.addedGroups}</Text>
      {groupIds.length === 0 ? (
        <Text className={styles.muted}>{t.noGroups}</Text>
      ) : (
        <ul className={styles.list} aria-label={t.addedGroups}>
          {groupIds.map((id) => (
            <li key={id} className={styles.listItem}>
              <Text>{path(id)}</Text>
              <Button
                size="small"
                appearance="subtle"
                icon={<DismissRegular />}
                aria-label={t.remove(path(id))}
                onClick={() => props.onGroups(groupIds.filter((g) => g !== id))}
              />
            </li>
          ))}
        </ul>
      )}
      <Checkbox label={t.enforceDeadline} checked={props.enforceDeadline} onChange={(_, d) => props.onEnforce(d.checked === true)} />
      {props.enforceDeadline && (
        <Field label={t.deadline} hint={t.deadlineNote}>
          <Select value={props.deadline} onChange={(_, d) => props.onDeadline(d.value)}>
            {props.deadlines.map((d) => (
              <option key={d.value} value={d.value}>
                {d.text}
              </option>
            ))}
          </Select>
        </Field>
      )}
    </>
  );
}
