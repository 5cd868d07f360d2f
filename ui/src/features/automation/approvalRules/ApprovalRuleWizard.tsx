// The Create Auto-approval Rule wizard (APR-5), also used to edit a rule: General → Product
// categories → Update classifications → Deployment → Summary → Progress → Completion. Only
// Finish talks to the site; Cancel, at any page, sends nothing.
import { useState } from "react";
import { Field, Input, MessageBar, MessageBarBody, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { call, type CategoryInfo } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { WizardFrame, type WizardPage } from "../../../components/WizardFrame";
import { RuleDeploymentPage, Saved } from "../../approvals/pages";
import { useTargetGroups } from "../../groups/useTargetGroups";
import { CategoryChecklist } from "./CategoryChecklist";
import { DEADLINE_DAYS, INPUT_PAGES, initialState, pageProblems, stateFromRule, toSpec, type InputPage, type RuleWizardState } from "./model";
import { deadlineText, strings } from "./strings";
import type { ApprovalRule } from "./types";

const w = strings.wizard;

const useStyles = makeStyles({
  note: {
    color: tokens.colorNeutralForeground2,
    borderLeftWidth: "3px",
    borderLeftStyle: "solid",
    borderLeftColor: tokens.colorBrandStroke1,
    paddingLeft: tokens.spacingHorizontalS,
  },
});

export interface ApprovalRuleWizardProps {
  /** The rule to edit; absent: a new rule. */
  rule?: ApprovalRule;
  categories: readonly CategoryInfo[];
  /** saved: Finish succeeded. */
  onClose(saved: boolean): void;
}

/** The categories a rule picks, on the page of their kind. */
const CATEGORY_PAGES = {
  products: { kind: "Product", key: "productIds", intro: w.productsIntro, any: w.anyProduct },
  classifications: { kind: "UpdateClassification", key: "classificationIds", intro: w.classificationsIntro, any: w.anyClassification },
} as const;

export function ApprovalRuleWizard({ rule, categories, onClose }: ApprovalRuleWizardProps) {
  const styles = useStyles();
  const groups = useTargetGroups();
  const [state, setState] = useState<RuleWizardState>(() => (rule ? stateFromRule(rule) : initialState));
  const [pick, setPick] = useState<string>("");
  const patch = (p: Partial<RuleWizardState>) => setState((s) => ({ ...s, ...p }));
  const groupPath = (id: number) => groups.byId(id)?.path ?? `#${id}`;
  const categoryTitle = (id: string) => categories.find((c) => c.categoryId === id)?.title ?? id;

  const body = (id: InputPage) => {
    switch (id) {
      case "general":
        return (
          <>
            <Field label={w.name} required>
              <Input value={state.name} maxLength={256} onChange={(_, d) => patch({ name: d.value })} />
            </Field>
            <Field label={w.description}>
              <Textarea value={state.description} resize="vertical" onChange={(_, d) => patch({ description: d.value })} />
            </Field>
            {!rule && <Text className={styles.note}>{w.futureNote}</Text>}
          </>
        );
      case "products":
      case "classifications": {
        const c = CATEGORY_PAGES[id];
        return (
          <>
            <Text>{c.intro}</Text>
            <CategoryChecklist
              ariaLabel={w.pages[id]}
              categories={categories}
              kind={c.kind}
              checked={state[c.key]}
              onChange={(ids) => patch({ [c.key]: ids })}
              emptyText={strings.offered.none}
              height="360px"
            />
          </>
        );
      }
      case "deployment":
        return (
          <RuleDeploymentPage
            texts={{ ...w, intro: w.deploymentIntro, retry: strings.retry }}
            groups={groups}
            groupIds={state.groupIds}
            onGroups={(groupIds) => patch({ groupIds })}
            pick={pick}
            onPick={setPick}
            enforceDeadline={state.enforceDeadline}
            onEnforce={(enforceDeadline) => patch({ enforceDeadline })}
            deadline={String(state.deadlineDays)}
            onDeadline={(days) => patch({ deadlineDays: Number(days) })}
            deadlines={DEADLINE_DAYS.map((days) => ({ value: String(days), text: days === 0 ? deadlineText(0) : w.deadlineAfter(deadlineText(days)) }))}
          />
        );
    }
  };
  const summary = (id: InputPage) => {
    switch (id) {
      case "general":
        return [
          { label: w.name, value: state.name.trim() },
          { label: w.description, value: state.description.trim() || "—" },
        ];
      case "products":
      case "classifications": {
        const c = CATEGORY_PAGES[id];
        return [{ label: w.pages[id], value: state[c.key].length === 0 ? c.any : state[c.key].map(categoryTitle).join(", ") }];
      }
      case "deployment":
        return [
          { label: w.addedGroups, value: state.groupIds.map(groupPath).join(", ") || "—" },
          { label: w.approval, value: w.requiredInstall },
          { label: w.deadline, value: deadlineText(state.enforceDeadline ? state.deadlineDays : null) },
        ];
    }
  };
  const page = (id: InputPage): WizardPage => ({
    id,
    label: w.pages[id],
    heading: w.pages[id],
    render: () => body(id),
    validate: () => pageProblems(state, id).map((message) => ({ field: "", message })),
    summary: () => summary(id),
  });

  return (
    <WizardFrame<true>
      testId="approval-rule-wizard"
      title={rule ? w.editTitle(rule.spec.name) : w.createTitle}
      texts={{ ...w.bar, pages: w.pages }}
      pages={INPUT_PAGES.map(page)}
      value={state}
      summary={{
        heading: w.pages.summary,
        before: <Text>{w.summaryIntro}</Text>,
        after: !rule && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>{w.futureNote}</MessageBarBody>
          </MessageBar>
        ),
      }}
      run={async () => {
        const spec = toSpec(state);
        if (rule) await call("edit_approval_rule", { id: rule.id, spec });
        else await call("create_approval_rule", spec);
        return true as const;
      }}
      progress={{ heading: w.pages.progress }}
      completion={{
        heading: () => w.pages.completion,
        body: (o) =>
          o.ok ? (
            <Saved title={rule ? w.doneEdited : w.doneCreated} titleRole="status">
              {!rule && <Text>{w.futureNote}</Text>}
            </Saved>
          ) : (
            <ErrorBar title={w.failed} message={o.failure.message} />
          ),
      }}
      onClose={(saved) => onClose(saved === true)}
    />
  );
}
