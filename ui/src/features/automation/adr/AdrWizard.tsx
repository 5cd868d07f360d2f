// Create Automatic Deployment Rule Wizard (ADR-1), and the same pages as a rule's Properties.
// Next checks the page: the console's own rules first, then the site's validate_adr, whose
// FieldIssues are shown on the page holding the field (the wizard goes back there if it is an
// earlier one). Summary lists everything; its Next creates (or saves) the rule on the
// Progress page; Completion shows the result or the site's error. Cancel sends nothing that
// changes the site. Editing says that changes apply to future runs only.
import { useEffect, useState, type ReactNode } from "react";
import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure, type CommandName } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { WizardFrame, type WizardIssue, type WizardPage, createOrEditEnd } from "../../../components/WizardFrame";
import type { DeployForm } from "../../deployments/model";
import { deploymentPage, DownloadSettingsPage } from "../../deployments/pages/deploymentPages";
import {
  INPUT_PAGES,
  buildSpec,
  defaultForm,
  deploymentOfIssue,
  formFromRule,
  issuesByField,
  localIssues,
  pageOfIssue,
  summaryLines,
  type AdrForm,
  type InputPage,
} from "./model";
import { DeploymentSchedulePage, DownloadPage, EvaluationPage, GeneralPage, PackagePage, SoftwareUpdatesPage } from "./pages";
import { strings } from "./strings";
import type { AutomaticDeploymentRule, CategoryInfo, ContentPackage, DistributionPoint, TargetGroup, UpdateGroupInfo } from "./types";

const w = strings.wizard;

export type AdrWizardMode = { kind: "create" } | { kind: "edit"; rule: AutomaticDeploymentRule };

export interface AdrWizardProps {
  mode: AdrWizardMode;
  /** With the rule created or saved; undefined after Cancel or a failure. */
  onClose(result?: AutomaticDeploymentRule): void;
  /** The clock for defaults and the next evaluation (tests pass a fixed one). */
  now?: () => Date;
}

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

interface Saved {
  rule: AutomaticDeploymentRule;
  enableFailure?: ApiFailure;
}

