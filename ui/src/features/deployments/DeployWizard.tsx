// Deploy Software Updates Wizard (DEP-1), and the same pages as a deployment's Properties.
// Next checks the page: the console's own rules first, then the site's validate_deployment,
// whose FieldIssues are shown on the page holding the field (the wizard goes back there if
// it is an earlier one). Summary lists everything; its Next creates (or saves) the
// deployment on the Progress page; Completion shows the result or the site's error.
// Cancel sends nothing that changes the site.
import { useEffect, useMemo, useState } from "react";
import { MessageBar, MessageBarBody, ProgressBar, Text } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import {
  INPUT_PAGES,
  PAGES,
  blockingIssues,
  buildSpec,
  defaultForm,
  formFromDeployment,
  issuesByField,
  localIssues,
  pageIndex,
  pageOfIssue,
  summaryLines,
  type DeployForm,
  type InputPage,
  type PageId,
} from "./model";
import { AlertsPage, DeploymentSettingsPage, DownloadSettingsPage, GeneralPage, SchedulingPage, SummaryPage, UserExperiencePage } from "./pages";
import { strings } from "./strings";
import type { Deployment, FieldIssue, TargetGroup, UpdateGroupInfo } from "./types";
import { WizardFrame } from "../../components/WizardFrame";

const w = strings.wizard;

export type DeployWizardMode =
  | { kind: "create"; updateIds?: readonly string[]; updateGroupId?: number | null }
  | { kind: "edit"; deployment: Deployment };

export interface DeployWizardProps {
  mode: DeployWizardMode;
  /** With the deployment created or saved; undefined after Cancel or a failure. */
  onClose(result?: Deployment): void;
  /** The clock for defaults and "as soon as possible" (tests pass a fixed one). */
  now?: () => Date;
}

const isInput = (p: PageId): p is InputPage => (INPUT_PAGES as readonly string[]).includes(p);

