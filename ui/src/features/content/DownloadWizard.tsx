// Download Software Updates Wizard (CNT-1): Deployment Package (existing or new) → Download
// Location (upstream, Microsoft Update or a folder) → Language Selection → Summary →
// Progress (per file, live from `progress` events of job "download:<id>" and a poll of
// get_download_job) → Completion (files downloaded, failed files with their error).
// Cancel, before the Summary's Next, sends nothing that changes the site.
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Checkbox,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  ProgressBar,
  Radio,
  RadioGroup,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, subscribe, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes } from "../../components/format";
import { PropertyList } from "../../components/PropertyList";
import { WizardFrame } from "../../components/WizardFrame";
import { LANGUAGES } from "../sync/languages";
import {
  INPUT_PAGES,
  PAGES,
  applyDownloadEvent,
  buildStartArgs,
  defaultDownloadForm,
  downloadFraction,
  downloadSummary,
  isFinished,
  pageIssues,
  type DownloadForm,
  type InputPage,
  type Issue,
  type LiveDownload,
  type PageId,
} from "./model";
import { FileTable } from "./FileTable";
import { strings } from "./strings";
import type { ContentPackage, DownloadJob } from "./types";

const w = strings.wizard;
const POLL_MS = 1000;

const useStyles = makeStyles({
  indent: { paddingLeft: tokens.spacingHorizontalXXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  languages: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(190px, 1fr))", maxHeight: "300px", overflowY: "auto" },
  hint: { color: tokens.colorNeutralForeground3 },
  progressText: { display: "flex", justifyContent: "space-between", gap: tokens.spacingHorizontalM },
});

export interface DownloadWizardProps {
  updateIds?: readonly string[];
  updateGroupId?: number | null;
  groupName?: string;
  /** With the job once it ran (finished or still running); undefined after Cancel. */
  onClose(job?: DownloadJob): void;
}

const isInput = (p: PageId): p is InputPage => (INPUT_PAGES as readonly string[]).includes(p);
const languageName = (code: string) => LANGUAGES.find((l) => l.code === code)?.name ?? code;
const state = (message: string | undefined) => (message ? { validationState: "error" as const, validationMessage: message } : {});

