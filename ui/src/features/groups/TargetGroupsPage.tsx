// Assets and Compliance > Device Collections: the target-group tree (collections / computer
// groups, APR-1), its commands (create, rename, move, delete), the selected group's members,
// and a details pane with the group's summary and its effective approvals.
import { useEffect, useMemo, useState } from "react";
import { Checkbox, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import {
  AddRegular,
  ArrowClockwiseRegular,
  ArrowMoveRegular,
  DeleteRegular,
  PersonAddRegular,
  PersonDeleteRegular,
  RenameRegular,
} from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { CommandBar, type Command } from "../../components/CommandBar/CommandBar";
import { DataGrid, emptySelection, selectedIndexes, type DataGridColumn, type Selection } from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { PropertyList } from "../../components/PropertyList";
import { ApprovalsView } from "../approvals/ApprovalsView";
import { EffectivePolicyView } from "../approvals/EffectivePolicyView";
import { GroupTree } from "./GroupTree";
import { strings } from "./strings";
import { AddMembersDialog, DeleteGroupDialog, GroupFormDialog, MoveGroupDialog } from "./TargetGroupDialogs";
import { isRoot } from "./tree";
import type { Computer, TargetGroup } from "./types";
import { useTargetGroups } from "./useTargetGroups";

const t = strings.targets;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", height: "100%", minHeight: 0 },
  heading: {
    display: "flex",
    alignItems: "baseline",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
  count: { color: tokens.colorNeutralForeground3 },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, padding: `0 ${tokens.spacingHorizontalM}` },
  split: { display: "flex", flexGrow: 1, minHeight: 0 },
  treePane: {
    width: "300px",
    flexShrink: 0,
    overflow: "auto",
    padding: tokens.spacingVerticalXS,
    borderRightWidth: tokens.strokeWidthThin,
    borderRightStyle: "solid",
    borderRightColor: tokens.colorNeutralStroke2,
  },
  membersPane: { display: "flex", flexDirection: "column", flexGrow: 1, minWidth: 0, minHeight: 0 },
  membersHead: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
  },
  grid: { flexGrow: 1, minHeight: "100px" },
  muted: { color: tokens.colorNeutralForeground3 },
});

type DialogState =
  | { kind: "create"; parent: TargetGroup }
  | { kind: "rename"; group: TargetGroup }
  | { kind: "move"; group: TargetGroup }
  | { kind: "delete"; group: TargetGroup }
  | { kind: "addMembers"; group: TargetGroup }
  | null;

