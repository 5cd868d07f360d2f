// Administration › Auto-approval Rules, the reference's "Service settings: updates" page under this node's name:
// the categories offered to computers (APR-4) above the auto-approval rules (APR-5) with
// New / Edit / Run Selected / Enable / Disable / Delete.
import { useMemo, useState } from "react";
import { MessageBar, MessageBarBody, MessageBarTitle, Subtitle2, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, EditRegular, PlayRegular } from "@fluentui/react-icons";
import { call } from "../../../api";
import { CommandBar, type Command } from "../../../components/CommandBar/CommandBar";
import { DataGrid, selectedIndexes, type DataGridColumn } from "../../../components/DataGrid";
import { ErrorBar } from "../../../components/ErrorBar";
import { useConfirmedRowAction } from "../../../components/ConfirmDialog";
import { formatUtc } from "../../../components/format";
import { deleteCommand, enableCommands, refreshCommand, rowCommand } from "../../../components/rowCommands";
import { useListPage } from "../../../components/useListPage";
import { useOverlay } from "../../../components/useOverlay";
import { useCategories } from "../../updates/useCategories";
import { useTargetGroups } from "../../groups/useTargetGroups";
import { ApprovalRuleWizard } from "./ApprovalRuleWizard";
import { OfferedCategoriesSection } from "./OfferedCategoriesSection";
import { deadlineText, strings } from "./strings";
import type { ApprovalRule, ApprovalRuleRunReport } from "./types";

const r = strings.rules;

