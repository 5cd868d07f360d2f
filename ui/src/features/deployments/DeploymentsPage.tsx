// Monitoring > Deployments: every deployment with its target and its counts by state (zero
// until clients report), a chart of the selected one, and Enable / Disable (DEP-4),
// Properties (the wizard's pages with the values; saved by edit_deployment) and Delete.
import { useCallback, useEffect, useState } from "react";
import { Text, makeStyles, tokens } from "@fluentui/react-components";
import {
  AddRegular,
  ArrowClockwiseRegular,
  CheckmarkCircleRegular,
  DeleteRegular,
  DismissCircleRegular,
  InfoRegular,
} from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { BarChart } from "../../components/BarChart/BarChart";
import type { Command } from "../../components/CommandBar/CommandBar";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataGrid, clampSelection, emptySelection, singleSelected, type Selection } from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { formatUtc } from "../../components/format";
import { ListPage } from "../../components/ListPage";
import { PropertyList } from "../../components/PropertyList";
import { deploymentColumns, deploymentTime } from "./columns";
import { DeployWizard, type DeployWizardMode } from "./DeployWizard";
import { strings } from "./strings";
import type { Deployment } from "./types";

const t = strings.page;

const useStyles = makeStyles({
  summary: { display: "flex", gap: tokens.spacingHorizontalXXL, flexWrap: "wrap", alignItems: "flex-start" },
  muted: { color: tokens.colorNeutralForeground3 },
});

// Compliant, In Progress, Error, Requirements Not Met, Unknown.
const STATE_COLORS = [
  tokens.colorPaletteGreenBackground3,
  tokens.colorBrandBackground,
  tokens.colorPaletteRedBackground3,
  tokens.colorPaletteMarigoldBackground3,
  tokens.colorNeutralForeground4,
];

/** The state counts of a deployment, in the order the grid and the chart show them. */
export function countSeries(d: Deployment): { label: string; value: number }[] {
  const s = t.states;
  return [
    { label: s.compliant, value: d.counts.compliant },
    { label: s.inProgress, value: d.counts.inProgress },
    { label: s.error, value: d.counts.error },
    { label: s.requirementsNotMet, value: d.counts.requirementsNotMet },
    { label: s.unknown, value: d.counts.unknown },
  ];
}

function DeploymentSummary({ d }: { d: Deployment }) {
  const styles = useStyles();
  const c = t.columns;
  const series = countSeries(d);
  const reported = series.some((s) => s.value > 0);
  return (
    <div className={styles.summary} data-testid="deployment-summary">
      <PropertyList
        items={[
          { label: c.name, value: d.name },
          { label: t.details.description, value: d.description || strings.none },
          { label: c.group, value: d.updateGroupName },
          { label: t.details.updates, value: String(d.updateCount) },
          { label: c.collection, value: d.targetGroupPath },
          { label: c.type, value: strings.wizard.settings[d.settings.deploymentType] },
          { label: c.enabled, value: d.enabled ? strings.yes : strings.no },
          { label: c.available, value: deploymentTime(d.settings.availableUtc, d.settings.timeBasis) },
          { label: c.deadline, value: deploymentTime(d.settings.deadlineUtc, d.settings.timeBasis) || strings.none },
          { label: t.details.createdBy, value: d.createdBy },
          { label: t.details.created, value: formatUtc(d.createdUtc) },
          { label: t.details.modified, value: formatUtc(d.modifiedUtc) },
        ]}
      />
      <div>
        <BarChart
          ariaLabel={t.details.chart}
          categories={[d.name]}
          series={series.map((s, i) => ({ id: s.label, label: s.label, color: STATE_COLORS[i], values: [s.value] }))}
          height={160}
        />
        {!reported && <Text size={200} className={styles.muted}>{t.details.chartEmpty}</Text>}
      </div>
    </div>
  );
}

export function DeploymentsPage() {
  const styles = useStyles();
  const [list, setList] = useState<Deployment[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [wizard, setWizard] = useState<DeployWizardMode | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<Deployment | null>(null);
  const [working, setWorking] = useState(false);
  const [version, setVersion] = useState(0);

  const load = useCallback(() => {
    call("list_deployments", {}).then(
      (l) => {
        setList(l);
        setVersion((v) => v + 1);
        setFailure(null);
        setSelection((s) => clampSelection(s, l.length));
      },
      (e: unknown) => setFailure(toApiFailure(e)),
    );
  }, []);

  useEffect(load, [load]);

  const rows = list ?? [];
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
    { id: "deploy", label: t.deploy, description: t.deployHint, icon: <AddRegular />, group: "create", run: () => setWizard({ kind: "create" }) },
    { id: "refresh", label: t.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: load },
    {
      id: "enable",
      label: t.enable,
      icon: <CheckmarkCircleRegular />,
      group: "deployment",
      disabled: !selected || selected.enabled || working,
      run: () => selected && void act(() => call("set_deployment_enabled", { id: selected.id, enabled: true })),
    },
    {
      id: "disable",
      label: t.disable,
      icon: <DismissCircleRegular />,
      group: "deployment",
      disabled: !selected || !selected.enabled || working,
      run: () => selected && void act(() => call("set_deployment_enabled", { id: selected.id, enabled: false })),
    },
    {
      id: "properties",
      label: t.properties,
      icon: <InfoRegular />,
      group: "deployment",
      disabled: !selected || working,
      run: () => selected && setWizard({ kind: "edit", deployment: selected }),
    },
    {
      id: "delete",
      label: t.delete,
      icon: <DeleteRegular />,
      group: "deployment",
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
      details={
        <DetailsPane
          ariaLabel={t.details.label}
          height="42%"
          tabs={[
            {
              id: "summary",
              label: t.details.summary,
              render: () => (focused ? <DeploymentSummary d={focused} /> : <Text className={styles.muted}>{t.details.nothingSelected}</Text>),
            },
          ]}
        />
      }
      overlays={
        <>
          {wizard && (
            <DeployWizard
              key={wizard.kind === "edit" ? `edit-${wizard.deployment.id}` : "create"}
              mode={wizard}
              onClose={(saved) => {
                setWizard(null);
                if (saved) load();
              }}
            />
          )}
          {confirmDelete && (
            <ConfirmDialog
              title={t.deleteTitle}
              question={t.deleteQuestion(confirmDelete.name)}
              labels={{ yes: strings.yes, no: strings.no }}
              onNo={() => setConfirmDelete(null)}
              onYes={() => {
                const d = confirmDelete;
                setConfirmDelete(null);
                void act(() => call("delete_deployment", { id: d.id }));
              }}
            />
          )}
        </>
      }
    >
      <DataGrid<Deployment>
        ariaLabel={t.gridLabel}
        columns={deploymentColumns}
        rowCount={rows.length}
        getRow={(i) => rows[i]}
        selection={selection}
        onSelectionChange={setSelection}
        onActivate={(i) => rows[i] && setWizard({ kind: "edit", deployment: rows[i] })}
        emptyText={list ? t.empty : undefined}
        loadingText={strings.loading}
        version={version}
      />
    </ListPage>
  );
}
