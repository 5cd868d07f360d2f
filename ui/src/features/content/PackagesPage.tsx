// Software Library > Deployment Packages (CNT-1): each package with its files, size, how
// many are downloaded and where it is distributed; Create, Distribute Content, Resume
// Download (of its last interrupted, failed or stopped job) and Delete. The details pane
// shows the package's content status per distribution point and its downloads.
import { useCallback, useEffect, useRef, useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowSyncRegular, ShareRegular } from "@fluentui/react-icons";
import { call, subscribe } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../components/ConfirmDialog";
import type { ItemDetailsTab } from "../../components/DetailsPane";
import { ItemListPage } from "../../components/ItemListPage";
import { formatBytes, formatUtc } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../components/PlainTable";
import { PropertyList } from "../../components/PropertyList";
import { deleteCommand, refreshCommand, rowCommand } from "../../components/rowCommands";
import { useListPage } from "../../components/useListPage";
import { useOverlay } from "../../components/useOverlay";
import { DistributionBadge, distributionText, packageColumns } from "./columns";
import { CreatePackageDialog, DistributeDialog } from "./dialogs";
import { downloadJobOf, sourceText } from "./model";
import { strings } from "./strings";
import type { ContentPackage, DistributionStatus, DownloadJob } from "./types";

const t = strings.packages;
const readPackages = () => call("list_packages", {});
const REFRESH_ON_PROGRESS_MS = 2000;
const POLL_WORKING_MS = 2000;

const useStyles = makeStyles({
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
  const columns: PlainColumn<DistributionStatus>[] = [
    { id: "name", header: first === "dp" ? c.dp : t.columns.name, render: (r) => (first === "dp" ? r.dpName : r.packageName) },
    { id: "state", header: c.state, render: (r) => <DistributionBadge state={r.state} /> },
    { id: "detail", header: c.detail, render: (r) => r.detail, className: (r) => (r.state === "Failed" ? styles.error : undefined) },
    { id: "updated", header: c.updated, render: (r) => formatUtc(r.updatedUtc) },
  ];
  return <PlainTable ariaLabel={t.details.distribution} columns={columns} rows={rows} rowKey={(r) => `${r.packageId}-${r.dpId}`} />;
}

export { StatusTable };

function JobsTable({ jobs }: { jobs: readonly DownloadJob[] }) {
  const styles = useStyles();
  const c = t.jobColumns;
  const columns: PlainColumn<DownloadJob>[] = [
    { id: "id", header: c.id, width: "60px", render: (j) => j.id },
    { id: "state", header: c.state, render: (j) => strings.wizard.jobState[j.state] },
    { id: "files", header: c.files, render: (j) => `${j.filesDownloaded} / ${j.filesTotal}` },
    { id: "failed", header: c.failed, render: (j) => j.filesFailed },
    { id: "source", header: c.source, render: (j) => sourceText(j.source) },
    { id: "started", header: c.started, render: (j) => formatUtc(j.createdUtc) },
    { id: "error", header: c.error, render: (j) => j.error ?? "", className: () => styles.error },
  ];
  return <PlainTable ariaLabel={t.details.downloads} columns={columns} rows={jobs} rowKey={(j) => j.id} />;
}

function PackageSummary({ p }: { p: ContentPackage }) {
  return (
    <PropertyList
      items={[
        { label: t.columns.name, value: p.name },
        { label: t.details.description, value: p.description || strings.none },
        { label: t.columns.files, value: String(p.fileCount) },
        { label: t.columns.size, value: formatBytes(p.totalBytes) },
        { label: t.columns.downloaded, value: t.downloadedText(p.downloadedCount, p.fileCount) },
        { label: t.columns.distribution, value: distributionText(p) },
        { label: t.columns.created, value: formatUtc(p.createdUtc) },
      ]}
    />
  );
}

/** The package's content status per distribution point, and its downloads. */
function packageTabs(status: readonly DistributionStatus[], jobs: readonly DownloadJob[]): ItemDetailsTab<ContentPackage>[] {
  return [
    { id: "summary", label: t.details.summary, render: (p) => <PackageSummary p={p} /> },
    {
      id: "distribution",
      label: t.details.distribution,
      render: (p) => {
        const rows = status.filter((s) => s.packageId === p.id);
        return rows.length ? <StatusTable rows={rows} first="dp" /> : <MutedText>{t.details.noStatus}</MutedText>;
      },
    },
    {
      id: "downloads",
      label: t.details.downloads,
      render: (p) => {
        const rows = jobs.filter((j) => j.packageId === p.id);
        return rows.length ? <JobsTable jobs={rows} /> : <MutedText>{t.details.noJobs}</MutedText>;
      },
    },
  ];
}

export function PackagesPage() {
  const [jobs, setJobs] = useState<DownloadJob[]>([]);
  const [status, setStatus] = useState<DistributionStatus[]>([]);
  const readProgress = useCallback(() => {
    call("list_download_jobs", {}).then(setJobs, () => undefined);
    call("get_distribution_status", { packageId: null }).then(setStatus, () => undefined);
  }, []);
  const page = useListPage(readPackages, readProgress);
  const { selected, act, load } = page;
  const creating = useOverlay(load);
  const distributing = useOverlay<ContentPackage>(load);
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (p: ContentPackage) => ({
    title: t.deleteTitle,
    question: t.deleteQuestion(p.name),
    failureTitle: t.actionFailed,
    run: () => call("delete_package", { id: p.id }),
  }));
  const lastRefresh = useRef(0);

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

  const resumable = selected ? resumableJob(jobs, selected.id) : null;
  const group = "package";

  const commands: Command[] = [
    { id: "create", needs: "create_package", label: t.create, icon: <AddRegular />, group: "create", run: () => creating.open(true) },
    refreshCommand(t.refresh, page),
    rowCommand(page, { id: "distribute", needs: "distribute_package", label: t.distribute, description: t.distributeHint, icon: <ShareRegular />, group, run: distributing.open }),
    {
      id: "resume",
      label: t.resume,
      icon: <ArrowSyncRegular />,
      group,
      disabled: !resumable,
      run: () => resumable && void act(() => call("resume_download", { id: resumable.id })),
    },
    deleteCommand(page, { needs: "delete_package", label: t.delete, group, ask: deletion.ask }),
  ];

  return (
    <ItemListPage
      page={page}
      parts={{ texts: t, common: strings, columns: packageColumns, details: { texts: t.details, height: "40%", tabs: packageTabs(status, jobs) } }}
      commands={commands}
      overlays={
        <>
          {creating.value && <CreatePackageDialog onClose={creating.close} />}
          {distributing.value && <DistributeDialog pkg={distributing.value} onClose={distributing.close} />}
          {deletion.dialog}
        </>
      }
    />
  );
}
