// Administration › Auto-approval Rules, as the reference's "Service settings: updates" page:
// the categories offered to computers (APR-4) above the auto-approval rules (APR-5) with
// New / Edit / Run Selected / Enable / Disable / Delete.
import { useCallback, useMemo, useState } from "react";
import { MessageBar, MessageBarBody, MessageBarTitle, Subtitle2, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import {
  AddRegular,
  ArrowClockwiseRegular,
  DeleteRegular,
  EditRegular,
  PlayRegular,
  ToggleLeftRegular,
  ToggleRightRegular,
} from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { CommandBar, type Command } from "../../../components/CommandBar/CommandBar";
import { DataGrid, emptySelection, selectedIndexes, singleSelected, type DataGridColumn, type Selection } from "../../../components/DataGrid";
import { ErrorBar } from "../../../components/ErrorBar";
import { ConfirmActionDialog } from "../../../components/ConfirmDialog";
import { formatUtc } from "../../../components/format";
import { useReloadingList } from "../../../components/useReloadingList";
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
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [generation, setGeneration] = useState(0);
  const { rows: rules, failure } = useReloadingList(rulesRead, generation);
  const [wizard, setWizard] = useState<{ rule?: ApprovalRule } | null>(null);
  const [deleting, setDeleting] = useState<ApprovalRule | null>(null);
  const [working, setWorking] = useState(false);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [report, setReport] = useState<ApprovalRuleRunReport | null>(null);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const categoryTitles = useMemo(() => new Map(categories.categories.map((c) => [c.categoryId, c.title])), [categories.categories]);
  const gridColumns = useMemo(
    () =>
      columns({
        category: (id) => categoryTitles.get(id) ?? id,
        group: (id) => groups.byId(id)?.path ?? `#${id}`,
      }),
    [categoryTitles, groups],
  );

  const single = singleSelected(selection);
  const selected = single !== null ? rules?.[single] : undefined;
  const chosen = (rules ? selectedIndexes(selection, rules.length) : []).map((i) => rules?.[i]).filter((x): x is ApprovalRule => !!x);

  const act = async (work: () => Promise<unknown>) => {
    setWorking(true);
    setActionFailure(null);
    setReport(null);
    try {
      await work();
      reload();
    } catch (e) {
      setActionFailure(toApiFailure(e));
    } finally {
      setWorking(false);
    }
  };

  const commands: Command[] = [
    { id: "new", label: r.new, description: r.newHint, icon: <AddRegular />, group: "rule", run: () => setWizard({}) },
    {
      id: "edit",
      label: r.edit,
      description: r.editHint,
      icon: <EditRegular />,
      group: "rule",
      disabled: !selected,
      run: () => selected && setWizard({ rule: selected }),
    },
    {
      id: "run",
      label: r.run,
      description: r.runHint,
      icon: <PlayRegular />,
      group: "rule",
      disabled: chosen.length === 0 || working,
      run: () => void act(async () => setReport(await call("run_approval_rules", { ids: chosen.map((x) => x.id) }))),
    },
    {
      id: "enable",
      label: r.enable,
      icon: <ToggleRightRegular />,
      group: "state",
      disabled: !selected || selected.enabled || working,
      run: () => selected && void act(() => call("set_approval_rule_enabled", { id: selected.id, enabled: true })),
    },
    {
      id: "disable",
      label: r.disable,
      icon: <ToggleLeftRegular />,
      group: "state",
      disabled: !selected || !selected.enabled || working,
      run: () => selected && void act(() => call("set_approval_rule_enabled", { id: selected.id, enabled: false })),
    },
    {
      id: "delete",
      label: r.delete,
      description: r.deleteHint,
      icon: <DeleteRegular />,
      group: "state",
      disabled: !selected || working,
      run: () => selected && setDeleting(selected),
    },
    { id: "refresh", label: r.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: reload },
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
              onDismiss={() => setActionFailure(null)}
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
              onSelectionChange={setSelection}
              onActivate={(i) => rules?.[i] && setWizard({ rule: rules[i] })}
              emptyText={rules !== null && !failure ? r.empty : undefined}
              version={generation}
            />
          </div>
        </section>
      </div>
      {wizard && (
        <ApprovalRuleWizard
          rule={wizard.rule}
          categories={categories.categories}
          onClose={(saved) => {
            setWizard(null);
            if (saved) reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmActionDialog
          title={r.deleteTitle(deleting.spec.name)}
          question={r.deleteConfirm(deleting.spec.name)}
          labels={{ yes: strings.yes, no: strings.no }}
          failureTitle={r.deleteFailed}
          run={() => call("delete_approval_rule", { id: deleting.id })}
          onClose={() => setDeleting(null)}
          onDone={() => {
            setDeleting(null);
            setSelection(emptySelection);
            reload();
          }}
        />
      )}
    </div>
  );
}
