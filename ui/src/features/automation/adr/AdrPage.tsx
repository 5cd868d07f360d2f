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
import { AddRegular, DismissRegular, EyeRegular, PlayRegular, SendRegular } from "@fluentui/react-icons";
import { call, subscribe } from "../../../api";
import { useNavigateTo } from "../../../app/navigate";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../../components/ConfirmDialog";
import type { DataGridColumn } from "../../../components/DataGrid";
import { formatUtc } from "../../../components/format";
import { ItemListPage, type ListPageParts } from "../../../components/ItemListPage";
import { MutedText } from "../../../components/MutedText";
import { PropertyList } from "../../../components/PropertyList";
import { deleteCommand, enableCommands, propertiesCommand, refreshCommand, rowCommand } from "../../../components/rowCommands";
import { useListPage } from "../../../components/useListPage";
import { useOverlay } from "../../../components/useOverlay";
import { strings as deployStrings } from "../../deployments/strings";
import { AddDeploymentDialog } from "./AddDeploymentDialog";
import { AdrWizard, type AdrWizardMode } from "./AdrWizard";
import { availableText, criteriaLines, deadlineText, evaluationText } from "./model";
import { PreviewDialog } from "./PreviewDialog";
import { strings } from "./strings";
import type { AdrRunInfo, AutomaticDeploymentRule, CategoryInfo, TargetGroup } from "./types";

const t = strings.page;
const readAdrs = () => call("list_adrs", {});

/** Where a rule's runs are listed. */
export const ruleRunsNode = { workspace: "monitoring", node: "monitoring.ruleRuns" } as const;

const useStyles = makeStyles({
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
      <MutedText>
        {d.deploymentsCreated}: {rule.deploymentIds.length}
      </MutedText>
    </div>
  );
}

export function AdrPage() {
  const navigateTo = useNavigateTo();
  const [targets, setTargets] = useState<TargetGroup[] | null>(null);
  const [categories, setCategories] = useState<CategoryInfo[] | null>(null);
  // Names for the details pane; without them ids are shown.
  const readNames = useCallback(() => {
    call("list_target_groups", {}).then(setTargets, () => undefined);
    call("list_categories", {}).then(setCategories, () => undefined);
  }, []);
  const page = useListPage(readAdrs, readNames);
  const { rows, act, load } = page;
  const wizard = useOverlay<AdrWizardMode>(load);
  const adding = useOverlay<AutomaticDeploymentRule>(load);
  const previewing = useOverlay<AutomaticDeploymentRule>(load);
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (rule: AutomaticDeploymentRule) => ({
    title: t.deleteTitle,
    question: t.deleteQuestion(rule.spec.name),
    failureTitle: t.actionFailed,
    run: () => call("delete_adr", { id: rule.id }),
  }));
  const [ran, setRan] = useState<{ name: string; run: AdrRunInfo } | null>(null);

  useEffect(() => subscribe((event) => event.type === "ruleRunChanged" && load()), [load]);

  // Run Now answers at once (Running); the bar follows that run through the re-read list,
  // which may already hold its end when the answer arrives.
  const ranState = ran ? (rows.find((x) => x.lastRun?.runId === ran.run.runId)?.lastRun?.state ?? ran.run.state) : null;
  const runNow = (rule: AutomaticDeploymentRule) =>
    void act(async () => {
      setRan(null);
      setRan({ name: rule.spec.name, run: await call("run_adr", { id: rule.id }) });
    });
  const group = "rule";

  const commands: Command[] = [
    { id: "create", needs: "create_adr", label: t.create, description: t.createHint, icon: <AddRegular />, group: "create", run: () => wizard.open({ kind: "create" }) },
    refreshCommand(t.refresh, page),
    rowCommand(page, { id: "runNow", needs: "run_adr", label: t.runNow, description: t.runNowHint, icon: <PlayRegular />, group, idle: true, run: runNow }),
    ...enableCommands(page, t, group, (rule, enabled) => call("set_adr_enabled", { id: rule.id, enabled }), "set_adr_enabled"),
    rowCommand(page, { id: "preview", label: t.preview, description: t.previewHint, icon: <EyeRegular />, group, run: previewing.open }),
    rowCommand(page, { id: "addDeployment", needs: "edit_adr", label: t.addDeployment, description: t.addDeploymentHint, icon: <SendRegular />, group, idle: true, run: adding.open }),
    propertiesCommand(page, { needs: "edit_adr", label: t.properties, group, idle: true, run: (rule) => wizard.open({ kind: "edit", rule }) }),
    deleteCommand(page, { needs: "delete_adr", label: t.delete, group, idle: true, ask: deletion.ask }),
  ];

  const parts: ListPageParts<AutomaticDeploymentRule> = {
    texts: t,
    common: strings,
    columns: adrColumns,
    details: {
      texts: t.details,
      height: "42%",
      tabs: [
        { id: "summary", label: t.details.summary, render: (rule) => <RuleSummary rule={rule} categories={categories} /> },
        { id: "deployments", label: t.details.deployments, render: (rule) => <RuleDeployments rule={rule} targets={targets} /> },
      ],
    },
  };

  return (
    <ItemListPage
      page={page}
      parts={parts}
      commands={commands}
      onActivate={(rule) => wizard.open({ kind: "edit", rule })}
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
      overlays={
        <>
          {wizard.value && <AdrWizard key={wizard.value.kind === "edit" ? `edit-${wizard.value.rule.id}` : "create"} mode={wizard.value} onClose={wizard.close} />}
          {adding.value && <AddDeploymentDialog rule={adding.value} onClose={adding.close} />}
          {previewing.value && <PreviewDialog criteria={previewing.value.spec.criteria} onClose={() => previewing.close()} />}
          {deletion.dialog}
        </>
      }
    />
  );
}
