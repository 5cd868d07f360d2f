// Software Library > Software Update Groups (GRP-1): every group with its counts, its
// Properties (members, compliance summary, rename, remove members), Approve, Deploy,
// Download and Delete; the details pane shows the focused group's summary and deployments.
// Groups are created from All Software Updates ("Create Software Update Group").
import { CheckmarkCircleRegular } from "@fluentui/react-icons";
import { call, toApiFailure } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../components/ConfirmDialog";
import type { DataGridColumn } from "../../components/DataGrid";
import { formatUtc } from "../../components/format";
import { ItemListPage, type ListPageParts } from "../../components/ItemListPage";
import { deleteCommand, propertiesCommand, refreshCommand, rowCommand } from "../../components/rowCommands";
import { useListPage } from "../../components/useListPage";
import { useOverlay } from "../../components/useOverlay";
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
  const page = useListPage(groupsRead);
  const { selected, load, setActionFailure } = page;
  const propertiesFor = useOverlay<UpdateGroupInfo>(load);
  const approving = useOverlay<{ updateIds: string[]; titles: string[] }>(load);
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (g: UpdateGroupInfo) => ({
    title: u.deleteTitle(g.name),
    question: u.deleteConfirm(g.name, g.memberCount),
    failureTitle: u.deleteFailed,
    run: () => call("delete_update_group", { id: g.id }),
  }));
  const source = groupActionSource(selected ?? undefined);
  const deploy = useDeployCommand({ ...source, onCreated: load });
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
      approving.open({ updateIds: details.members.map((m) => m.updateId), titles: details.members.map((m) => m.title) });
    } catch (e) {
      setActionFailure(toApiFailure(e));
    }
  };

  const group = "group";
  const commands: Command[] = [
    propertiesCommand(page, { label: u.properties, description: u.propertiesHint, group, run: propertiesFor.open }),
    rowCommand(page, { id: "approve", needs: "approve_updates", label: u.approve, description: u.approveHint, icon: <CheckmarkCircleRegular />, group, run: (g) => void approve(g) }),
    deploy.command,
    download.command,
    deleteCommand(page, { needs: "delete_update_group", label: u.delete, description: u.deleteHint, group, ask: deletion.ask }),
    refreshCommand(u.refresh, page),
  ];

  const parts: ListPageParts<UpdateGroupInfo> = {
    texts: { ...u, actionFailed: u.approveFailed },
    common: strings,
    columns: updateGroupColumns,
    details: {
      texts: u.details,
      height: "30%",
      tabs: [
        { id: "summary", label: u.details.summary, render: (g) => <UpdateGroupSummary group={g} /> },
        {
          id: "deployments",
          label: u.details.deployments,
          nothingSelected: u.details.deploymentsNothingSelected,
          render: (g) => <GroupDeployments updateGroupId={g.id} version={page.version} />,
        },
      ],
    },
  };

  return (
    <ItemListPage
      page={page}
      parts={parts}
      commands={commands}
      onActivate={propertiesFor.open}
      barsBefore={
        <>
          {deploy.bar}
          {download.bar}
        </>
      }
      gridMinHeight="120px"
      overlays={
        <>
          {propertiesFor.value && <UpdateGroupProperties key={propertiesFor.value.id} groupId={propertiesFor.value.id} onClose={propertiesFor.close} />}
          {approving.value && <ApproveWizard updateIds={approving.value.updateIds} titles={approving.value.titles} onClose={approving.close} />}
          {deploy.dialog}
          {download.dialog}
          {deletion.dialog}
        </>
      }
    />
  );
}

function UpdateGroupSummary({ group }: { group: UpdateGroupInfo }) {
  const d = u.dialog;
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