export function TargetGroupsPage() {
  const styles = useStyles();
  const groups = useTargetGroups();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [includeSubgroups, setIncludeSubgroups] = useState(false);
  const [members, setMembers] = useState<Computer[] | null>(null);
  const [membersFailure, setMembersFailure] = useState<ApiFailure | null>(null);
  const [memberSelection, setMemberSelection] = useState<Selection>(emptySelection);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [membersGeneration, setMembersGeneration] = useState(0);

  const list = useMemo(() => groups.groups ?? [], [groups.groups]);
  // The root is selected first; a deleted group's selection falls back to the root.
  const selected = (selectedId !== null ? groups.byId(selectedId) : undefined) ?? list.find(isRoot) ?? list[0];

  useEffect(() => {
    if (!selected) return;
    let live = true;
    setMembers(null);
    setMemberSelection(emptySelection);
    call("list_computers", { groupId: selected.id, includeSubgroups }).then(
      (rows) => {
        if (!live) return;
        setMembers(rows);
        setMembersFailure(null);
      },
      (e: unknown) => {
        if (!live) return;
        setMembers([]);
        setMembersFailure(toApiFailure(e));
      },
    );
    return () => {
      live = false;
    };
  }, [selected?.id, includeSubgroups, membersGeneration]);

  const names = useMemo(() => new Map(list.map((g) => [g.id, g.name])), [list]);
  const columns: DataGridColumn<Computer>[] = [
    { id: "name", header: t.columns.name, width: 240, render: (c) => c.name, title: (c) => c.name },
    { id: "os", header: t.columns.os, width: 240, render: (c) => c.os, title: (c) => c.os },
    { id: "lastSeen", header: t.columns.lastSeen, width: 160, render: (c) => formatUtc(c.lastSeenUtc) },
    {
      id: "groups",
      header: t.columns.groups,
      width: 320,
      render: (c) => c.groupIds.map((id) => names.get(id) ?? String(id)).join(", "),
    },
  ];

  const root = selected ? isRoot(selected) : true;
  const chosenMembers = selectedIndexes(memberSelection)
    .map((i) => members?.[i])
    .filter((c): c is Computer => c !== undefined && selected !== undefined && c.groupIds.includes(selected.id));

  const removeMembers = async () => {
    if (!selected || chosenMembers.length === 0) return;
    setActionFailure(null);
    try {
      await call("remove_group_members", { groupId: selected.id, computerIds: chosenMembers.map((c) => c.id) });
      setMembersGeneration((g) => g + 1);
      groups.reload();
    } catch (e) {
      setActionFailure(toApiFailure(e));
    }
  };

  const commands: Command[] = [
    {
      id: "createGroup",
      needs: "create_target_group",
      label: t.create,
      description: t.createHint,
      icon: <AddRegular />,
      group: "group",
      disabled: !selected,
      run: () => selected && setDialog({ kind: "create", parent: selected }),
    },
    {
      id: "renameGroup",
      needs: "update_target_group",
      label: t.rename,
      description: t.renameHint,
      icon: <RenameRegular />,
      group: "group",
      disabled: !selected,
      run: () => selected && setDialog({ kind: "rename", group: selected }),
    },
    {
      id: "moveGroup",
      needs: "update_target_group",
      label: t.move,
      description: root ? t.rootLocked : t.moveHint,
      icon: <ArrowMoveRegular />,
      group: "group",
      disabled: !selected || root,
      run: () => selected && setDialog({ kind: "move", group: selected }),
    },
    {
      id: "deleteGroup",
      needs: "delete_target_group",
      label: t.delete,
      description: root ? t.rootLocked : t.deleteHint,
      icon: <DeleteRegular />,
      group: "group",
      disabled: !selected || root,
      run: () => selected && setDialog({ kind: "delete", group: selected }),
    },
    {
      id: "addMembers",
      needs: "add_group_members",
      label: t.addMembers,
      description: t.addMembersHint,
      icon: <PersonAddRegular />,
      group: "members",
      disabled: !selected || root,
      run: () => selected && setDialog({ kind: "addMembers", group: selected }),
    },
    {
      id: "removeMembers",
      needs: "remove_group_members",
      label: t.removeMembers,
      description: t.removeMembersHint,
      icon: <PersonDeleteRegular />,
      group: "members",
      disabled: root || chosenMembers.length === 0,
      run: () => void removeMembers(),
    },
    {
      id: "refresh",
      label: t.refresh,
      icon: <ArrowClockwiseRegular />,
      group: "view",
      run: () => {
        groups.reload();
        setMembersGeneration((g) => g + 1);
      },
    },
  ];

  const closeAndReload = (select?: number) => {
    setDialog(null);
    groups.reload();
    if (select !== undefined) setSelectedId(select);
  };

  return (
    <div className={styles.root}>
      <CommandBar ariaLabel={t.barLabel} commands={commands} />
      <div className={styles.heading}>
        <Subtitle2 as="h1">{t.pageTitle}</Subtitle2>
        <Text className={styles.count} role="status">
          {groups.groups === null ? t.loading : t.groups(list.length)}
        </Text>
      </div>
      <div className={styles.bars}>
        {groups.failure && (
          <ErrorBar title={t.loadFailed} message={groups.failure.message} onRetry={groups.reload} retryLabel={strings.retry} />
        )}
        {actionFailure && (
          <ErrorBar
            title={t.dialogs.failed}
            message={actionFailure.message}
            onDismiss={() => setActionFailure(null)}
            dismissLabel={strings.dismiss}
          />
        )}
      </div>
      <div className={styles.split}>
        <div className={styles.treePane}>
          <GroupTree
            ariaLabel={t.treeLabel}
            tree={groups.tree}
            mode={{ kind: "select", selectedId: selected?.id ?? null, onSelect: setSelectedId }}
          />
        </div>
        <section className={styles.membersPane} aria-label={t.membersLabel}>
          <div className={styles.membersHead}>
            <Text weight="semibold">{selected ? t.membersHeading(selected.path) : t.selectGroup}</Text>
            <Checkbox
              label={t.includeSubgroups}
              checked={includeSubgroups}
              onChange={(_, d) => setIncludeSubgroups(d.checked === true)}
            />
          </div>
          {membersFailure && <ErrorBar title={t.membersFailed} message={membersFailure.message} />}
          <div className={styles.grid}>
            <DataGrid<Computer>
              ariaLabel={t.membersLabel}
              columns={columns}
              rowCount={members?.length ?? 0}
              getRow={(i) => members?.[i]}
              selection={memberSelection}
              onSelectionChange={setMemberSelection}
              emptyText={members !== null && !membersFailure ? t.noMembers : undefined}
              version={members?.length}
            />
          </div>
        </section>
      </div>
      {selected && (
        <DetailsPane
          key={selected.id}
          ariaLabel={t.details.label}
          height="36%"
          tabs={[
            { id: "summary", label: t.details.summary, render: () => <GroupSummary group={selected} /> },
            {
              id: "approvals",
              label: t.details.approvals,
              render: () => <ApprovalsView subject={{ kind: "group", groupId: selected.id }} />,
            },
            {
              id: "policy",
              label: t.details.policy,
              render: () => <EffectivePolicyView groupId={selected.id} />,
            },
          ]}
        />
      )}
      {dialog?.kind === "create" && (
        <GroupFormDialog groups={list} parent={dialog.parent} onClose={() => setDialog(null)} onDone={(g) => closeAndReload(g.id)} />
      )}
      {dialog?.kind === "rename" && (
        <GroupFormDialog
          groups={list}
          parent={groups.byId(dialog.group.parentId ?? -1) ?? dialog.group}
          group={dialog.group}
          onClose={() => setDialog(null)}
          onDone={(g) => closeAndReload(g.id)}
        />
      )}
      {dialog?.kind === "move" && (
        <MoveGroupDialog groups={list} group={dialog.group} onClose={() => setDialog(null)} onDone={(g) => closeAndReload(g.id)} />
      )}
      {dialog?.kind === "delete" && (
        <DeleteGroupDialog
          group={dialog.group}
          onClose={() => setDialog(null)}
          onDone={() => closeAndReload(dialog.group.parentId ?? undefined)}
        />
      )}
      {dialog?.kind === "addMembers" && (
        <AddMembersDialog
          group={dialog.group}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            groups.reload();
            setMembersGeneration((g) => g + 1);
          }}
        />
      )}
    </div>
  );
}

function GroupSummary({ group }: { group: TargetGroup }) {
  const d = t.details;
  return (
    <PropertyList
      ariaLabel={d.summary}
      items={[
        { label: d.name, value: group.name },
        { label: d.path, value: group.path },
        { label: d.description, value: group.description || d.none },
        { label: d.members, value: String(group.memberCount) },
        { label: d.assignments, value: String(group.assignmentCount) },
        { label: d.created, value: formatUtc(group.createdUtc) },
      ]}
    />
  );
}
