// Create Automatic Deployment Rule Wizard (ADR-1), and the same pages as a rule's Properties.
// Next checks the page: the console's own rules first, then the site's validate_adr, whose
// FieldIssues are shown on the page holding the field (the wizard goes back there if it is an
// earlier one). Summary lists everything; its Next creates (or saves) the rule on the
// Progress page; Completion shows the result or the site's error. Cancel sends nothing that
// changes the site. Editing says that changes apply to future runs only.
import { useEffect, useMemo, useState } from "react";
import { MessageBar, MessageBarBody, ProgressBar, Text } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure, type CommandName } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { WizardFrame } from "../../../components/WizardFrame";
import type { DeployForm } from "../../deployments/model";
import {
  AlertsPage as DeployAlertsPage,
  DeploymentSettingsPage as DeploySettingsPage,
  DownloadSettingsPage as DeployDownloadPage,
  SummaryPage,
  UserExperiencePage as DeployExperiencePage,
} from "../../deployments/pages";
import {
  INPUT_PAGES,
  PAGES,
  blockingIssues,
  buildSpec,
  defaultForm,
  deploymentOfIssue,
  firstPage,
  formFromRule,
  issuesByField,
  localIssues,
  pageIndex,
  pageOfIssue,
  summaryLines,
  type AdrForm,
  type InputPage,
  type PageId,
} from "./model";
import { DeploymentSchedulePage, DownloadPage, EvaluationPage, GeneralPage, PackagePage, SoftwareUpdatesPage } from "./pages";
import { strings } from "./strings";
import type { AutomaticDeploymentRule, CategoryInfo, ContentPackage, DistributionPoint, FieldIssue, TargetGroup, UpdateGroupInfo } from "./types";

const w = strings.wizard;

export type AdrWizardMode = { kind: "create" } | { kind: "edit"; rule: AutomaticDeploymentRule };

export interface AdrWizardProps {
  mode: AdrWizardMode;
  /** With the rule created or saved; undefined after Cancel or a failure. */
  onClose(result?: AutomaticDeploymentRule): void;
  /** The clock for defaults and the next evaluation (tests pass a fixed one). */
  now?: () => Date;
}

const isInput = (p: PageId): p is InputPage => (INPUT_PAGES as readonly string[]).includes(p);

type Lists = {
  targets: TargetGroup[] | null;
  groups: UpdateGroupInfo[] | null;
  categories: CategoryInfo[] | null;
  packages: ContentPackage[] | null;
  points: DistributionPoint[] | null;
};
type ListName = keyof Lists;
const LIST_COMMANDS: Record<ListName, CommandName> = {
  targets: "list_target_groups",
  groups: "list_update_groups",
  categories: "list_categories",
  packages: "list_packages",
  points: "list_distribution_points",
};
const LIST_FAILED: Record<ListName, string> = {
  targets: w.general.targetsFailed,
  groups: w.general.groupsFailed,
  categories: w.criteria.categoriesFailed,
  packages: w.package.packagesFailed,
  points: w.download.pointsFailed,
};

/** The lists the wizard's pickers offer, each with its own failure and retry. */
function useLists(): { lists: Lists; failures: Partial<Record<ListName, ApiFailure>>; retry(): void } {
  const [lists, setLists] = useState<Lists>({ targets: null, groups: null, categories: null, packages: null, points: null });
  const [failures, setFailures] = useState<Partial<Record<ListName, ApiFailure>>>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    for (const name of Object.keys(LIST_COMMANDS) as ListName[]) {
      (call(LIST_COMMANDS[name], {} as never) as Promise<unknown>).then(
        (value) => {
          if (!live) return;
          setLists((l) => ({ ...l, [name]: value }));
          setFailures((f) => ({ ...f, [name]: undefined }));
        },
        (e: unknown) => live && setFailures((f) => ({ ...f, [name]: toApiFailure(e) })),
      );
    }
    return () => {
      live = false;
    };
  }, [attempt]);
  return { lists, failures, retry: () => setAttempt((a) => a + 1) };
}

