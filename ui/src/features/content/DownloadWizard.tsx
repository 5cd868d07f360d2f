// Download Software Updates Wizard (CNT-1): Deployment Package (existing or new) → Download
// Location (upstream, Microsoft Update or a folder; by default where the site synchronizes
// from) → Language Selection → Source Check (the site checks the source holds or serves the
// files; a refusal sends the wizard back to the field it names) → Summary →
// Progress (per file, live from `progress` events of job "download:<id>" and a poll of
// get_download_job) → Completion (files downloaded, failed files with their error).
// Cancel, before the Summary's Next, sends nothing that changes the site; Close while it runs
// leaves the download running on the site. A new package is made by start_download itself,
// so a start that fails leaves none behind.
import { useEffect, useRef, useState } from "react";
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
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, subscribe, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes } from "../../components/format";
import { WizardFrame, type WizardCheck, type WizardIssue, type WizardPage } from "../../components/WizardFrame";
import { strings as deployStrings } from "../deployments/strings";
import { LANGUAGES, languageName } from "../sync/languages";
import {
  INPUT_PAGES,
  applyDownloadEvent,
  buildStartArgs,
  checkArgs,
  defaultDownloadForm,
  downloadFraction,
  downloadSummary,
  isFinished,
  pageIssues,
  sourceForSync,
  type DownloadForm,
  type InputPage,
  type LiveDownload,
} from "./model";
import { FileTable } from "./FileTable";
import { strings } from "./strings";
import type { ContentPackage, DownloadJob, DownloadSourceCheck, SyncSource } from "./types";

const w = strings.wizard;
const POLL_MS = 1000;

