// The deployments of one software update group, for a group's details pane or Properties
// (features/groups may embed it). Read-only; Monitoring > Deployments changes them.
import { useEffect, useState } from "react";
import { Badge, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { deploymentTime } from "./columns";
import { strings } from "./strings";
import type { Deployment } from "./types";

const c = strings.page.columns;

const useStyles = makeStyles({ muted: { color: tokens.colorNeutralForeground3 } });

/** The deployments of `updateGroupId`, in creation order. */
export function deploymentsOfGroup(list: readonly Deployment[], updateGroupId: number): Deployment[] {
  return list.filter((d) => d.updateGroupId === updateGroupId).sort((a, b) => a.id - b.id);
}

export function GroupDeployments({ updateGroupId, version = 0 }: { updateGroupId: number; version?: number }) {
  const styles = useStyles();
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
  if (!list.length) return <Text className={styles.muted}>{strings.page.groupNone}</Text>;
  return (
    <Table size="extra-small" aria-label={strings.page.title}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{c.name}</TableHeaderCell>
          <TableHeaderCell>{c.collection}</TableHeaderCell>
          <TableHeaderCell>{c.type}</TableHeaderCell>
          <TableHeaderCell>{c.enabled}</TableHeaderCell>
          <TableHeaderCell>{c.available}</TableHeaderCell>
          <TableHeaderCell>{c.deadline}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {list.map((d) => (
          <TableRow key={d.id}>
            <TableCell>{d.name}</TableCell>
            <TableCell>{d.targetGroupPath}</TableCell>
            <TableCell>{strings.wizard.settings[d.settings.deploymentType]}</TableCell>
            <TableCell>
              <Badge appearance="tint" color={d.enabled ? "success" : "subtle"} shape="rounded">
                {d.enabled ? strings.yes : strings.no}
              </Badge>
            </TableCell>
            <TableCell>{deploymentTime(d.settings.availableUtc, d.settings.timeBasis)}</TableCell>
            <TableCell>{deploymentTime(d.settings.deadlineUtc, d.settings.timeBasis)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
