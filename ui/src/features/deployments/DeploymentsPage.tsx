// Monitoring > Deployments: every deployment with its target and its counts by state (zero
// until clients report), a chart of the selected one, and Enable / Disable (DEP-4),
// Properties (the wizard's pages as tabs, saved by edit_deployment) and Delete.
import { makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons";
import { call } from "../../api";
import { DataVizPalette } from "@fluentui/react-charts";
import { BarChart } from "../../components/BarChart/BarChart";
import type { Command } from "../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../components/ConfirmDialog";
import { formatUtc } from "../../components/format";
import { ItemListPage, type ListPageParts } from "../../components/ItemListPage";
import { MutedText } from "../../components/MutedText";
import { PropertyList } from "../../components/PropertyList";
import { deleteCommand, enableCommands, propertiesCommand, refreshCommand } from "../../components/rowCommands";
import { useListPage } from "../../components/useListPage";
import { useLinkedRow } from "../../components/useLinkedRow";
import { useOverlay } from "../../components/useOverlay";
import { deploymentColumns, deploymentTime } from "./columns";
import { DeploymentProperties } from "./DeploymentProperties";
import { DeployWizard } from "./DeployWizard";
import { strings } from "./strings";
import type { Deployment } from "./types";

const t = strings.page;
const readDeployments = () => call("list_deployments", {});

const useStyles = makeStyles({
  summary: { display: "flex", gap: tokens.spacingHorizontalXXL, flexWrap: "wrap", alignItems: "flex-start" },
});

// Compliant, In Progress, Error, Requirements Not Met, Unknown.
const STATE_COLORS = [DataVizPalette.success, DataVizPalette.info, DataVizPalette.error, DataVizPalette.warning, DataVizPalette.disabled];

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
          categoryLabel={t.columns.name}
          categories={[d.name]}
          series={series.map((s, i) => ({ id: s.label, label: s.label, color: STATE_COLORS[i], values: [s.value] }))}
          height={160}
        />
        {!reported && <MutedText size={200}>{t.details.chartEmpty}</MutedText>}
      </div>
    </div>
  );
}

const deploymentsList: ListPageParts<Deployment> = {
  texts: t,
  common: strings,
  columns: deploymentColumns,
  details: { texts: t.details, height: "42%", tabs: [{ id: "summary", label: t.details.summary, render: (d) => <DeploymentSummary d={d} /> }] },
};

export function DeploymentsPage() {
  const page = useListPage(readDeployments);
  const wizard = useOverlay(page.load);
  const properties = useOverlay<Deployment>(page.load);
  // An alert's link names the deployment below its compliance alert.
  useLinkedRow(page.list, "id", (d) => d.id, (selection) => page.setSelection(selection));
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (d: Deployment) => ({
    title: t.deleteTitle,
    question: t.deleteQuestion(d.name),
    failureTitle: t.actionFailed,
    run: () => call("delete_deployment", { id: d.id }),
  }));
  const group = "deployment";

  const commands: Command[] = [
    { id: "deploy", needs: "create_deployment", label: t.deploy, description: t.deployHint, icon: <AddRegular />, group: "create", run: () => wizard.open(true) },
    refreshCommand(t.refresh, page),
    ...enableCommands(page, t, group, (d, enabled) => call("set_deployment_enabled", { id: d.id, enabled }), "set_deployment_enabled"),
    propertiesCommand(page, { needs: "edit_deployment", label: t.properties, group, idle: true, run: (deployment) => properties.open(deployment) }),
    deleteCommand(page, { needs: "delete_deployment", label: t.delete, group, idle: true, ask: deletion.ask }),
  ];

  return (
    <ItemListPage
      page={page}
      parts={deploymentsList}
      commands={commands}
      onActivate={(deployment) => properties.open(deployment)}
      overlays={
        <>
          {wizard.value && <DeployWizard mode={{ kind: "create" }} onClose={wizard.close} />}
          {properties.value && <DeploymentProperties key={properties.value.id} deployment={properties.value} onClose={properties.close} />}
          {deletion.dialog}
        </>
      }
    />
  );
}
