// Software Library > Software Update Groups (GRP-1): every group with its counts, its
// Properties (members, compliance summary, rename, remove members), Approve, Deploy,
// Download and Delete; the details pane shows the focused group's summary and deployments.
// Groups are created from All Software Updates ("Create Software Update Group").
import { useCallback, useState } from "react";
import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular, CheckmarkCircleRegular, DeleteRegular, InfoRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { ConfirmActionDialog } from "../../components/ConfirmDialog";
import { DataGrid, emptySelection, singleSelected, type DataGridColumn, type Selection } from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { formatUtc } from "../../components/format";
import { ListPage } from "../../components/ListPage";
import { useReloadingList } from "../../components/useReloadingList";
import { PropertyList } from "../../components/PropertyList";
import { ApproveWizard } from "../approvals/ApproveWizard";
import { useDownloadCommand } from "../content/useDownload";
import { GroupDeployments } from "../deployments/GroupDeployments";
import { useDeployCommand } from "../deployments/useDeploy";
import { groupActionSource } from "./groupActions";
import { compliancePercent } from "./compliance";
import { strings } from "./strings";
import type { UpdateGroupInfo } from "./types";
import { UpdateGroupProperties } from "./UpdateGroupProperties";

const u = strings.updateGroups;

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
});

export const updateGroupColumns: readonly DataGridColumn<UpdateGroupInfo>[] = [
  { id: "name", header: u.columns.name, width: 300, render: (g) => g.name, title: (g) => g.name },
  { id: "description", header: u.columns.description, width: 300, render: (g) => g.description, title: (g) => g.description },
  { id: "members", header: u.columns.members, width: 90, align: "end", render: (g) => String(g.memberCount) },
  { id: "deployments", header: u.columns.deployments, width: 110, align: "end", render: (g) => String(g.deploymentCount) },
  {
    id: "compliance",
    header: u.columns.compliance,
    width: 110,
    align: "end",
    render: (g) => u.compliancePercent(compliancePercent(g.compliance)),
  },
  { id: "created", header: u.columns.created, width: 160, render: (g) => formatUtc(g.createdUtc) },
];

const groupsRead = () => call("list_update_groups", {}).then((list) => [...list].sort((a, b) => a.name.localeCompare(b.name)));