export function AdrWizard({ mode, onClose, now = () => new Date() }: AdrWizardProps) {
  const editing = mode.kind === "edit";
  const [form, setForm] = useState<AdrForm>(() => (mode.kind === "edit" ? formFromRule(mode.rule, now()) : defaultForm(now())));
  const [page, setPage] = useState<PageId>("general");
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const [checkFailure, setCheckFailure] = useState<ApiFailure | null>(null);
  const [result, setResult] = useState<{ ok: AutomaticDeploymentRule; enableFailure?: ApiFailure } | { failure: ApiFailure } | null>(null);
  const { lists, failures: listFailures, retry } = useLists();

  const change = (patch: Partial<AdrForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    // An edited page's issues are stale; the rest stay until the next check.
    if (isInput(page)) setIssues((list) => list.filter((i) => pageOfIssue(i) !== page));
  };
  const changeDeploy = (patch: Partial<DeployForm>) => change({ deploy: { ...form.deploy, ...patch } });

  /** Checks the pages up to `through`; moves to the first page with an issue, or returns true. */
  const check = async (through: InputPage): Promise<boolean> => {
    const clock = now();
    const local = INPUT_PAGES.slice(0, INPUT_PAGES.indexOf(through) + 1).flatMap((p) => localIssues(form, p, clock));
    if (local.length) {
      setIssues(local);
      setPage(firstPage(local));
      return false;
    }
    setBusy(true);
    setCheckFailure(null);
    try {
      const found = blockingIssues(await call("validate_adr", buildSpec(form, clock)), through);
      setIssues(found);
      if (found.length) {
        setPage(firstPage(found));
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
      if (mode.kind === "edit") {
        setResult({ ok: await call("edit_adr", { id: mode.rule.id, spec }) });
      } else {
        let rule = await call("create_adr", spec);
        let enableFailure: ApiFailure | undefined;
        if (rule.enabled !== form.enableAfterCreate) {
          try {
            rule = await call("set_adr_enabled", { id: rule.id, enabled: form.enableAfterCreate });
          } catch (e) {
            enableFailure = toApiFailure(e);
          }
        }
        setResult({ ok: rule, enableFailure });
      }
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
    if (await check(page)) setPage(PAGES[pageIndex(page) + 1]);
  };

  const toSummary = async () => {
    if (await check("download")) setPage("summary");
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

  const pageIssues = isInput(page) ? issues.filter((i) => pageOfIssue(i) === page) : [];
  // The wizard's own deployment and the rule's fields: under their Field. Other deployments'
  // issues (added with Add Deployment) have no field here: listed on General.
  const byField = useMemo(() => issuesByField(pageIssues.filter((i) => (deploymentOfIssue(i) ?? 0) === 0)), [pageIssues]);
  const otherIssues = pageIssues.filter((i) => (deploymentOfIssue(i) ?? 0) > 0);

  const failureBar = (...names: ListName[]) => (
    <>
      {names.map(
        (n) => listFailures[n] && <ErrorBar key={n} title={LIST_FAILED[n]} message={listFailures[n]?.message ?? ""} onRetry={retry} retryLabel={strings.retry} />,
      )}
    </>
  );
  const pageProps = { form, issues: byField, onChange: change };
  const deployProps = { form: form.deploy, issues: byField, onChange: changeDeploy };

  let body;
  switch (page) {
    case "general":
      body = <GeneralPage {...pageProps} targets={lists.targets} groups={lists.groups} editing={editing} failures={failureBar("targets", "groups")} />;
      break;
    case "deploymentSettings":
      body = <DeploySettingsPage {...deployProps} />;
      break;
    case "softwareUpdates":
      body = <SoftwareUpdatesPage {...pageProps} categories={lists.categories} failures={failureBar("categories")} />;
      break;
    case "evaluation":
      body = <EvaluationPage {...pageProps} now={now()} />;
      break;
    case "deploymentSchedule":
      body = <DeploymentSchedulePage {...pageProps} />;
      break;
    case "userExperience":
      body = <DeployExperiencePage {...deployProps} />;
      break;
    case "alerts":
      body = <DeployAlertsPage {...deployProps} />;
      break;
    case "package":
      body = <PackagePage {...pageProps} packages={lists.packages} failures={failureBar("packages")} />;
      break;
    case "download":
      body = <DownloadPage {...pageProps} points={lists.points} failures={failureBar("points")} clientOptions={<DeployDownloadPage {...deployProps} />} />;
      break;
    case "summary": {
      const spec = buildSpec(form, now());
      body = (
        <SummaryPage
          lines={summaryLines(spec, form, {
            targetPath: lists.targets?.find((t) => t.id === form.targetGroupId)?.path ?? null,
            groupName: lists.groups?.find((g) => g.id === form.existingUpdateGroupId)?.name ?? null,
            packageName: lists.packages?.find((p) => p.id === form.packageId)?.name ?? null,
            pointNames: (lists.points ?? []).filter((p) => form.distributionPointIds.includes(p.id)).map((p) => p.name),
            categories: lists.categories,
            editing,
          })}
        />
      );
      break;
    }
    case "progress":
      body = <ProgressBar aria-label={w.pages.progress} />;
      break;
    case "completion":
      body =
        result && "ok" in result ? (
          <>
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>{editing ? w.completion.saved(result.ok.spec.name) : w.completion.created(result.ok.spec.name)}</MessageBarBody>
            </MessageBar>
            {result.enableFailure && <ErrorBar title={w.completion.enableFailed} message={result.enableFailure.message} />}
          </>
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
      testId="adr-wizard"
      title={editing ? w.editTitle(mode.rule.spec.name) : w.title}
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
      onClose={page === "completion" ? () => onClose(result && "ok" in result ? result.ok : undefined) : undefined}
    >
      {editing && inWizard && (
        <MessageBar intent="info" layout="multiline" data-testid="future-runs-note">
          <MessageBarBody>{w.futureRunsNote}</MessageBarBody>
        </MessageBar>
      )}
      {checkFailure && <ErrorBar title={w.checkFailed} message={checkFailure.message} onDismiss={() => setCheckFailure(null)} dismissLabel={strings.dismiss} />}
      {pageIssues.length > 0 && <Text role="alert">{w.fixErrors}</Text>}
      {otherIssues.map((i) => (
        <ErrorBar key={`${i.field}-${i.message}`} title={w.otherDeploymentIssue((deploymentOfIssue(i) ?? 0) + 1)} message={i.message} />
      ))}
      {body}
    </WizardFrame>
  );
}
