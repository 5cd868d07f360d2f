// Software Library > Deployment Packages (CNT-1): each package with its files, size, how
// many are downloaded and where it is distributed; Create, Distribute Content, Resume
// Download (of its last interrupted, failed or stopped job) and Delete. The details pane
// shows the package's content status per distribution point and its downloads.
import { useCallback, useEffect, useRef, useState } from "react";
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowClockwiseRegular, ArrowSyncRegular, DeleteRegular, ShareRegular } from "@fluentui/react-icons";
import { call, subscribe, toApiFailure, type ApiFailure } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataGrid, clampSelection, emptySelection, singleSelected, type Selection } from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { ListPage } from "../../components/ListPage";
import { formatBytes, formatUtc } from "../../components/format";
import { PropertyList } from "../../components/PropertyList";
import { DistributionBadge, distributionText, packageColumns } from "./columns";
import { CreatePackageDialog, DistributeDialog } from "./dialogs";
import { downloadJobOf, sourceText } from "./model";
import { strings } from "./strings";
import type { ContentPackage, DistributionStatus, DownloadJob } from "./types";

const t = strings.packages;
const REFRESH_ON_PROGRESS_MS = 2000;
const POLL_WORKING_MS = 2000;

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1, overflowWrap: "anywhere" },
});

/** The job Resume Download continues: the package's newest one, if it stopped short. */
export function resumableJob(jobs: readonly DownloadJob[], packageId: number): DownloadJob | null {
  const newest = jobs.filter((j) => j.packageId === packageId).sort((a, b) => b.id - a.id)[0];
  return newest && newest.state !== "Running" && newest.state !== "Succeeded" ? newest : null;
}

