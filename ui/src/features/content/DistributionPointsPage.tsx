// Administration > Distribution Points (CNT-1, CNT-2): the folders and remote patchdeck
// servers packages are copied to, with the content status of each, Add (a folder or a
// server's address and API token), Remove,
// and the site's Content Settings (clients' fallback to Microsoft Update).
import { useCallback, useEffect, useState } from "react";
import { Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowClockwiseRegular, DeleteRegular, SettingsRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { CommandBar, type Command } from "../../components/CommandBar/CommandBar";
import { DataGrid, clampSelection, emptySelection, singleSelected, type Selection } from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { ErrorBar } from "../../components/ErrorBar";
import { dpColumns } from "./columns";
import { AddDistributionPointDialog, ConfirmDialog, ContentSettingsDialog } from "./dialogs";
import { StatusTable } from "./PackagesPage";
import { strings } from "./strings";
import type { DistributionPoint, DistributionStatus } from "./types";

const t = strings.dps;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", height: "100%", minHeight: 0 },
  heading: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalM, padding: tokens.spacingHorizontalM },
  count: { color: tokens.colorNeutralForeground3 },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, padding: `0 ${tokens.spacingHorizontalM}` },
  grid: { flexGrow: 1, flexShrink: 1, flexBasis: 0, minHeight: "96px" },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function DistributionPointsPage() {
  const styles = useStyles();
  const [list, setList] = useState<DistributionPoint[] | null>(null);
  const [status, setStatus] = useState<DistributionStatus[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<"add" | "remove" | "settings" | null>(null);

  const load = useCallback(() => {
    call("list_distribution_points", {}).then(
      (l) => {
        setList(l);
        setVersion((v) => v + 1);
        setFailure(null);
        setSelection((s) => clampSelection(s, l.length));
      },
      (e: unknown) => setFailure(toApiFailure(e)),
    );
    call("get_distribution_status", { packageId: null }).then(setStatus, () => undefined);
  }, []);
  useEffect(load, [load]);

  const rows = list ?? [];
  const index = singleSelected(selection);
  const selected = index !== null ? (rows[index] ?? null) : null;
  const focused = selection.focus !== null ? (rows[selection.focus] ?? null) : selected;
  const focusedStatus = focused ? status.filter((s) => s.dpId === focused.id) : [];

  const commands: Command[] = [
    { id: "add", label: t.add, icon: <AddRegular />, group: "create", run: () => setDialog("add") },
    { id: "refresh", label: t.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: load },
    { id: "remove", label: t.remove, icon: <DeleteRegular />, group: "dp", disabled: !selected, run: () => setDialog("remove") },
    { id: "settings", label: t.settings, icon: <SettingsRegular />, group: "settings", run: () => setDialog("settings") },
  ];

  return (
    <div className={styles.root}>
      <CommandBar ariaLabel={t.commandsLabel} commands={commands} />
      <div className={styles.heading}>
        <Subtitle2 as="h1">{t.title}</Subtitle2>
        <Text className={styles.count} role="status" data-testid="item-count">
          {list ? t.items(list.length) : strings.loading}
        </Text>
      </div>
      <div className={styles.bars}>
        {failure && <ErrorBar title={t.loadFailed} message={failure.message} onRetry={load} retryLabel={strings.retry} />}
        {actionFailure && (
          <ErrorBar title={t.actionFailed} message={actionFailure.message} onDismiss={() => setActionFailure(null)} dismissLabel={strings.dismiss} />
        )}
      </div>
      <div className={styles.grid}>
        <DataGrid<DistributionPoint>
          ariaLabel={t.gridLabel}
          columns={dpColumns}
          rowCount={rows.length}
          getRow={(i) => rows[i]}
          selection={selection}
          onSelectionChange={setSelection}
          emptyText={list ? t.empty : undefined}
          loadingText={strings.loading}
          version={version}
        />
      </div>
      <DetailsPane
        ariaLabel={t.details.label}
        height="38%"
        tabs={[
          {
            id: "status",
            label: t.details.status,
            render: () =>
              !focused ? (
                <Text className={styles.muted}>{t.details.nothingSelected}</Text>
              ) : focusedStatus.length ? (
                <StatusTable rows={focusedStatus} first="package" />
              ) : (
                <Text className={styles.muted}>{t.details.none}</Text>
              ),
          },
        ]}
      />
      {dialog === "add" && (
        <AddDistributionPointDialog
          onClose={(added) => {
            setDialog(null);
            if (added) load();
          }}
        />
      )}
      {dialog === "settings" && <ContentSettingsDialog onClose={() => setDialog(null)} />}
      {dialog === "remove" && selected && (
        <ConfirmDialog
          title={t.removeTitle}
          question={t.removeQuestion(selected.name)}
          onNo={() => setDialog(null)}
          onYes={() => {
            setDialog(null);
            setActionFailure(null);
            call("remove_distribution_point", { id: selected.id }).then(load, (e: unknown) => {
              setActionFailure(toApiFailure(e));
              load();
            });
          }}
        />
      )}
    </div>
  );
}
