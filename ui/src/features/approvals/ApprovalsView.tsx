// The effective approvals of one update (one row per group that has one) or of one group
// (one row per update), each saying where it comes from: "Explicit" or "Inherited from …".
// Explicit approvals can be removed here; the group then inherits its parent's again.
import { useCallback, useEffect, useState } from "react";
import {
  Checkbox,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Toolbar,
  ToolbarButton,
  Tooltip,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular, DeleteRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { sourceLabel } from "./model";
import { strings } from "./strings";
import type { ApprovalInfo } from "./types";

const v = strings.view;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  inherited: { color: tokens.colorNeutralForeground3 },
  explicit: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
});

type Subject = { kind: "update"; updateId: string } | { kind: "group"; groupId: number };

const rowKey = (a: ApprovalInfo) => `${a.updateId}|${a.groupId}`;

export function ApprovalsView({ subject, reloadKey = 0 }: { subject: Subject; reloadKey?: number }) {
  const styles = useStyles();
  const [rows, setRows] = useState<ApprovalInfo[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const [removeFailure, setRemoveFailure] = useState<ApiFailure | null>(null);
  const [removed, setRemoved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [generation, setGeneration] = useState(0);
  const updateId = subject.kind === "update" ? subject.updateId : null;
  const groupId = subject.kind === "group" ? subject.groupId : null;

  useEffect(() => {
    let live = true;
    setRows(null);
    setChosen(new Set());
    call("list_approvals", { updateId, groupId }).then(
      (list) => {
        if (!live) return;
        setRows(list);
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
  }, [updateId, groupId, generation, reloadKey]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const remove = async () => {
    const picked = (rows ?? []).filter((r) => r.explicit && chosen.has(rowKey(r)));
    if (picked.length === 0) return;
    setBusy(true);
    setRemoveFailure(null);
    setRemoved(null);
    try {
      await call(
        "remove_approvals",
        subject.kind === "update"
          ? { updateIds: [subject.updateId], groupIds: picked.map((r) => r.groupId) }
          : { updateIds: picked.map((r) => r.updateId), groupIds: [subject.groupId] },
      );
      setRemoved(picked.length);
      reload();
    } catch (e) {
      setRemoveFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (key: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  const label = subject.kind === "update" ? v.labelForUpdate : v.labelForGroup;
  const anyChosen = (rows ?? []).some((r) => r.explicit && chosen.has(rowKey(r)));

  return (
    <div className={styles.root}>
      <Toolbar size="small" aria-label={label}>
        <Tooltip content={v.removeHint} relationship="description">
          <ToolbarButton icon={<DeleteRegular />} disabled={!anyChosen || busy} onClick={remove}>
            {v.remove}
          </ToolbarButton>
        </Tooltip>
        <ToolbarButton icon={<ArrowClockwiseRegular />} onClick={reload}>
          {v.refresh}
        </ToolbarButton>
      </Toolbar>
      {failure && <ErrorBar title={v.loadFailed} message={failure.message} onRetry={reload} retryLabel={strings.retry} />}
      {removeFailure && (
        <ErrorBar
          title={v.removeFailed}
          message={removeFailure.message}
          onDismiss={() => setRemoveFailure(null)}
          dismissLabel={strings.dismiss}
        />
      )}
      {removed !== null && (
        <MessageBar intent="success">
          <MessageBarBody>{v.removed(removed)}</MessageBarBody>
        </MessageBar>
      )}
      {rows === null && <Spinner size="tiny" label={v.loading} />}
      {rows !== null && rows.length === 0 && !failure && (
        <Text className={styles.muted}>{subject.kind === "update" ? v.noneForUpdate : v.noneForGroup}</Text>
      )}
      {rows !== null && rows.length > 0 && (
        <Table size="small" aria-label={label}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: 36 }} />
              <TableHeaderCell>{subject.kind === "update" ? v.group : v.update}</TableHeaderCell>
              <TableHeaderCell style={{ width: 130 }}>{v.approval}</TableHeaderCell>
              <TableHeaderCell style={{ width: 140 }}>{v.deadline}</TableHeaderCell>
              <TableHeaderCell style={{ width: 200 }}>{v.source}</TableHeaderCell>
              <TableHeaderCell style={{ width: 170 }}>{v.approved}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((a) => {
              const name = subject.kind === "update" ? a.groupPath : a.updateTitle;
              return (
                <TableRow key={rowKey(a)} data-approval-source={a.explicit ? "explicit" : "inherited"}>
                  <TableCell>
                    {a.explicit ? (
                      <Checkbox
                        aria-label={v.selectRow(name)}
                        checked={chosen.has(rowKey(a))}
                        onChange={(_, d) => toggle(rowKey(a), d.checked === true)}
                      />
                    ) : (
                      <Tooltip content={v.inheritedCannotRemove} relationship="description">
                        <Checkbox aria-label={v.selectRow(name)} disabled checked={false} />
                      </Tooltip>
                    )}
                  </TableCell>
                  <TableCell>{name}</TableCell>
                  <TableCell>{strings.actions[a.action]}</TableCell>
                  <TableCell>{a.deadlineUtc ? formatUtc(a.deadlineUtc) : v.none}</TableCell>
                  <TableCell className={a.explicit ? styles.explicit : styles.inherited}>{sourceLabel(a)}</TableCell>
                  <TableCell>{v.by(a.approvedBy, formatUtc(a.approvedUtc))}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