export function DeployWizard({ mode, onClose, now = () => new Date() }: DeployWizardProps) {
  const editing = mode.kind === "edit";
  const [form, setForm] = useState<DeployForm>(() =>
    mode.kind === "edit"
      ? formFromDeployment(mode.deployment)
      : defaultForm({ updateIds: mode.updateIds, updateGroupId: mode.updateGroupId ?? null, now: now() }),
  );
  const [page, setPage] = useState<PageId>("general");
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const [checkFailure, setCheckFailure] = useState<ApiFailure | null>(null);
  const [groups, setGroups] = useState<UpdateGroupInfo[] | null>(null);
  const [targets, setTargets] = useState<TargetGroup[] | null>(null);
  const [loadFailures, setLoadFailures] = useState<{ groups?: ApiFailure; targets?: ApiFailure }>({});
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ ok: Deployment } | { failure: ApiFailure } | null>(null);

  useEffect(() => {
    let live = true;
    call("list_update_groups", {}).then(
      (g) => live && (setGroups(g), setLoadFailures((f) => ({ ...f, groups: undefined }))),
      (e: unknown) => live && setLoadFailures((f) => ({ ...f, groups: toApiFailure(e) })),
    );
    call("list_target_groups", {}).then(
      (t) => live && (setTargets(t), setLoadFailures((f) => ({ ...f, targets: undefined }))),
      (e: unknown) => live && setLoadFailures((f) => ({ ...f, targets: toApiFailure(e) })),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const change = (patch: Partial<DeployForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    // An edited field's issue is stale; the rest stay until the next check.
    const touched = Object.keys(patch);
    setIssues((list) => list.filter((i) => !touched.some((t) => i.field.endsWith(t) || (t === "source" && i.field.endsWith("updateGroupId")))));
  };

  /**
   * Checks the pages from the current one up to `through`; moves to the first page with an
   * issue, or returns true when all of them are fine.
   */
  const check = async (through: InputPage): Promise<boolean> => {
    const clock = now();
    const start = isInput(page) ? INPUT_PAGES.indexOf(page) : 0;
    const end = INPUT_PAGES.indexOf(through);
    const local = INPUT_PAGES.slice(0, end + 1).flatMap((p, i) => (i >= start || i === 0 ? localIssues(form, p, clock) : []));
    if (local.length) {
      setIssues(local);
      setPage(pageOfIssue(local[0]));
      return false;
    }
    setBusy(true);
    setCheckFailure(null);
    try {
      const found = blockingIssues(await call("validate_deployment", buildSpec(form, clock)), through);
      setIssues(found);
      if (found.length) {
        const first = found.map(pageOfIssue).sort((a, b) => INPUT_PAGES.indexOf(a) - INPUT_PAGES.indexOf(b))[0];
        setPage(first);
        return false;
      }
      return true;
    } catch (e) {
      setCheckFailure(toApiFailure(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const finish = async () => {
    setPage("progress");
    setBusy(true);
    const spec = buildSpec(form, now());
    try {
      const saved = mode.kind === "edit" ? await call("edit_deployment", { id: mode.deployment.id, spec }) : await call("create_deployment", spec);
      setResult({ ok: saved });
    } catch (e) {
      setResult({ failure: toApiFailure(e) });
    } finally {
      setBusy(false);
      setPage("completion");
    }
  };

  const next = async () => {
    if (page === "summary") return finish();
    if (!isInput(page)) return;
    if (await check(page)) {
      setPage(PAGES[pageIndex(page) + 1]);
    }
  };

  const toSummary = async () => {
    if (await check("downloadSettings")) setPage("summary");
  };

  const previous = () => {
    setCheckFailure(null);
    if (page === "completion") {
      setResult(null);
      setPage("summary");
      return;
    }
    const i = pageIndex(page);
    if (i > 0) setPage(PAGES[i - 1]);
  };

  const byField = useMemo(() => issuesByField(issues.filter((i) => isInput(page) && pageOfIssue(i) === page)), [issues, page]);
  const group = groups?.find((g) => g.id === form.updateGroupId) ?? null;
  const target = targets?.find((t) => t.id === form.targetGroupId) ?? null;

  const pageProps = { form, issues: byField, onChange: change };
  const failures = (
    <>
      {loadFailures.groups && (
        <ErrorBar title={w.general.groupsFailed} message={loadFailures.groups.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />
      )}
      {loadFailures.targets && (
        <ErrorBar title={w.general.targetsFailed} message={loadFailures.targets.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />
      )}
    </>
  );
  const pageIssues = isInput(page) ? issues.filter((i) => pageOfIssue(i) === page) : [];

  let body;
  switch (page) {
    case "general":
      body = <GeneralPage {...pageProps} groups={groups} targets={targets} editing={editing} failures={failures} />;
      break;
    case "deploymentSettings":
      body = <DeploymentSettingsPage {...pageProps} />;
      break;
    case "scheduling":
      body = <SchedulingPage {...pageProps} />;
      break;
    case "userExperience":
      body = <UserExperiencePage {...pageProps} />;
      break;
    case "alerts":
      body = <AlertsPage {...pageProps} />;
      break;
    case "downloadSettings":
      body = <DownloadSettingsPage {...pageProps} />;
      break;
    case "summary":
      body = (
        <SummaryPage
          lines={summaryLines(form, {
            groupName: group?.name ?? (editing ? mode.deployment.updateGroupName : null),
            groupUpdateCount: group?.memberCount ?? (editing ? mode.deployment.updateCount : null),
            targetPath: target?.path ?? null,
            now: now(),
          })}
        />
      );
      break;
    case "progress":
      body = <ProgressBar aria-label={w.pages.progress} />;
      break;
    case "completion":
      body =
        result && "ok" in result ? (
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>{editing ? w.completion.saved(result.ok.name) : w.completion.created(result.ok.name)}</MessageBarBody>
          </MessageBar>
        ) : (
          <ErrorBar title={w.completion.failed} message={result && "failure" in result ? result.failure.message : ""} />
        );
      break;
  }

  const succeeded = page === "completion" && result !== null && "ok" in result;
  const heading =
    page === "completion"
      ? succeeded
        ? editing
          ? w.headings.editCompletion
          : w.headings.completion
        : w.headings.completionFailed
      : page === "progress" && editing
        ? w.headings.editProgress
        : w.headings[page];

  const inWizard = isInput(page) || page === "summary";
  return (
    <WizardFrame
      testId="deploy-wizard"
      title={editing ? w.editTitle(mode.deployment.name) : w.title}
      pages={PAGES.map((p) => ({ id: p, label: w.pages[p] }))}
      current={page}
      heading={heading}
      busy={busy}
      busyLabel={page === "progress" ? undefined : w.checking}
      labels={{ pages: w.pagesLabel, previous: w.previous, next: w.next, summary: w.summary, cancel: w.cancel, close: w.close }}
      onPrevious={(inWizard && page !== "general") || (page === "completion" && !succeeded) ? previous : undefined}
      onNext={inWizard ? () => void next() : undefined}
      onSummary={isInput(page) ? () => void toSummary() : undefined}
      onCancel={inWizard ? () => onClose() : undefined}
      onClose={page === "completion" ? () => onClose(succeeded && result && "ok" in result ? result.ok : undefined) : undefined}
    >
      {checkFailure && (
        <ErrorBar title={w.checkFailed} message={checkFailure.message} onDismiss={() => setCheckFailure(null)} dismissLabel={strings.dismiss} />
      )}
      {pageIssues.length > 0 && <Text role="alert">{w.fixErrors}</Text>}
      {body}
    </WizardFrame>
  );
}
