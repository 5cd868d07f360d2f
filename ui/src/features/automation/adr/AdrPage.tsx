// Software Library > Software Updates > Automatic Deployment Rules (ADR-1..5): every rule
// with its last run and next evaluation; Create (the wizard), Run Now, Enable / Disable,
// Properties (the wizard prefilled; changes apply to future runs), Add Deployment (ADR-3),
// Preview (what the rule selects now) and Delete (what earlier runs created stays). The
// details pane shows the focused rule's criteria, schedules and deployments, and links its
// last run to Monitoring. Rule runs re-read the list as they change (RuleRunChanged).
import { useCallback, useEffect, useState } from "react";
import {
  Button,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import {
  AddRegular,
  ArrowClockwiseRegular,
  CheckmarkCircleRegular,
  DeleteRegular,
  DismissCircleRegular,
  DismissRegular,
  EyeRegular,
  InfoRegular,
  PlayRegular,
  SendRegular,
} from "@fluentui/react-icons";
import { call, subscribe, toApiFailure, type ApiFailure } from "../../../api";
import { useNavigateTo } from "../../../app/navigate";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { DataGrid, clampSelection, emptySelection, singleSelected, type DataGridColumn, type Selection } from "../../../components/DataGrid";
import { DetailsPane } from "../../../components/DetailsPane";
import { formatUtc } from "../../../components/format";
import { ListPage } from "../../../components/ListPage";
import { PropertyList } from "../../../components/PropertyList";
import { strings as deployStrings } from "../../deployments/strings";
import { AddDeploymentDialog } from "./AddDeploymentDialog";
import { AdrWizard, type AdrWizardMode } from "./AdrWizard";
import { availableText, criteriaLines, deadlineText, evaluationText } from "./model";
import { PreviewDialog } from "./PreviewDialog";
import { strings } from "./strings";
import type { AdrRunInfo, AutomaticDeploymentRule, CategoryInfo, TargetGroup } from "./types";

const t = strings.page;

/** Where a rule's runs are listed. */
export const ruleRunsNode = { workspace: "monitoring", node: "monitoring.ruleRuns" } as const;

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
  lines: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  deployments: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

const lastRunText = (r: AdrRunInfo | null) => (r ? strings.states[r.state] : t.never);

export const adrColumns: readonly DataGridColumn<AutomaticDeploymentRule>[] = [
  { id: "name", header: t.columns.name, width: 260, render: (r) => r.spec.name, title: (r) => r.spec.name },
  { id: "enabled", header: t.columns.enabled, width: 80, render: (r) => (r.enabled ? strings.yes : strings.no) },
  { id: "lastRunState", header: t.columns.lastRunState, width: 130, render: (r) => lastRunText(r.lastRun) },
  { id: "lastRun", header: t.columns.lastRun, width: 150, render: (r) => formatUtc(r.lastRun?.startedUtc) },
  { id: "next", header: t.columns.next, width: 150, render: (r) => formatUtc(r.nextEvaluationUtc) },
  { id: "group", header: t.columns.group, width: 240, render: (r) => r.updateGroupName ?? "", title: (r) => r.updateGroupName ?? undefined },
  { id: "deployments", header: t.columns.deployments, width: 110, align: "end", render: (r) => String(r.spec.deployments.length) },
];

function RuleSummary({ rule, categories }: { rule: AutomaticDeploymentRule; categories: readonly CategoryInfo[] | null }) {
  const styles = useStyles();
  const navigateTo = useNavigateTo();
  const d = t.details;
  const s = rule.spec;
  const run = rule.lastRun;
  return (
    <PropertyList
      ariaLabel={t.details.summary}
      items={[
        { label: t.columns.name, value: s.name },
        { label: d.description, value: s.description || strings.none },
        {
          label: d.criteria,
          value: (
            <ul className={styles.lines} data-testid="criteria-summary">
              {criteriaLines(s.criteria, categories).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          ),
        },
        { label: d.evaluation, value: evaluationText(s.evaluation) },
        { label: d.nextEvaluation, value: formatUtc(rule.nextEvaluationUtc) || strings.none },
        {
          label: d.groupMode,
          value: s.groupMode === "NewGroupEachRun" ? strings.summaryValues.newGroupEachRun : strings.summaryValues.addToExisting(rule.updateGroupName),
        },
        { label: d.currentGroup, value: rule.updateGroupName ?? strings.none },
        {
          label: d.package,
          value: s.package.kind === "NoPackage" ? strings.none : s.package.kind === "New" ? s.package.name : `${s.package.packageId}`,
        },
        {
          label: d.lastRun,
          value: run ? (
            <>
              {d.lastRunValue(strings.states[run.state], formatUtc(run.startedUtc))}{" "}
              <Link onClick={() => navigateTo(ruleRunsNode.workspace, ruleRunsNode.node)}>{d.viewLog}</Link>
              {run.error && <Text block>{run.error}</Text>}
            </>
          ) : (
            t.never
          ),
        },
        { label: d.createdBy, value: rule.createdBy },
        { label: d.created, value: formatUtc(rule.createdUtc) },
        { label: d.modified, value: formatUtc(rule.modifiedUtc) },
      ]}
    />
  );
}

function RuleDeployments({ rule, targets }: { rule: AutomaticDeploymentRule; targets: readonly TargetGroup[] | null }) {
  const styles = useStyles();
  const d = t.details;
  return (
    <div className={styles.deployments} data-testid="rule-deployments">
      {rule.spec.deployments.map((dep, i) => (
        <div key={i}>
          <Text weight="semibold">{d.deploymentLine(i + 1)}</Text>
          <PropertyList
            items={[
              { label: d.collection, value: targets?.find((x) => x.id === dep.targetGroupId)?.path ?? String(dep.targetGroupId) },
              { label: d.type, value: deployStrings.wizard.settings[dep.settings.deploymentType] },
              { label: d.available, value: availableText(dep) },
              { label: d.deadline, value: deadlineText(dep) },
            ]}
          />
        </div>
      ))}
      <Text className={styles.muted}>
        {d.deploymentsCreated}: {rule.deploymentIds.length}
      </Text>
    </div>
  );
}

export function AdrPage() {
  const styles = useStyles();
  const navigateTo = useNavigateTo();
  const [list, setList] = useState<AutomaticDeploymentRule[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [wizard, setWizard] = useState<AdrWizardMode | null>(null);
  const [adding, setAdding] = useState<AutomaticDeploymentRule | null>(null);
  const [previewing, setPreviewing] = useState<AutomaticDeploymentRule | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<AutomaticDeploymentRule | null>(null);
  const [ran, setRan] = useState<{ name: string; run: AdrRunInfo } | null>(null);
  const [working, setWorking] = useState(false);
  const [version, setVersion] = useState(0);
  const [targets, setTargets] = useState<TargetGroup[] | null>(null);
  const [categories, setCategories] = useState<CategoryInfo[] | null>(null);

  const load = useCallback(() => {
    call("list_adrs", {}).then(
      (l) => {
        setList(l);
        setVersion((v) => v + 1);
        setFailure(null);
        setSelection((s) => clampSelection(s, l.length));
      },
      (e: unknown) => setFailure(toApiFailure(e)),
    );
    // Names for the details pane; without them ids are shown.
    call("list_target_groups", {}).then(setTargets, () => undefined);
    call("list_categories", {}).then(setCategories, () => undefined);
  }, []);

  useEffect(load, [load]);
  useEffect(() => subscribe((event) => event.type === "ruleRunChanged" && load()), [load]);

  const rows = list ?? [];
  // Run Now answers at once (Running); the bar follows that run through the re-read list,
  // which may already hold its end when the answer arrives.
  const ranState = ran ? (rows.find((x) => x.lastRun?.runId === ran.run.runId)?.lastRun?.state ?? ran.run.state) : null;
  const index = singleSelected(selection);
  const selected = index !== null ? (rows[index] ?? null) : null;
  const focused = selection.focus !== null ? (rows[selection.focus] ?? null) : selected;

  const act = async (run: () => Promise<unknown>) => {
    setWorking(true);
    setActionFailure(null);
    try {
      await run();
    } catch (e) {
      setActionFailure(toApiFailure(e));
    } finally {
      setWorking(false);
      load();
    }
  };

  const commands: Command[] = [
    { id: "create", label: t.create, description: t.createHint, icon: <AddRegular />, group: "create", run: () => setWizard({ kind: "create" }) },
    { id: "refresh", label: t.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: load },
    {
      id: "runNow",
      label: t.runNow,
      description: t.runNowHint,
      icon: <PlayRegular />,
      group: "rule",
      disabled: !selected || working,
      run: () =>
        selected &&
        void act(async () => {
          setRan(null);
          setRan({ name: selected.spec.name, run: await call("run_adr", { id: selected.id }) });
        }),
    },
    {
      id: "enable",
      label: t.enable,
      icon: <CheckmarkCircleRegular />,
      group: "rule",
      disabled: !selected || selected.enabled || working,
      run: () => selected && void act(() => call("set_adr_enabled", { id: selected.id, enabled: true })),
    },
    {
      id: "disable",
      label: t.disable,
      icon: <DismissCircleRegular />,
      group: "rule",
      disabled: !selected || !selected.enabled || working,
      run: () => selected && void act(() => call("set_adr_enabled", { id: selected.id, enabled: false })),
    },
    {
      id: "preview",
      label: t.preview,
      description: t.previewHint,
      icon: <EyeRegular />,
      group: "rule",
      disabled: !selected,
      run: () => selected && setPreviewing(selected),
    },
    {
      id: "addDeployment",
      label: t.addDeployment,
      description: t.addDeploymentHint,
      icon: <SendRegular />,
      group: "rule",
      disabled: !selected || working,
      run: () => selected && setAdding(selected),
    },
    {
      id: "properties",
      label: t.properties,
      icon: <InfoRegular />,
      group: "rule",
      disabled: !selected || working,
      run: () => selected && setWizard({ kind: "edit", rule: selected }),
    },
    {
      id: "delete",
      label: t.delete,
      icon: <DeleteRegular />,
      group: "rule",
      disabled: !selected || working,
      run: () => selected && setConfirmDelete(selected),
    },
  ];

  return (
    <ListPage
      commandsLabel={t.commandsLabel}
      commands={commands}
      title={t.title}
      count={list ? t.items(list.length) : strings.loading}
      loadFailure={failure && { title: t.loadFailed, message: failure.message, onRetry: load, retryLabel: strings.retry }}
      actionFailure={
        actionFailure && { title: t.actionFailed, message: actionFailure.message, onDismiss: () => setActionFailure(null), dismissLabel: strings.dismiss }
      }
      bars={
        ran && (
          <MessageBar intent={ranState === "Failed" ? "error" : "success"} layout="multiline" data-testid="run-result">
            <MessageBarBody>
              {t.runStarted(ran.name, strings.states[ranState ?? ran.run.state])} <Link onClick={() => navigateTo(ruleRunsNode.workspace, ruleRunsNode.node)}>{t.showRun}</Link>
            </MessageBarBody>
            <MessageBarActions
              containerAction={<Button appearance="transparent" aria-label={strings.dismiss} icon={<DismissRegular />} onClick={() => setRan(null)} />}
            />
          </MessageBar>
        )
      }
      details={
        <DetailsPane
          ariaLabel={t.details.label}
          height="42%"
          tabs={[
            {
              id: "summary",
              label: t.details.summary,
              render: () => (focused ? <RuleSummary rule={focused} categories={categories} /> : <Text className={styles.muted}>{t.details.nothingSelected}</Text>),
            },
            {
              id: "deployments",
              label: t.details.deployments,
              render: () => (focused ? <RuleDeployments rule={focused} targets={targets} /> : <Text className={styles.muted}>{t.details.nothingSelected}</Text>),
            },
          ]}
        />
      }
      overlays={
        <>
          {wizard && (
            <AdrWizard
              key={wizard.kind === "edit" ? `edit-${wizard.rule.id}` : "create"}
              mode={wizard}
              onClose={(saved) => {
                setWizard(null);
                if (saved) load();
              }}
            />
          )}
          {adding && (
            <AddDeploymentDialog
              rule={adding}
              onClose={(saved) => {
                setAdding(null);
                if (saved) load();
              }}
            />
          )}
          {previewing && <PreviewDialog criteria={previewing.spec.criteria} onClose={() => setPreviewing(null)} />}
          {confirmDelete && (
            <ConfirmDialog
              title={t.deleteTitle}
              question={t.deleteQuestion(confirmDelete.spec.name)}
              labels={{ yes: strings.yes, no: strings.no }}
              onNo={() => setConfirmDelete(null)}
              onYes={() => {
                const r = confirmDelete;
                setConfirmDelete(null);
                void act(() => call("delete_adr", { id: r.id }));
              }}
            />
          )}
        </>
      }
    >
      <DataGrid<AutomaticDeploymentRule>
        ariaLabel={t.gridLabel}
        columns={adrColumns}
        rowCount={rows.length}
        getRow={(i) => rows[i]}
        selection={selection}
        onSelectionChange={setSelection}
        onActivate={(i) => rows[i] && setWizard({ kind: "edit", rule: rows[i] })}
        emptyText={list ? t.empty : undefined}
        loadingText={strings.loading}
        version={version}
      />
    </ListPage>
  );
}
