// The Create Auto-approval Rule wizard (APR-5), also used to edit a rule: General → Product
// categories → Update classifications → Deployment → Summary → Completion. Only Finish
// talks to the site; Cancel, at any page, sends nothing.
import { useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircleRegular, DismissRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type CategoryInfo } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { PropertyList } from "../../../components/PropertyList";
import { WizardFrame } from "../../../components/WizardFrame";
import { useTargetGroups } from "../../groups/useTargetGroups";
import { CategoryChecklist } from "./CategoryChecklist";
import {
  DEADLINE_DAYS,
  PAGES,
  allProblems,
  initialState,
  nextPage,
  pageProblems,
  previousPage,
  stateFromRule,
  toSpec,
  toggle,
  type PageId,
  type RuleWizardState,
} from "./model";
import { deadlineText, strings } from "./strings";
import type { ApprovalRule } from "./types";

const w = strings.wizard;

const useStyles = makeStyles({
  addRow: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalS },
  groupSelect: { minWidth: "320px" },
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, margin: 0, paddingLeft: 0, listStyleType: "none" },
  listItem: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
  note: {
    color: tokens.colorNeutralForeground2,
    borderLeftWidth: "3px",
    borderLeftStyle: "solid",
    borderLeftColor: tokens.colorBrandStroke1,
    paddingLeft: tokens.spacingHorizontalS,
  },
  done: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, fontSize: tokens.fontSizeBase400 },
  doneIcon: { color: tokens.colorPaletteGreenForeground1, fontSize: "24px" },
});

export interface ApprovalRuleWizardProps {
  /** The rule to edit; absent: a new rule. */
  rule?: ApprovalRule;
  categories: readonly CategoryInfo[];
  /** saved: Finish succeeded. */
  onClose(saved: boolean): void;
}