const useStyles = makeStyles({
  // The radio group sizes its items to their content: stretched, a package name or a folder
  // path is read whole instead of cut at the input's default width.
  indent: {
    paddingLeft: tokens.spacingHorizontalXXL,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    alignSelf: "stretch",
    maxWidth: "560px",
  },
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

const state = (message: string | undefined) => (message ? { validationState: "error" as const, validationMessage: message } : {});

export function DownloadWizard({ updateIds = [], updateGroupId = null, groupName, onClose }: DownloadWizardProps) {
  const styles = useStyles();
  const [form, setForm] = useState<DownloadForm>(() => defaultDownloadForm({ updateIds, updateGroupId }));
  const [packages, setPackages] = useState<ContentPackage[] | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const [job, setJob] = useState<DownloadJob | null>(null);
  const [live, setLive] = useState<LiveDownload | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [sync, setSync] = useState<{ source: SyncSource; upstreamUrl: string } | null>(null);
  // The last source check, for the form it was made for (a change of source, folder,
  // updates or languages makes it stale).
  const [checked, setChecked] = useState<{ key: string; result?: DownloadSourceCheck; failure?: ApiFailure } | null>(null);
  const asking = useRef<{ key: string; answer: Promise<DownloadSourceCheck> } | null>(null);
  const touched = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

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
    // Where the update point synchronizes from, and its languages, are the natural defaults.
    call("get_sync_settings", {}).then(
      (s) => {
        if (!alive) return;
        setSync({ source: s.source, upstreamUrl: s.upstreamUrl });
        if (touched.current) return;
        setForm((f) => ({ ...f, sourceKind: sourceForSync(s.source), languages: s.languages.length > 0 ? [...s.languages] : f.languages }));
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [attempt]);

  // Live progress of the running job.
  const jobId = job?.id ?? null;
  useEffect(() => {
    if (jobId === null) return;
    return subscribe((event) => setLive((l) => applyDownloadEvent(l, jobId, event)));
  }, [jobId]);

  const change = (patch: Partial<DownloadForm>) => {
    touched.current = true;
    setForm((f) => ({ ...f, ...patch }));
  };

  const checkKey = JSON.stringify(checkArgs(form));
  /** The site's check of the source for the current form: asked once per form, its answer kept. */
  const askCheck = (): Promise<DownloadSourceCheck> => {
    if (asking.current?.key === checkKey) return asking.current.answer;
    const key = checkKey;
    const answer = call("check_download_source", checkArgs(form));
    asking.current = { key, answer };
    setChecked({ key });
    answer.then(
      (result) => mounted.current && setChecked((c) => (c?.key === key ? { key, result } : c)),
      (e: unknown) => {
        // Asked again at the next check: the site may answer then.
        if (asking.current?.key === key) asking.current = null;
        if (mounted.current) setChecked((c) => (c?.key === key ? { key, failure: toApiFailure(e) } : c));
      },
    );
    return answer;
  };
  const checkAgain = () => {
    asking.current = null;
    void askCheck().catch(() => undefined);
  };
  /** The check page's issues: the site's refusal, under the Download Location field it names. */
  const checkIssues = async (check: WizardCheck): Promise<WizardIssue[]> => {
    let result: DownloadSourceCheck;
    try {
      result = await check.once("source", askCheck);
    } catch (e) {
      // The site refused the question itself (e.g. the chosen updates have no files): said on this page.
      return [{ field: "", message: toApiFailure(e).message }];
    }
    if (result.ok) return [];
    return [result.issue ? { field: result.issue.field, message: result.issue.message } : { field: "", message: result.message }];
  };

  /** Starts the download and follows the job (a poll for its files, and in case an event is lost) until it ends. */
  const run = async (): Promise<DownloadJob> => {
    let current = await call("start_download", buildStartArgs(form));
    setJob(current);
    while (mounted.current && !isFinished(current)) {
      try {
        current = await call("get_download_job", { id: current.id });
        setJob(current);
      } catch {
        // The next poll asks again.
      }
      if (!isFinished(current)) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return current;
  };

  const pkgs = packages ?? [];
  const chosen = pkgs.find((p) => p.id === form.packageId);
  const byField = (issues: readonly WizardIssue[]) => Object.fromEntries(issues.map((i) => [i.field, i.message]));
  const render = (id: InputPage, issues: Record<string, string>) => {
    switch (id) {
      case "package":
        return (
          <>
            {loadFailure && <ErrorBar title={w.package.packagesFailed} message={loadFailure.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />}
            {issues.updates && <ErrorBar title={w.issues.updatesRequired} message="" />}
            <RadioGroup aria-label={w.package.choice} value={form.packageChoice} onChange={(_, d) => change({ packageChoice: d.value as DownloadForm["packageChoice"] })}>
              <Radio value="existing" label={w.package.existing} disabled={pkgs.length === 0} />
              {form.packageChoice === "existing" && (
                <div className={styles.indent}>
                  <Field label={w.package.pick} hint={packages && pkgs.length === 0 ? w.package.noPackages : undefined} {...state(issues.packageId)}>
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
                  <Field label={w.package.name} required {...state(issues.newName)}>
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
      case "location":
        return (
          <Field label={w.location.choice} {...state(issues.source)}>
            <RadioGroup value={form.sourceKind} onChange={(_, d) => change({ sourceKind: d.value as DownloadForm["sourceKind"] })}>
              <Radio value="Upstream" label={w.location.Upstream} disabled={sync?.source === "MicrosoftUpdate"} />
              <Radio value="MicrosoftUpdate" label={w.location.MicrosoftUpdate} />
              <Radio value="LocalFolder" label={w.location.LocalFolder} />
            </RadioGroup>
            {sync && (
              <Text size={200} className={styles.hint}>
                {sync.source === "MicrosoftUpdate" ? w.location.syncsFromMicrosoft : w.location.syncsFrom(sync.upstreamUrl)}
              </Text>
            )}
            {form.sourceKind === "LocalFolder" && (
              <div className={styles.indent}>
                <Field label={w.location.path} hint={w.location.pathHint} required {...state(issues.folder)}>
                  <Input value={form.folder} onChange={(_, d) => change({ folder: d.value })} />
                </Field>
              </div>
            )}
          </Field>
        );
      case "check":
        return <SourceCheckView checkKey={checkKey} checked={checked} ask={askCheck} again={checkAgain} />;
      case "languages":
        return (
          <Field label={w.languages.label} hint={w.languages.hint} {...state(issues.languages)}>
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
    }
  };
  const page = (id: InputPage): WizardPage => ({
    id,
    label: w.pages[id],
    heading: w.headings[id],
    render: (issues) => render(id, byField(issues)),
    validate: (check) => (id === "check" ? checkIssues(check) : pageIssues(form, id, pkgs)),
    summary: () => downloadSummary(form, { packages: pkgs, groupName: groupName ?? null, languageName }).filter((l) => l.page === id),
  });

  const fraction = downloadFraction(job, live);
  const progress = (
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
  const completed = (done: DownloadJob) => {
    const failed = done.files.filter((f) => f.state === "Failed");
    return (
      <>
        {done.filesDownloaded > 0 || (done.state === "Succeeded" && done.filesTotal > 0) ? (
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody data-testid="download-result">{w.completion.succeeded(done.filesDownloaded, done.packageName)}</MessageBarBody>
          </MessageBar>
        ) : null}
        {done.filesTotal === 0 && done.state === "Succeeded" && <Text>{w.completion.noFiles}</Text>}
        {done.state === "Cancelled" && <Text>{w.completion.cancelled}</Text>}
        {done.state === "Interrupted" && <Text>{w.completion.interrupted}</Text>}
        {done.error && <ErrorBar title={w.completion.jobError} message={done.error} />}
        {failed.length > 0 && (
          <>
            {!done.error && <ErrorBar title={w.completion.failedFiles} message={w.completion.failed(failed.length)} />}
            <FileTable files={failed} label={w.completion.failedFiles} />
          </>
        )}
      </>
    );
  };
  const clean = (done: DownloadJob) => done.state === "Succeeded" && done.filesFailed === 0;

  return (
    <WizardFrame<DownloadJob>
      testId="download-wizard"
      title={w.title}
      texts={{ ...deployStrings.wizard.bar, pages: w.pages, running: w.starting, checking: w.check.checking, checkFailed: w.check.failed }}
      pages={INPUT_PAGES.map(page)}
      pageOfIssue={(issue) => (issue.field === "source" || issue.field === "folder" ? "location" : undefined)}
      value={form}
      summary={{ heading: w.headings.summary }}
      run={run}
      progress={{ heading: w.headings.progress, body: progress }}
      completion={{
        heading: (o) => (o.ok ? (clean(o.value) ? w.headings.completion : w.headings.completionFailed) : w.headings.notStarted),
        body: (o) => (o.ok ? completed(o.value) : <ErrorBar title={w.completion.jobError} message={o.failure.message} />),
      }}
      closeWhileRunning
      onClose={(done) => (done ?? job ? onClose(done ?? job ?? undefined) : onClose())}
    />
  );
}

interface SourceCheckViewProps {
  checkKey: string;
  checked: { key: string; result?: DownloadSourceCheck; failure?: ApiFailure } | null;
  ask(): Promise<DownloadSourceCheck>;
  again(): void;
}

/** The Source Check page: asks the site when shown (once per form), then says what it found. */
function SourceCheckView({ checkKey, checked, ask, again }: SourceCheckViewProps) {
  const styles = useStyles();
  useEffect(() => {
    // The answer lands in `checked`; a failure is shown from there. Asked again only when
    // the form's check changes (`ask` is a new function each render, and keeps its answer).
    ask().catch(() => undefined);
  }, [checkKey]);
  const c = w.check;
  const current = checked?.key === checkKey ? checked : null;
  const retry = { onRetry: again, retryLabel: c.again };
  if (current?.failure) return <ErrorBar title={c.failed} message={current.failure.message} {...retry} />;
  const result = current?.result;
  if (!result) return <Spinner size="small" label={c.checking} labelPosition="after" />;
  const counts = (
    <Text size={200} className={styles.hint}>
      {c.files(result.filesWanted, result.filesHeld)}
    </Text>
  );
  if (result.ok)
    return (
      <>
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody data-testid="source-check">
            <strong>{c.usable}. </strong>
            {result.message}
          </MessageBarBody>
        </MessageBar>
        {counts}
      </>
    );
  const field = c.field(result.issue?.field ?? "source");
  return (
    <>
      <ErrorBar title={c.refused} message={`${field}: ${result.message}`} {...retry} />
      <Text>{c.fix(field)}</Text>
      {counts}
    </>
  );
}