function StatusTable({ rows, first }: { rows: readonly DistributionStatus[]; first: "dp" | "package" }) {
  const styles = useStyles();
  const c = t.statusColumns;
  return (
    <Table size="extra-small" aria-label={t.details.distribution}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{first === "dp" ? c.dp : t.columns.name}</TableHeaderCell>
          <TableHeaderCell>{c.state}</TableHeaderCell>
          <TableHeaderCell>{c.detail}</TableHeaderCell>
          <TableHeaderCell>{c.updated}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={`${r.packageId}-${r.dpId}`}>
            <TableCell>{first === "dp" ? r.dpName : r.packageName}</TableCell>
            <TableCell>
              <DistributionBadge state={r.state} />
            </TableCell>
            <TableCell className={r.state === "Failed" ? styles.error : undefined}>{r.detail}</TableCell>
            <TableCell>{formatUtc(r.updatedUtc)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export { StatusTable };

function JobsTable({ jobs }: { jobs: readonly DownloadJob[] }) {
  const styles = useStyles();
  const c = t.jobColumns;
  return (
    <Table size="extra-small" aria-label={t.details.downloads}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell style={{ width: "60px" }}>{c.id}</TableHeaderCell>
          <TableHeaderCell>{c.state}</TableHeaderCell>
          <TableHeaderCell>{c.files}</TableHeaderCell>
          <TableHeaderCell>{c.failed}</TableHeaderCell>
          <TableHeaderCell>{c.source}</TableHeaderCell>
          <TableHeaderCell>{c.started}</TableHeaderCell>
          <TableHeaderCell>{c.error}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((j) => (
          <TableRow key={j.id}>
            <TableCell>{j.id}</TableCell>
            <TableCell>{strings.wizard.jobState[j.state]}</TableCell>
            <TableCell>{`${j.filesDownloaded} / ${j.filesTotal}`}</TableCell>
            <TableCell>{j.filesFailed}</TableCell>
            <TableCell>{sourceText(j.source)}</TableCell>
            <TableCell>{formatUtc(j.createdUtc)}</TableCell>
            <TableCell className={styles.error}>{j.error ?? ""}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function PackagesPage() {
  const styles = useStyles();
  const [list, setList] = useState<ContentPackage[] | null>(null);
  const [jobs, setJobs] = useState<DownloadJob[]>([]);
  const [status, setStatus] = useState<DistributionStatus[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<"create" | "distribute" | "delete" | null>(null);
  const lastRefresh = useRef(0);

  const load = useCallback(() => {
    call("list_packages", {}).then(
      (l) => {
        setList(l);
        setVersion((v) => v + 1);
        setFailure(null);
        setSelection((s) => clampSelection(s, l.length));
      },
      (e: unknown) => setFailure(toApiFailure(e)),
    );
    call("list_download_jobs", {}).then(setJobs, () => undefined);
    call("get_distribution_status", { packageId: null }).then(setStatus, () => undefined);
  }, []);

  useEffect(load, [load]);
  // Downloads and copies to distribution points run on the site: re-read until none is
  // under way (progress events are thinned out, so the last one may not cause a re-read).
  const working = status.some((s) => s.state === "Pending" || s.state === "InProgress") || jobs.some((j) => j.state === "Running");
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(load, POLL_WORKING_MS);
    return () => clearInterval(timer);
  }, [working, load]);
  useEffect(
    () =>
      subscribe((event) => {
        if (downloadJobOf(event) === null) return;
        if (Date.now() - lastRefresh.current < REFRESH_ON_PROGRESS_MS) return;
        lastRefresh.current = Date.now();
        load();
      }),
    [load],
  );

  const rows = list ?? [];
  const index = singleSelected(selection);
  const selected = index !== null ? (rows[index] ?? null) : null;
  const focused = selection.focus !== null ? (rows[selection.focus] ?? null) : selected;
  const resumable = selected ? resumableJob(jobs, selected.id) : null;

  const act = async (run: () => Promise<unknown>) => {
    setActionFailure(null);
    try {
      await run();
    } catch (e) {
      setActionFailure(toApiFailure(e));
    } finally {
      load();
    }
  };

  const commands: Command[] = [
    { id: "create", label: t.create, icon: <AddRegular />, group: "create", run: () => setDialog("create") },
    { id: "refresh", label: t.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: load },
    {
      id: "distribute",
      label: t.distribute,
      description: t.distributeHint,
      icon: <ShareRegular />,
      group: "package",
      disabled: !selected,
      run: () => setDialog("distribute"),
    },
    {
      id: "resume",
      label: t.resume,
      icon: <ArrowSyncRegular />,
      group: "package",
      disabled: !resumable,
      run: () => resumable && void act(() => call("resume_download", { id: resumable.id })),
    },
    { id: "delete", label: t.delete, icon: <DeleteRegular />, group: "package", disabled: !selected, run: () => setDialog("delete") },
  ];

  const focusedStatus = focused ? status.filter((s) => s.packageId === focused.id) : [];
  const focusedJobs = focused ? jobs.filter((j) => j.packageId === focused.id) : [];

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
          height="40%"
          tabs={[
            {
              id: "summary",
              label: t.details.summary,
              render: () =>
                focused ? (
                  <PropertyList
                    items={[
                      { label: t.columns.name, value: focused.name },
                      { label: t.details.description, value: focused.description || strings.none },
                      { label: t.columns.files, value: String(focused.fileCount) },
                      { label: t.columns.size, value: formatBytes(focused.totalBytes) },
                      { label: t.columns.downloaded, value: t.downloadedText(focused.downloadedCount, focused.fileCount) },
                      { label: t.columns.distribution, value: distributionText(focused) },
                      { label: t.columns.created, value: formatUtc(focused.createdUtc) },
                    ]}
                  />
                ) : (
                  <Text className={styles.muted}>{t.details.nothingSelected}</Text>
                ),
            },
            {
              id: "distribution",
              label: t.details.distribution,
              render: () =>
                !focused ? (
                  <Text className={styles.muted}>{t.details.nothingSelected}</Text>
                ) : focusedStatus.length ? (
                  <StatusTable rows={focusedStatus} first="dp" />
                ) : (
                  <Text className={styles.muted}>{t.details.noStatus}</Text>
                ),
            },
            {
              id: "downloads",
              label: t.details.downloads,
              render: () =>
                !focused ? (
                  <Text className={styles.muted}>{t.details.nothingSelected}</Text>
                ) : focusedJobs.length ? (
                  <JobsTable jobs={focusedJobs} />
                ) : (
                  <Text className={styles.muted}>{t.details.noJobs}</Text>
                ),
            },
          ]}
        />
      }
      overlays={
        <>
          {dialog === "create" && (
            <CreatePackageDialog
              onClose={(created) => {
                setDialog(null);
                if (created) load();
              }}
            />
          )}
          {dialog === "distribute" && selected && (
            <DistributeDialog
              pkg={selected}
              onClose={(result) => {
                setDialog(null);
                if (result) load();
              }}
            />
          )}
          {dialog === "delete" && selected && (
            <ConfirmDialog
              labels={{ yes: strings.yes, no: strings.no }}
              title={t.deleteTitle}
              question={t.deleteQuestion(selected.name)}
              onNo={() => setDialog(null)}
              onYes={() => {
                setDialog(null);
                void act(() => call("delete_package", { id: selected.id }));
              }}
            />
          )}
        </>
      }
    >
      <DataGrid<ContentPackage>
        ariaLabel={t.gridLabel}
        columns={packageColumns}
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