export function ApprovalRuleWizard({ rule, categories, onClose }: ApprovalRuleWizardProps) {
  const styles = useStyles();
  const groups = useTargetGroups();
  const [state, setState] = useState<RuleWizardState>(() => (rule ? stateFromRule(rule) : initialState));
  const [showProblems, setShowProblems] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [pick, setPick] = useState<string>("");
  const problems = pageProblems(state, state.page);
  const patch = (p: Partial<RuleWizardState>) => setState((s) => ({ ...s, ...p }));
  const go = (page: PageId) => {
    setShowProblems(false);
    patch({ page });
  };
  const groupPath = (id: number) => groups.byId(id)?.path ?? `#${id}`;
  const categoryTitle = (id: string) => categories.find((c) => c.categoryId === id)?.title ?? id;

  const next = () => {
    if (problems.length > 0) {
      setShowProblems(true);
      return;
    }
    go(nextPage(state.page));
  };

  const finish = async () => {
    if (allProblems(state).length > 0) {
      setShowProblems(true);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const spec = toSpec(state);
      if (rule) await call("edit_approval_rule", { id: rule.id, spec });
      else await call("create_approval_rule", spec);
      go("completion");
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const completed = state.page === "completion";
  const shownProblems = state.page === "summary" ? allProblems(state) : problems;
  const candidates = (groups.groups ?? []).filter((g) => !state.groupIds.includes(g.id)).sort((a, b) => a.path.localeCompare(b.path));
  const addPicked = () => {
    const id = Number(pick || candidates[0]?.id);
    if (!Number.isFinite(id) || id <= 0) return;
    patch({ groupIds: toggle(state.groupIds, id, true) });
    setPick("");
  };

  return (
    <WizardFrame
      title={rule ? w.editTitle(rule.spec.name) : w.createTitle}
      pages={PAGES.map((p) => ({ id: p, label: w.pages[p] }))}
      current={state.page}
      heading={w.pages[state.page]}
      busy={busy}
      busyLabel={w.working}
      labels={{ pages: w.pagesLabel, previous: w.previous, next: w.next, finish: w.finish, cancel: w.cancel, close: w.close }}
      onPrevious={completed ? undefined : () => go(previousPage(state.page))}
      previousDisabled={state.page === "general"}
      onNext={completed ? undefined : next}
      nextDisabled={state.page === "summary"}
      onFinish={completed ? undefined : finish}
      finishDisabled={state.page !== "summary"}
      primary={state.page === "summary" ? "finish" : "next"}
      onCancel={completed ? undefined : () => onClose(false)}
      onClose={completed ? () => onClose(true) : undefined}
      testId="approval-rule-wizard"
    >
      {(showProblems || state.page === "summary") && shownProblems.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {shownProblems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {failure && <ErrorBar title={w.failed} message={failure.message} />}
      {state.page === "general" && (
        <>
          <Field label={w.name} required>
            <Input value={state.name} maxLength={256} onChange={(_, d) => patch({ name: d.value })} />
          </Field>
          <Field label={w.description}>
            <Textarea value={state.description} resize="vertical" onChange={(_, d) => patch({ description: d.value })} />
          </Field>
          {!rule && <Text className={styles.note}>{w.futureNote}</Text>}
        </>
      )}
      {state.page === "products" && (
        <>
          <Text>{w.productsIntro}</Text>
          <CategoryChecklist
            ariaLabel={w.pages.products}
            categories={categories}
            kind="Product"
            checked={state.productIds}
            onChange={(ids) => patch({ productIds: ids })}
            emptyText={strings.offered.none}
            height="360px"
          />
        </>
      )}
      {state.page === "classifications" && (
        <>
          <Text>{w.classificationsIntro}</Text>
          <CategoryChecklist
            ariaLabel={w.pages.classifications}
            categories={categories}
            kind="UpdateClassification"
            checked={state.classificationIds}
            onChange={(ids) => patch({ classificationIds: ids })}
            emptyText={strings.offered.none}
            height="360px"
          />
        </>
      )}
      {state.page === "deployment" && (
        <>
          <Text>{w.deploymentIntro}</Text>
          {groups.failure && (
            <ErrorBar title={w.groupsFailed} message={groups.failure.message} onRetry={groups.reload} retryLabel={strings.retry} />
          )}
          {groups.groups === null ? (
            <Spinner size="tiny" label={w.loadingGroups} />
          ) : (
            <div className={styles.addRow}>
              <Field label={w.group}>
                <Select className={styles.groupSelect} value={pick} onChange={(_, d) => setPick(d.value)}>
                  {candidates.map((g) => (
                    <option key={g.id} value={String(g.id)}>
                      {g.path}
                    </option>
                  ))}
                </Select>
              </Field>
              <Button onClick={addPicked} disabled={candidates.length === 0}>
                {w.add}
              </Button>
            </div>
          )}
          <Text weight="semibold">{w.addedGroups}</Text>
          {state.groupIds.length === 0 ? (
            <Text className={styles.muted}>{w.noGroups}</Text>
          ) : (
            <ul className={styles.list} aria-label={w.addedGroups}>
              {state.groupIds.map((id) => (
                <li key={id} className={styles.listItem}>
                  <Text>{groupPath(id)}</Text>
                  <Button
                    size="small"
                    appearance="subtle"
                    icon={<DismissRegular />}
                    aria-label={w.remove(groupPath(id))}
                    onClick={() => patch({ groupIds: toggle(state.groupIds, id, false) })}
                  />
                </li>
              ))}
            </ul>
          )}
          <Checkbox
            label={w.enforceDeadline}
            checked={state.enforceDeadline}
            onChange={(_, d) => patch({ enforceDeadline: d.checked === true })}
          />
          {state.enforceDeadline && (
            <>
              <Field label={w.deadline} hint={w.deadlineNote}>
                <Select value={String(state.deadlineDays)} onChange={(_, d) => patch({ deadlineDays: Number(d.value) })}>
                  {DEADLINE_DAYS.map((days) => (
                    <option key={days} value={String(days)}>
                      {days === 0 ? deadlineText(0) : w.deadlineAfter(deadlineText(days))}
                    </option>
                  ))}
                </Select>
              </Field>
            </>
          )}
        </>
      )}
      {state.page === "summary" && (
        <>
          <Text>{w.summaryIntro}</Text>
          <PropertyList
            ariaLabel={w.pages.summary}
            items={[
              { label: w.name, value: state.name.trim() },
              { label: w.description, value: state.description.trim() || "—" },
              {
                label: w.pages.products,
                value: state.productIds.length === 0 ? w.anyProduct : state.productIds.map(categoryTitle).join(", "),
              },
              {
                label: w.pages.classifications,
                value: state.classificationIds.length === 0 ? w.anyClassification : state.classificationIds.map(categoryTitle).join(", "),
              },
              { label: w.addedGroups, value: state.groupIds.map(groupPath).join(", ") || "—" },
              { label: w.approval, value: w.requiredInstall },
              { label: w.deadline, value: deadlineText(state.enforceDeadline ? state.deadlineDays : null) },
            ]}
          />
          {!rule && (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{w.futureNote}</MessageBarBody>
            </MessageBar>
          )}
        </>
      )}
      {completed && (
        <>
          <div className={styles.done}>
            <CheckmarkCircleRegular className={styles.doneIcon} aria-hidden />
            <Text weight="semibold" role="status">
              {rule ? w.doneEdited : w.doneCreated}
            </Text>
          </div>
          {!rule && <Text>{w.futureNote}</Text>}
        </>
      )}
    </WizardFrame>
  );
}