export function UpdateGroupsPage() {
  const styles = useStyles();
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [propertiesFor, setPropertiesFor] = useState<UpdateGroupInfo | null>(null);
  const [deleting, setDeleting] = useState<UpdateGroupInfo | null>(null);
  const [approving, setApproving] = useState<{ updateIds: string[]; titles: string[] } | null>(null);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [generation, setGeneration] = useState(0);
  const { rows: groups, failure } = useReloadingList(groupsRead, generation);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const single = singleSelected(selection);
  const selected = single !== null ? groups?.[single] : undefined;
  const focused = groups?.[selection.focus ?? single ?? -1];
  const source = groupActionSource(selected);
  const deploy = useDeployCommand({ ...source, onCreated: reload });
  const download = useDownloadCommand(source);

  // Approve the group's members (APR-2 on a software update group): read them, then the wizard.
  const approve = async (group: UpdateGroupInfo) => {
    setActionFailure(null);
    try {
      const details = await call("get_update_group", { id: group.id });
      if (details.members.length === 0) {
        setActionFailure(toApiFailure(u.approveEmpty(group.name), "Validation"));
        return;
      }
      setApproving({ updateIds: details.members.map((m) => m.updateId), titles: details.members.map((m) => m.title) });
    } catch (e) {
      setActionFailure(toApiFailure(e));
    }
  };

  const commands: Command[] = [
    {
      id: "properties",
      label: u.properties,
      description: u.propertiesHint,
      icon: <InfoRegular />,
      group: "group",
      disabled: !selected,
      run: () => selected && setPropertiesFor(selected),
    },
    {
      id: "approve",
      label: u.approve,
      description: u.approveHint,
      icon: <CheckmarkCircleRegular />,
      group: "group",
      disabled: !selected,
      run: () => selected && void approve(selected),
    },
    deploy.command,
    download.command,
    {
      id: "delete",
      label: u.delete,
      description: u.deleteHint,
      icon: <DeleteRegular />,
      group: "group",
      disabled: !selected,
      run: () => selected && setDeleting(selected),
    },
    { id: "refresh", label: u.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: reload },
  ];

  return (
    <ListPage
      commandsLabel={u.barLabel}
      commands={commands}
      title={u.pageTitle}
      count={groups === null ? u.loading : u.items(groups.length)}
      barsBefore={
        <>
          {deploy.bar}
          {download.bar}
        </>
      }
      loadFailure={failure && { title: u.loadFailed, message: failure.message, onRetry: reload, retryLabel: strings.retry }}
      actionFailure={
        actionFailure && { title: u.approveFailed, message: actionFailure.message, onDismiss: () => setActionFailure(null), dismissLabel: strings.dismiss }
      }
      gridMinHeight="120px"
      details={
        <DetailsPane
          ariaLabel={u.details.label}
          height="30%"
          tabs={[
            { id: "summary", label: u.details.summary, render: () => <UpdateGroupSummary group={focused} /> },
            {
              id: "deployments",
              label: u.details.deployments,
              render: () =>
                focused ? (
                  <GroupDeployments updateGroupId={focused.id} version={generation} />
                ) : (
                  <Text className={styles.muted}>{u.details.deploymentsNothingSelected}</Text>
                ),
            },
          ]}
        />
      }
      overlays={
        <>
          {propertiesFor && (
            <UpdateGroupProperties
              key={propertiesFor.id}
              groupId={propertiesFor.id}
              onClose={(changed) => {
                setPropertiesFor(null);
                if (changed) reload();
              }}
            />
          )}
          {approving && (
            <ApproveWizard
              updateIds={approving.updateIds}
              titles={approving.titles}
              onClose={(saved) => {
                setApproving(null);
                if (saved) reload();
              }}
            />
          )}
          {deploy.dialog}
          {download.dialog}
          {deleting && (
            <ConfirmActionDialog
              title={u.deleteTitle(deleting.name)}
              question={u.deleteConfirm(deleting.name, deleting.memberCount)}
              labels={{ yes: strings.yes, no: strings.no }}
              failureTitle={u.deleteFailed}
              run={() => call("delete_update_group", { id: deleting.id })}
              onClose={() => setDeleting(null)}
              onDone={() => {
                setDeleting(null);
                setSelection(emptySelection);
                reload();
              }}
            />
          )}
        </>
      }
    >
      <DataGrid<UpdateGroupInfo>
        ariaLabel={u.gridLabel}
        columns={updateGroupColumns}
        rowCount={groups?.length ?? 0}
        getRow={(i) => groups?.[i]}
        selection={selection}
        onSelectionChange={setSelection}
        onActivate={(i) => groups?.[i] && setPropertiesFor(groups[i])}
        emptyText={groups !== null && !failure ? u.empty : undefined}
        version={generation}
      />
    </ListPage>
  );
}

function UpdateGroupSummary({ group }: { group: UpdateGroupInfo | undefined }) {
  const styles = useStyles();
  const d = u.dialog;
  if (!group) return <Text className={styles.muted}>{u.details.nothingSelected}</Text>;
  const c = group.compliance;
  return (
    <PropertyList
      ariaLabel={u.details.summary}
      items={[
        { label: d.name, value: group.name },
        { label: d.description, value: group.description || "—" },
        { label: d.memberCount, value: String(group.memberCount) },
        { label: d.deployments, value: String(group.deploymentCount) },
        { label: d.compliant, value: u.compliancePercent(compliancePercent(c)) },
        { label: d.required, value: String(c.required) },
        { label: d.installed, value: String(c.installed) },
        { label: d.notRequired, value: String(c.notRequired) },
        { label: d.failed, value: String(c.failed) },
        { label: d.unknown, value: String(c.unknown) },
        { label: d.created, value: formatUtc(group.createdUtc) },
      ]}
    />
  );
}
