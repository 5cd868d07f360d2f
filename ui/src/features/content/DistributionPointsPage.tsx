// Administration > Distribution Points (CNT-1, CNT-2): the folders and remote patchdeck
// servers packages are copied to, with the content status of each, Add (a folder or a
// server's address and API token), Remove,
// and the site's Content Settings (clients' fallback to Microsoft Update).
import { useCallback, useEffect, useState } from "react";
import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowClockwiseRegular, DeleteRegular, SettingsRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataGrid, clampSelection, emptySelection, singleSelected, type Selection } from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { ListPage } from "../../components/ListPage";
import { dpColumns } from "./columns";
import { AddDistributionPointDialog, ContentSettingsDialog } from "./dialogs";
import { StatusTable } from "./PackagesPage";
import { strings } from "./strings";
import type { DistributionPoint, DistributionStatus } from "./types";

const t = strings.dps;

const useStyles = makeStyles({
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
    <ListPage
      commandsLabel={t.commandsLabel}
      commands={commands}
      title={t.title}
      count={list ? t.items(list.length) : strings.loading}
      loadFailure={failure && { title: t.loadFailed, message: failure.message, onRetry: load, retryLabel: strings.retry }}
      actionFailure={
        actionFailure && { title: t.actionFailed, message: actionFailure.message, onDismiss: () => setActionFailure(null), dismissLabel: strings.dismiss }
      }
      details={
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
      }
      overlays={
        <>
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
              labels={{ yes: strings.yes, no: strings.no }}
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
        </>
      }
    >
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
    </ListPage>
  );
}