export function AdrWizard({ mode, onClose, now = () => new Date() }: AdrWizardProps) {
  const editing = mode.kind === "edit";
  const [form, setForm] = useState<AdrForm>(() => (mode.kind === "edit" ? formFromRule(mode.rule, now()) : defaultForm(now())));
  const { lists, failures: listFailures, retry } = useLists();

  const change = (patch: Partial<AdrForm>) => setForm((f) => ({ ...f, ...patch }));
  const changeDeploy = (patch: Partial<DeployForm>) => setForm((f) => ({ ...f, deploy: { ...f.deploy, ...patch } }));

  const failureBar = (...names: ListName[]) => (
    <>
      {names.map(
        (n) => listFailures[n] && <ErrorBar key={n} title={LIST_FAILED[n]} message={listFailures[n]?.message ?? ""} onRetry={retry} retryLabel={strings.retry} />,
      )}
    </>
  );
  // The wizard's own deployment and the rule's fields: under their Field.
  const props = (issues: readonly WizardIssue[]) => ({ form, issues: issuesByField(issues), onChange: change });
  const deployProps = { form: form.deploy, onChange: changeDeploy };

  const own = (id: InputPage, render: (issues: readonly WizardIssue[]) => ReactNode): Omit<WizardPage, "validate" | "summary"> => ({
    id,
    label: w.pages[id as keyof typeof w.pages],
    heading: w.headings[id as keyof typeof w.headings],
    render,
  });
  const body = (id: InputPage): Omit<WizardPage, "validate" | "summary"> => {
    switch (id) {
      case "general":
        return own(id, (issues) => {
          // Other deployments' issues (added with Add Deployment) have no field here: listed.
          const mine = issues.filter((i) => (deploymentOfIssue(i) ?? 0) === 0);
          const others = issues.filter((i) => (deploymentOfIssue(i) ?? 0) > 0);
          return (
            <>
              {others.map((i) => (
                <ErrorBar key={`${i.field}-${i.message}`} title={w.otherDeploymentIssue((deploymentOfIssue(i) ?? 0) + 1)} message={i.message} />
              ))}
              <GeneralPage {...props(mine)} targets={lists.targets} groups={lists.groups} editing={editing} failures={failureBar("targets", "groups")} />
            </>
          );
        });
      case "deploymentSettings":
      case "userExperience":
      case "alerts":
        return deploymentPage(id, deployProps);
      case "softwareUpdates":
        return own(id, (issues) => <SoftwareUpdatesPage {...props(issues)} categories={lists.categories} failures={failureBar("categories")} />);
      case "evaluation":
        return own(id, (issues) => <EvaluationPage {...props(issues)} now={now()} />);
      case "deploymentSchedule":
        return own(id, (issues) => <DeploymentSchedulePage {...props(issues)} />);
      case "package":
        return own(id, (issues) => <PackagePage {...props(issues)} packages={lists.packages} failures={failureBar("packages")} />);
      case "download":
        return own(id, (issues) => (
          <DownloadPage
            {...props(issues)}
            points={lists.points}
            failures={failureBar("points")}
            clientOptions={<DownloadSettingsPage {...deployProps} issues={issuesByField(issues)} />}
          />
        ));
    }
  };
  const lines = () =>
    summaryLines(buildSpec(form, now()), form, {
      targetPath: lists.targets?.find((t) => t.id === form.targetGroupId)?.path ?? null,
      groupName: lists.groups?.find((g) => g.id === form.existingUpdateGroupId)?.name ?? null,
      packageName: lists.packages?.find((p) => p.id === form.packageId)?.name ?? null,
      pointNames: (lists.points ?? []).filter((p) => form.distributionPointIds.includes(p.id)).map((p) => p.name),
      categories: lists.categories,
      editing,
    });
  const page = (id: InputPage): WizardPage => ({
    ...body(id),
    // The console's own rules first; then the site, once per press.
    validate: async (check) => {
      const local = localIssues(form, id, now());
      return local.length ? local : check.once("site", () => call("validate_adr", { id: mode.kind === "edit" ? mode.rule.id : null, spec: buildSpec(form, now()) }));
    },
    summary: () => lines().filter((l) => l.page === id),
  });

  const run = async (): Promise<Saved> => {
    const spec = buildSpec(form, now());
    if (mode.kind === "edit") return { rule: await call("edit_adr", { id: mode.rule.id, spec }) };
    let rule = await call("create_adr", spec);
    let enableFailure: ApiFailure | undefined;
    if (rule.enabled !== form.enableAfterCreate) {
      try {
        rule = await call("set_adr_enabled", { id: rule.id, enabled: form.enableAfterCreate });
      } catch (e) {
        enableFailure = toApiFailure(e);
      }
    }
    return { rule, enableFailure };
  };

  return (
    <WizardFrame<Saved>
      testId="adr-wizard"
      title={editing ? w.editTitle(mode.rule.spec.name) : w.title}
      texts={{ ...w.bar, pages: w.pages }}
      pages={INPUT_PAGES.map(page)}
      pageOfIssue={(i) => pageOfIssue(i)}
      value={form}
      notice={
        editing && (
          <MessageBar intent="info" layout="multiline" data-testid="future-runs-note">
            <MessageBarBody>{w.futureRunsNote}</MessageBarBody>
          </MessageBar>
        )
      }
      summary={{ heading: w.headings.summary }}
      run={run}
      {...createOrEditEnd(w, editing, (r: Saved) => r.rule.spec.name, (r) =>
        r.enableFailure && <ErrorBar title={w.completion.enableFailed} message={r.enableFailure.message} />,
      )}
      onClose={(saved) => (saved ? onClose(saved.rule) : onClose())}
    />
  );
}
