// Administration › Update Agent Policy (POL-1, POL-2): the policies with the groups they are
// deployed to (New / Edit / Delete), and the effective policy of a chosen group.
import { useCallback, useEffect, useMemo, useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowClockwiseRegular, DeleteRegular, EditRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { ConfirmActionDialog } from "../../../components/ConfirmDialog";
import { DataGrid, emptySelection, singleSelected, type DataGridColumn, type Selection } from "../../../components/DataGrid";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtc } from "../../../components/format";
import { ListPage } from "../../../components/ListPage";
import { useReloadingList } from "../../../components/useReloadingList";
import { useTargetGroups } from "../../groups/useTargetGroups";
import { EffectivePolicyPanel } from "./EffectivePolicyPanel";
import { PolicyEditor } from "./PolicyEditor";
import { strings } from "./strings";
import type { AgentPolicy, PolicySettingInfo } from "./types";

const useStyles = makeStyles({
  effective: {
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    borderTopWidth: tokens.strokeWidthThick,
    borderTopStyle: "solid",
    borderTopColor: tokens.colorNeutralStroke2,
  },
});

const policiesRead = () => call("list_agent_policies", {}).then((list) => [...list].sort((a, b) => a.spec.name.localeCompare(b.spec.name)));

export function AgentPolicyPage() {
  const styles = useStyles();
  const groups = useTargetGroups();
  const [info, setInfo] = useState<PolicySettingInfo[] | null>(null);
  const [infoFailure, setInfoFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [generation, setGeneration] = useState(0);
  const { rows: policies, failure } = useReloadingList(policiesRead, generation);
  const [editing, setEditing] = useState<{ policy?: AgentPolicy } | null>(null);
  const [deleting, setDeleting] = useState<AgentPolicy | null>(null);

  useEffect(() => {
    let live = true;
    call("agent_policy_settings_info", {}).then(
      (list) => {
        if (!live) return;
        setInfo(list);
        setInfoFailure(null);
      },
      (e: unknown) => live && setInfoFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const single = singleSelected(selection);
  const selected = single !== null ? policies?.[single] : undefined;

  const columns = useMemo<DataGridColumn<AgentPolicy>[]>(() => {
    const paths = (p: AgentPolicy) => p.spec.groupIds.map((id) => groups.byId(id)?.path ?? `#${id}`).join(", ");
    return [
      { id: "name", header: strings.columns.name, width: 260, render: (p) => p.spec.name, title: (p) => p.spec.description || p.spec.name },
      { id: "groups", header: strings.columns.groups, width: 360, render: (p) => paths(p) || strings.noGroups, title: paths },
      { id: "modified", header: strings.columns.modified, width: 170, render: (p) => formatUtc(p.modifiedUtc) },
    ];
  }, [groups]);

  const commands: Command[] = [
    { id: "new", label: strings.new, description: strings.newHint, icon: <AddRegular />, group: "policy", disabled: !info, run: () => setEditing({}) },
    {
      id: "edit",
      label: strings.edit,
      description: strings.editHint,
      icon: <EditRegular />,
      group: "policy",
      disabled: !selected || !info,
      run: () => selected && setEditing({ policy: selected }),
    },
    {
      id: "delete",
      label: strings.delete,
      description: strings.deleteHint,
      icon: <DeleteRegular />,
      group: "policy",
      disabled: !selected,
      run: () => selected && setDeleting(selected),
    },
    { id: "refresh", label: strings.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: reload },
  ];

  return (
    <ListPage
      commandsLabel={strings.barLabel}
      commands={commands}
      title={strings.pageTitle}
      count={policies === null ? strings.loading : strings.items(policies.length)}
      loadFailure={failure && { title: strings.loadFailed, message: failure.message, onRetry: reload, retryLabel: strings.retry }}
      bars={infoFailure && <ErrorBar title={strings.infoFailed} message={infoFailure.message} onRetry={reload} retryLabel={strings.retry} />}
      gridHeight="260px"
      details={
        <div className={styles.effective}>
          <EffectivePolicyPanel groups={groups} info={info ?? []} version={generation} />
        </div>
      }
      overlays={
        <>
          {editing && info && (
            <PolicyEditor
              policy={editing.policy}
              info={info}
              policies={policies ?? []}
              onClose={(saved) => {
                setEditing(null);
                if (saved) reload();
              }}
            />
          )}
          {deleting && (
            <ConfirmActionDialog
              title={strings.deleteTitle(deleting.spec.name)}
              question={strings.deleteConfirm(deleting.spec.name)}
              labels={{ yes: strings.yes, no: strings.no }}
              failureTitle={strings.deleteFailed}
              run={() => call("delete_agent_policy", { id: deleting.id })}
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
      <DataGrid<AgentPolicy>
        ariaLabel={strings.gridLabel}
        columns={columns}
        rowCount={policies?.length ?? 0}
        getRow={(i) => policies?.[i]}
        selection={selection}
        onSelectionChange={setSelection}
        onActivate={(i) => info && policies?.[i] && setEditing({ policy: policies[i] })}
        emptyText={policies !== null && !failure ? strings.empty : undefined}
        version={generation}
      />
    </ListPage>
  );
}
