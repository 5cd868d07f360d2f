// Administration › Update Agent Policy (POL-1, POL-2): the policies with the groups they are
// deployed to (New / Edit / Delete), and the effective policy of a chosen group.
import { useCallback, useMemo, useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, EditRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../../components/ConfirmDialog";
import type { DataGridColumn } from "../../../components/DataGrid";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtc } from "../../../components/format";
import { ItemListPage } from "../../../components/ItemListPage";
import { deleteCommand, refreshCommand, rowCommand } from "../../../components/rowCommands";
import { useListPage } from "../../../components/useListPage";
import { useOverlay } from "../../../components/useOverlay";
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
  const readInfo = useCallback(() => {
    call("agent_policy_settings_info", {}).then(
      (list) => {
        setInfo(list);
        setInfoFailure(null);
      },
      (e: unknown) => setInfoFailure(toApiFailure(e)),
    );
  }, []);
  const page = useListPage(policiesRead, readInfo);
  const { list: policies, load } = page;
  const editing = useOverlay<{ policy?: AgentPolicy }>(load);
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (p: AgentPolicy) => ({
    title: strings.deleteTitle(p.spec.name),
    question: strings.deleteConfirm(p.spec.name),
    failureTitle: strings.deleteFailed,
    run: () => call("delete_agent_policy", { id: p.id }),
  }));

  const columns = useMemo<DataGridColumn<AgentPolicy>[]>(() => {
    const paths = (p: AgentPolicy) => p.spec.groupIds.map((id) => groups.byId(id)?.path ?? `#${id}`).join(", ");
    return [
      { id: "name", header: strings.columns.name, width: 260, render: (p) => p.spec.name, title: (p) => p.spec.description || p.spec.name },
      { id: "groups", header: strings.columns.groups, width: 360, render: (p) => paths(p) || strings.noGroups, title: paths },
      { id: "modified", header: strings.columns.modified, width: 170, render: (p) => formatUtc(p.modifiedUtc) },
    ];
  }, [groups]);

  const group = "policy";
  const commands: Command[] = [
    { id: "new", needs: "create_agent_policy", label: strings.new, description: strings.newHint, icon: <AddRegular />, group, disabled: !info, run: () => editing.open({}) },
    rowCommand(page, { id: "edit", needs: "edit_agent_policy", label: strings.edit, description: strings.editHint, icon: <EditRegular />, group, allows: () => info !== null, run: (policy) => editing.open({ policy }) }),
    deleteCommand(page, { needs: "delete_agent_policy", label: strings.delete, description: strings.deleteHint, group, ask: deletion.ask }),
    refreshCommand(strings.refresh, page),
  ];

  return (
    <ItemListPage
      page={page}
      parts={{ texts: strings, common: strings, columns }}
      commands={commands}
      onActivate={(policy) => info && editing.open({ policy })}
      bars={infoFailure && <ErrorBar title={strings.infoFailed} message={infoFailure.message} onRetry={load} retryLabel={strings.retry} />}
      gridHeight="260px"
      details={
        <div className={styles.effective}>
          <EffectivePolicyPanel groups={groups} info={info ?? []} version={page.version} />
        </div>
      }
      overlays={
        <>
          {editing.value && info && <PolicyEditor policy={editing.value.policy} info={info} policies={policies ?? []} onClose={editing.close} />}
          {deletion.dialog}
        </>
      }
    />
  );
}
