// The deployments of one software update group, for a group's details pane or Properties
// (features/groups may embed it). Read-only; Monitoring > Deployments changes them.
import { useEffect, useState } from "react";
import { Badge, Spinner } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { MutedText } from "../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../components/PlainTable";
import { deploymentTime } from "./columns";
import { strings } from "./strings";
import type { Deployment } from "./types";

const c = strings.page.columns;

const columns: readonly PlainColumn<Deployment>[] = [
  { id: "name", header: c.name, render: (d) => d.name },
  { id: "collection", header: c.collection, render: (d) => d.targetGroupPath },
  { id: "type", header: c.type, render: (d) => strings.wizard.settings[d.settings.deploymentType] },
  {
    id: "enabled",
    header: c.enabled,
    render: (d) => (
      <Badge appearance="tint" color={d.enabled ? "success" : "subtle"} shape="rounded">
        {d.enabled ? strings.yes : strings.no}
      </Badge>
    ),
  },
  { id: "available", header: c.available, render: (d) => deploymentTime(d.settings.availableUtc, d.settings.timeBasis) },
  { id: "deadline", header: c.deadline, render: (d) => deploymentTime(d.settings.deadlineUtc, d.settings.timeBasis) },
];

/** The deployments of `updateGroupId`, in creation order. */
export function deploymentsOfGroup(list: readonly Deployment[], updateGroupId: number): Deployment[] {
  return list.filter((d) => d.updateGroupId === updateGroupId).sort((a, b) => a.id - b.id);
}

export function GroupDeployments({ updateGroupId, version = 0 }: { updateGroupId: number; version?: number }) {
  const [list, setList] = useState<Deployment[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    let alive = true;
    call("list_deployments", {}).then(
      (all) => alive && (setList(deploymentsOfGroup(all, updateGroupId)), setFailure(null)),
      (e: unknown) => alive && setFailure(toApiFailure(e)),
    );
    return () => {
      alive = false;
    };
  }, [updateGroupId, version]);
  if (failure) return <ErrorBar title={strings.page.loadFailed} message={failure.message} />;
  if (!list) return <Spinner size="tiny" label={strings.loading} />;
  if (!list.length) return <MutedText>{strings.page.groupNone}</MutedText>;
  return <PlainTable ariaLabel={strings.page.title} columns={columns} rows={list} rowKey={(d) => d.id} />;
}
