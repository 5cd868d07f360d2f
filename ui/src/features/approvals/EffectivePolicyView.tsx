// The effective policy of a group (APR-1 with deployments): what a computer that belongs to
// it alone would get, each update with its action, deadline and the group or deployment that
// decided it. Read-only; computed by the site (effective_policy), never here.
import { useEffect, useState } from "react";
import {
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { strings } from "./strings";
import type { EffectiveUpdate } from "./types";

const p = strings.policy;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function EffectivePolicyView({ groupId }: { groupId: number }) {
  const styles = useStyles();
  const [rows, setRows] = useState<EffectiveUpdate[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    call("effective_policy", { computerId: null, groupIds: [groupId] }).then(
      (policy) => {
        if (!live) return;
        setRows([...policy.updates].sort((a, b) => a.title.localeCompare(b.title)));
        setFailure(null);
      },
      (e: unknown) => {
        if (!live) return;
        setRows([]);
        setFailure(toApiFailure(e));
      },
    );
    return () => {
      live = false;
    };
  }, [groupId]);

  return (
    <div className={styles.root}>
      <Text className={styles.muted}>{p.intro}</Text>
      {failure && <ErrorBar title={p.loadFailed} message={failure.message} />}
      {rows === null && <Spinner size="tiny" label={p.loading} />}
      {rows !== null && rows.length === 0 && !failure && <Text className={styles.muted}>{p.empty}</Text>}
      {rows !== null && rows.length > 0 && (
        <Table size="small" aria-label={p.label}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{p.update}</TableHeaderCell>
              <TableHeaderCell style={{ width: 140 }}>{p.action}</TableHeaderCell>
              <TableHeaderCell style={{ width: 150 }}>{p.deadline}</TableHeaderCell>
              <TableHeaderCell style={{ width: 280 }}>{p.from}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((u) => (
              <TableRow key={u.updateId}>
                <TableCell>{u.title}</TableCell>
                <TableCell>{strings.actions[u.action]}</TableCell>
                <TableCell>{u.deadlineUtc ? formatUtc(u.deadlineUtc) : p.none}</TableCell>
                <TableCell>
                  {u.deploymentId !== null ? p.fromDeployment(u.sourceGroupPath, u.deploymentId) : p.fromGroup(u.sourceGroupPath)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