export function DownloadWizard({ updateIds = [], updateGroupId = null, groupName, onClose }: DownloadWizardProps) {
  const styles = useStyles();
  const [form, setForm] = useState<DownloadForm>(() => defaultDownloadForm({ updateIds, updateGroupId }));
  const [page, setPage] = useState<PageId>("package");
  const [packages, setPackages] = useState<ContentPackage[] | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const [startFailure, setStartFailure] = useState<ApiFailure | null>(null);
  const [job, setJob] = useState<DownloadJob | null>(null);
  const [live, setLive] = useState<LiveDownload | null>(null);
  const [attempt, setAttempt] = useState(0);
  const touched = useRef(false);

  useEffect(() => {
    let alive = true;
    call("list_packages", {}).then(
      (list) => {
        if (!alive) return;
        setPackages(list);
        setLoadFailure(null);
        if (!touched.current) setForm((f) => ({ ...f, packageChoice: list.length ? "existing" : "new" }));
      },
      (e: unknown) => alive && setLoadFailure(toApiFailure(e)),
    );
    // The languages the update point synchronizes are the natural default.
    call("get_sync_settings", {}).then(
      (s) => alive && !touched.current && s.languages.length > 0 && setForm((f) => ({ ...f, languages: [...s.languages] })),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [attempt]);

  // Live progress of the running job, and a poll for its files (and in case an event is lost).
  const jobId = job?.id ?? null;
  const running = job !== null && !isFinished(job);
  useEffect(() => {
    if (jobId === null) return;
    return subscribe((event) => setLive((l) => applyDownloadEvent(l, jobId, event)));
  }, [jobId]);
  useEffect(() => {
    if (jobId === null || !running) return;
    let alive = true;
    const timer = setInterval(() => {
      call("get_download_job", { id: jobId }).then(
        (j) => alive && setJob(j),
        () => undefined,
      );
    }, POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [jobId, running]);
  useEffect(() => {
    if (page === "progress" && isFinished(job)) setPage("completion");
  }, [page, job]);

  const change = (patch: Partial<DownloadForm>) => {
    touched.current = true;
    setForm((f) => ({ ...f, ...patch }));
    setIssues((list) => list.filter((i) => !(i.field in patch)));
  };

  const checkThrough = (through: InputPage): boolean => {
    const end = INPUT_PAGES.indexOf(through);
    const found = INPUT_PAGES.slice(0, end + 1).flatMap((p) => pageIssues(form, p, packages ?? []).map((i) => ({ ...i, page: p })));
    setIssues(found);
    if (found.length) {
      setPage(found[0].page);
      return false;
    }
    return true;
  };

  const start = async () => {
    setBusy(true);
    setStartFailure(null);
    setPage("progress");
    try {
      const args = buildStartArgs(form);
      if (form.packageChoice === "new") {
        // Created first so the description is kept; the download then goes into it.
        const created = await call("create_package", { name: form.newName.trim(), description: form.newDescription.trim() });
        setPackages((list) => [...(list ?? []), created]);
        setForm((f) => ({ ...f, packageChoice: "existing", packageId: created.id }));
        args.packageId = created.id;
        args.newPackageName = null;
      }
      const started = await call("start_download", args);
      setJob(started);
      call("get_download_job", { id: started.id }).then(setJob, () => undefined);
    } catch (e) {
      setStartFailure(toApiFailure(e));
      setPage("completion");
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    if (page === "summary") return void start();
    if (!isInput(page)) return;
    if (checkThrough(page)) setPage(PAGES[PAGES.indexOf(page) + 1]);
  };

  const byField = useMemo(() => Object.fromEntries(issues.map((i) => [i.field, i.message])), [issues]);
  const pkgs = packages ?? [];
  const chosen = pkgs.find((p) => p.id === form.packageId);

  let body;
  switch (page) {
    case "package":
      body = (
        <>
          {loadFailure && <ErrorBar title={w.package.packagesFailed} message={loadFailure.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />}
          {byField.updates && <ErrorBar title={w.issues.updatesRequired} message="" />}
          <RadioGroup aria-label={w.package.choice} value={form.packageChoice} onChange={(_, d) => change({ packageChoice: d.value as DownloadForm["packageChoice"] })}>
            <Radio value="existing" label={w.package.existing} disabled={pkgs.length === 0} />
            {form.packageChoice === "existing" && (
              <div className={styles.indent}>
                <Field label={w.package.pick} hint={packages && pkgs.length === 0 ? w.package.noPackages : undefined} {...state(byField.packageId)}>
                  <Dropdown
                    placeholder={w.package.pickPlaceholder}
                    value={chosen?.name ?? ""}
                    selectedOptions={form.packageId !== null ? [String(form.packageId)] : []}
                    onOptionSelect={(_, d) => change({ packageId: d.optionValue ? Number(d.optionValue) : null })}
                  >
                    {pkgs.map((p) => (
                      <Option key={p.id} value={String(p.id)} text={p.name}>
                        {`${p.name} (${w.package.files(p.fileCount)})`}
                      </Option>
                    ))}
                  </Dropdown>
                </Field>
              </div>
            )}
            <Radio value="new" label={w.package.new} />
            {form.packageChoice === "new" && (
              <div className={styles.indent}>
                <Field label={w.package.name} required {...state(byField.newName)}>
                  <Input value={form.newName} onChange={(_, d) => change({ newName: d.value })} />
                </Field>
                <Field label={w.package.description}>
                  <Textarea value={form.newDescription} onChange={(_, d) => change({ newDescription: d.value })} />
                </Field>
              </div>
            )}
          </RadioGroup>
        </>
      );
      break;
    case "location":
      body = (
        <Field label={w.location.choice}>
          <RadioGroup value={form.sourceKind} onChange={(_, d) => change({ sourceKind: d.value as DownloadForm["sourceKind"] })}>
            <Radio value="Upstream" label={w.location.Upstream} />
            <Radio value="MicrosoftUpdate" label={w.location.MicrosoftUpdate} />
            <Radio value="LocalFolder" label={w.location.LocalFolder} />
          </RadioGroup>
          {form.sourceKind === "LocalFolder" && (
            <div className={styles.indent}>
              <Field label={w.location.path} hint={w.location.pathHint} required {...state(byField.folder)}>
                <Input value={form.folder} onChange={(_, d) => change({ folder: d.value })} />
              </Field>
            </div>
          )}
        </Field>
      );
      break;
    case "languages":
      body = (
        <Field label={w.languages.label} hint={w.languages.hint} {...state(byField.languages)}>
          <div className={styles.languages} role="group" aria-label={w.languages.label}>
            {LANGUAGES.map((l) => (
              <Checkbox
                key={l.code}
                label={l.name}
                checked={form.languages.includes(l.code)}
                onChange={(_, d) =>
                  change({ languages: d.checked === true ? [...form.languages, l.code] : form.languages.filter((c) => c !== l.code) })
                }
              />
            ))}
          </div>
        </Field>
      );
      break;
    case "summary":
      body = <PropertyList ariaLabel={w.pages.summary} items={downloadSummary(form, { packages: pkgs, groupName: groupName ?? null, languageName })} />;
      break;
    case "progress": {
      const fraction = downloadFraction(job, live);
      body = (
        <>
          <Field label={w.progress.overall}>
            <ProgressBar value={fraction} max={1} thickness="large" aria-label={w.progress.overall} />
          </Field>
          {job && (
            <div className={styles.progressText}>
              <Text size={200} data-testid="download-counts">
                {w.progress.files(job.filesDownloaded, job.filesTotal, job.filesFailed)}
              </Text>
              <Text size={200}>{w.progress.bytes(formatBytes(job.bytesDone), formatBytes(job.bytesTotal))}</Text>
            </div>
          )}
          {live?.message && <Text size={200}>{live.message}</Text>}
          <Text size={200} className={styles.hint}>
            {w.progress.runsOn}
          </Text>
          {job && <FileTable files={job.files} />}
        </>
      );
      break;
    }
    case "completion": {
      const failed = job?.files.filter((f) => f.state === "Failed") ?? [];
      body = startFailure ? (
        <ErrorBar title={w.completion.jobError} message={startFailure.message} />
      ) : job ? (
        <>
          {job.filesDownloaded > 0 || (job.state === "Succeeded" && job.filesTotal > 0) ? (
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody data-testid="download-result">{w.completion.succeeded(job.filesDownloaded, job.packageName)}</MessageBarBody>
            </MessageBar>
          ) : null}
          {job.filesTotal === 0 && job.state === "Succeeded" && <Text>{w.completion.noFiles}</Text>}
          {job.state === "Cancelled" && <Text>{w.completion.cancelled}</Text>}
          {job.state === "Interrupted" && <Text>{w.completion.interrupted}</Text>}
          {job.error && <ErrorBar title={w.completion.jobError} message={job.error} />}
          {failed.length > 0 && (
            <>
              {!job.error && <ErrorBar title={w.completion.failedFiles} message={w.completion.failed(failed.length)} />}
              <FileTable files={failed} label={w.completion.failedFiles} />
            </>
          )}
        </>
      ) : null;
      break;
    }
  }

  const failedJob = startFailure !== null || (job !== null && (job.state !== "Succeeded" || job.filesFailed > 0));
  const heading =
    page === "completion" ? (startFailure ? w.headings.notStarted : failedJob ? w.headings.completionFailed : w.headings.completion) : w.headings[page];
  const inWizard = isInput(page) || page === "summary";

  return (
    <WizardFrame
      testId="download-wizard"
      title={w.title}
      pages={PAGES.map((p) => ({ id: p, label: w.pages[p] }))}
      current={page}
      heading={heading}
      busy={busy}
      busyLabel={w.starting}
      labels={{ pages: w.pagesLabel, previous: w.previous, next: w.next, summary: w.summary, cancel: w.cancel, close: w.close }}
      onPrevious={inWizard && page !== "package" ? () => setPage(PAGES[PAGES.indexOf(page) - 1]) : startFailure && page === "completion" ? () => (setStartFailure(null), setPage("summary")) : undefined}
      onNext={inWizard ? next : undefined}
      onSummary={isInput(page) ? () => checkThrough("languages") && setPage("summary") : undefined}
      onCancel={inWizard ? () => onClose() : undefined}
      onClose={page === "progress" || page === "completion" ? () => onClose(job ?? undefined) : undefined}
    >
      {body}
    </WizardFrame>
  );
}