const useStyles = makeStyles({
  root: { height: "100%", overflowY: "auto" },
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXL, padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}` },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
  grid: { height: "280px" },
});

function columns(names: { category(id: string): string; group(id: number): string }): DataGridColumn<ApprovalRule>[] {
  const list = (items: string[], any: string) => (items.length === 0 ? any : items.join(", "));
  return [
    { id: "name", header: r.columns.name, width: 220, render: (x) => x.spec.name, title: (x) => x.spec.description || x.spec.name },
    { id: "enabled", header: r.columns.enabled, width: 80, render: (x) => (x.enabled ? strings.yes : strings.no) },
    {
      id: "products",
      header: r.columns.products,
      width: 200,
      render: (x) => list(x.spec.productIds.map(names.category), "—"),
      title: (x) => x.spec.productIds.map(names.category).join(", "),
    },
    {
      id: "classifications",
      header: r.columns.classifications,
      width: 200,
      render: (x) => list(x.spec.classificationIds.map(names.category), "—"),
      title: (x) => x.spec.classificationIds.map(names.category).join(", "),
    },
    {
      id: "groups",
      header: r.columns.groups,
      width: 200,
      render: (x) => list(x.spec.groupIds.map(names.group), "—"),
      title: (x) => x.spec.groupIds.map(names.group).join(", "),
    },
    { id: "deadline", header: r.columns.deadline, width: 140, render: (x) => deadlineText(x.spec.deadlineDays) },
    { id: "approvals", header: r.columns.approvals, width: 120, align: "end", render: (x) => x.approvalsMade.toLocaleString() },
    { id: "lastApplied", header: r.columns.lastApplied, width: 150, render: (x) => (x.lastAppliedUtc ? formatUtc(x.lastAppliedUtc) : r.never) },
  ];
}

const rulesRead = () => call("list_approval_rules", {}).then((list) => [...list].sort((a, b) => a.spec.name.localeCompare(b.spec.name)));

export function AutoApprovalPage() {
  const styles = useStyles();
  const categories = useCategories();
  const groups = useTargetGroups();
  const page = useListPage(rulesRead);
  const { list: rules, failure, selection, working, actionFailure, load: reload } = page;
  const wizard = useOverlay<{ rule?: ApprovalRule }>(reload);
  const [report, setReport] = useState<ApprovalRuleRunReport | null>(null);
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (x: ApprovalRule) => ({
    title: r.deleteTitle(x.spec.name),
    question: r.deleteConfirm(x.spec.name),
    failureTitle: r.deleteFailed,
    run: () => call("delete_approval_rule", { id: x.id }),
  }));

  const categoryTitles = useMemo(() => new Map(categories.categories.map((c) => [c.categoryId, c.title])), [categories.categories]);
  const gridColumns = useMemo(
    () =>
      columns({
        category: (id) => categoryTitles.get(id) ?? id,
        group: (id) => groups.byId(id)?.path ?? `#${id}`,
      }),
    [categoryTitles, groups],
  );

  const chosen = (rules ? selectedIndexes(selection, rules.length) : []).map((i) => rules?.[i]).filter((x): x is ApprovalRule => !!x);

  const act = (work: () => Promise<unknown>) => {
    setReport(null);
    return page.act(work);
  };

  const commands: Command[] = [
    { id: "new", needs: "create_approval_rule", label: r.new, description: r.newHint, icon: <AddRegular />, group: "rule", run: () => wizard.open({}) },
    rowCommand(page, { id: "edit", needs: "edit_approval_rule", label: r.edit, description: r.editHint, icon: <EditRegular />, group: "rule", run: (rule) => wizard.open({ rule }) }),
    {
      id: "run",
      needs: "run_approval_rules",
      label: r.run,
      description: r.runHint,
      icon: <PlayRegular />,
      group: "rule",
      disabled: chosen.length === 0 || working,
      run: () => void act(async () => setReport(await call("run_approval_rules", { ids: chosen.map((x) => x.id) }))),
    },
    ...enableCommands({ ...page, act }, r, "state", (rule, enabled) => call("set_approval_rule_enabled", { id: rule.id, enabled }), "set_approval_rule_enabled"),
    deleteCommand(page, { needs: "delete_approval_rule", label: r.delete, description: r.deleteHint, group: "state", idle: true, ask: deletion.ask }),
    refreshCommand(r.refresh, page),
  ];

  return (
    <div className={styles.root}>
      <div className={styles.page}>
        <Title3 as="h1">{strings.pageTitle}</Title3>
        <OfferedCategoriesSection categories={categories.categories} categoriesFailure={categories.failure} />
        <section className={styles.section} aria-labelledby="rules-heading">
          <div className={styles.heading}>
            <Subtitle2 as="h2" id="rules-heading">
              {r.heading}
            </Subtitle2>
            <Text className={styles.muted} role="status" data-testid="item-count">
              {rules === null ? r.loading : r.items(rules.length)}
            </Text>
          </div>
          <Text className={styles.muted}>{r.intro}</Text>
          <CommandBar ariaLabel={r.barLabel} commands={commands} />
          {failure && <ErrorBar title={r.loadFailed} message={failure.message} onRetry={reload} retryLabel={strings.retry} />}
          {actionFailure && (
            <ErrorBar
              title={r.actionFailed}
              message={actionFailure.message}
              onDismiss={() => page.setActionFailure(null)}
              dismissLabel={strings.dismiss}
            />
          )}
          {report && (
            <MessageBar intent="success" layout="multiline" data-testid="run-report">
              <MessageBarBody>
                <MessageBarTitle>{r.runDone}</MessageBarTitle>
                {r.runReport(report.approvals, report.updates)}
              </MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.grid}>
            <DataGrid<ApprovalRule>
              ariaLabel={r.gridLabel}
              columns={gridColumns}
              rowCount={rules?.length ?? 0}
              getRow={(i) => rules?.[i]}
              selection={selection}
              onSelectionChange={page.setSelection}
              onActivate={(i) => rules?.[i] && wizard.open({ rule: rules[i] })}
              emptyText={rules !== null && !failure ? r.empty : undefined}
              version={page.version}
            />
          </div>
        </section>
      </div>
      {wizard.value && <ApprovalRuleWizard rule={wizard.value.rule} categories={categories.categories} onClose={wizard.close} />}
      {deletion.dialog}
    </div>
  );
}
