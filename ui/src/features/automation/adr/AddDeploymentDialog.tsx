// Add Deployment (ADR-3): another collection for a rule, with its own deployment settings,
// schedule, user experience and alerts; it shares the rule's group and package. The same
// deployment pages as the rule's wizard, in the console's wizard; saved as the rule's spec with
// one more AdrDeploymentSpec (validate_adr on the way, then edit_adr), so it applies from the
// rule's next run.
import { useEffect, useMemo, useState } from "react";
import { Field, MessageBar, MessageBarBody, Text } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { WizardFrame, type WizardIssue, type WizardPage } from "../../../components/WizardFrame";
import { summaryLines as deploySummaryLines, type DeployForm } from "../../deployments/model";
import { deploymentPage } from "../../deployments/pages/deploymentPages";
import { TargetTree, fieldState, usePageStyles } from "../../deployments/pages/fields";
import { availableText, buildDeployment, deadlineText, defaultForm, deploymentOfIssue, issuesByField, localIssues, pageOfIssue, type AdrForm } from "./model";
import { ScheduleFields } from "./pages";
import { strings } from "./strings";
import type { AutomaticDeploymentRule, TargetGroup } from "./types";

const a = strings.addDeployment;
const w = strings.wizard;

type ScheduleForm = Pick<AdrForm, "availableMode" | "availableAfter" | "deadlineMode" | "deadlineAfter">;
const PAGES = ["collection", "deploymentSettings", "deploymentSchedule", "userExperience", "alerts"] as const;
type PageId = (typeof PAGES)[number];
/** The rule wizard's page of a field, as this wizard's page. */
const OWN_PAGE: Partial<Record<string, PageId>> = { general: "collection", deploymentSettings: "deploymentSettings", deploymentSchedule: "deploymentSchedule", userExperience: "userExperience", alerts: "alerts" };

export function AddDeploymentDialog({
  rule,
  onClose,
  now = () => new Date(),
}: {
  rule: AutomaticDeploymentRule;
  /** With the rule saved; undefined after Cancel. */
  onClose(saved?: AutomaticDeploymentRule): void;
  now?: () => Date;
}) {
  const styles = usePageStyles();
  const initial = useMemo(() => defaultForm(now()), [now]);
  const [targetGroupId, setTargetGroupId] = useState<number | null>(null);
  const [deploy, setDeploy] = useState<DeployForm>(initial.deploy);
  const [schedule, setSchedule] = useState<ScheduleForm>(initial);
  const [targets, setTargets] = useState<TargetGroup[] | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const index = rule.spec.deployments.length;
  const edited = useMemo(() => ({ deploy, schedule, targetGroupId }), [deploy, schedule, targetGroupId]);
  const mine = `deployments[${index}]`;

  useEffect(() => {
    let live = true;
    call("list_target_groups", {}).then(
      (t) => live && setTargets(t),
      (e: unknown) => live && setLoadFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const spec = () => ({ ...rule.spec, deployments: [...rule.spec.deployments, buildDeployment(deploy, schedule, targetGroupId, now())] });
  /** The rule wizard's page checks, read for this deployment (the rule's first deployment's fields renamed). */
  const local = (page: "general" | "deploymentSchedule" | "alerts") =>
    localIssues({ ...initial, ...schedule, deploy, targetGroupId, name: rule.spec.name }, page, now()).map((i) => ({ ...i, field: i.field.replace("deployments[0]", mine) }));
  // This deployment's issues as the rule wizard's first deployment's: the same page holds them.
  const asFirst = (i: WizardIssue) => ({ ...i, field: i.field.replace(mine, "deployments[0]") });
  const ownIssue = (i: WizardIssue) => deploymentOfIssue(i) === index;
  const path = targets?.find((t) => t.id === targetGroupId)?.path ?? (targetGroupId === null ? "" : String(targetGroupId));
  const deployLines = (id: PageId) => deploySummaryLines(deploy, { groupName: null, groupUpdateCount: null, targetPath: null, now: now() }).filter((l) => l.page === id);

  const shared = { form: deploy, onChange: (patch: Partial<DeployForm>) => setDeploy((d) => ({ ...d, ...patch })) };
  const body = (id: PageId): Omit<WizardPage, "validate" | "summary"> => {
    switch (id) {
      case "collection":
        return {
          id,
          label: a.collection,
          heading: a.headings.collection,
          render: (issues) => {
            const byField = issuesByField(issues.filter(ownIssue).map(asFirst));
            return (
              <>
                <Text className={styles.hint}>{a.intro}</Text>
                {loadFailure && <ErrorBar title={w.general.targetsFailed} message={loadFailure.message} />}
                {issues
                  .filter((i) => !ownIssue(i))
                  .map((i) => (
                    <ErrorBar
                      key={`${i.field}-${i.message}`}
                      title={deploymentOfIssue(i) === null ? a.ruleIssue : w.otherDeploymentIssue((deploymentOfIssue(i) ?? 0) + 1)}
                      message={i.message}
                    />
                  ))}
                <Field label={a.collection} required {...fieldState(byField.targetGroupId)}>
                  <TargetTree targets={targets} value={targetGroupId} label={a.collection} onChange={setTargetGroupId} />
                </Field>
              </>
            );
          },
        };
      case "deploymentSchedule":
        return {
          id,
          label: w.pages.deploymentSchedule,
          heading: w.headings.deploymentSchedule,
          render: (issues) => (
            <ScheduleFields
              value={schedule}
              issues={issuesByField(issues.map(asFirst))}
              required={deploy.deploymentType === "Required"}
              onChange={(patch) => setSchedule((s) => ({ ...s, ...patch }))}
            />
          ),
        };
      default:
        return deploymentPage(id, shared);
    }
  };
  const page = (id: PageId): WizardPage => ({
    ...body(id),
    validate: async (check) => {
      const found = id === "collection" ? local("general") : id === "deploymentSchedule" || id === "alerts" ? local(id) : [];
      return found.length ? found : check.once("site", () => call("validate_adr", { id: rule.id, spec: spec() }));
    },
    summary: () => {
      if (id === "collection") return [{ label: a.collection, value: path }];
      if (id !== "deploymentSchedule") return deployLines(id);
      const d = buildDeployment(deploy, schedule, targetGroupId, now());
      return [
        { label: w.summaryLabels.available, value: availableText(d) },
        { label: w.summaryLabels.deadline, value: deadlineText(d) },
      ];
    },
  });

  return (
    <WizardFrame<AutomaticDeploymentRule>
      testId="add-deployment-wizard"
      title={a.title(rule.spec.name)}
      texts={{ ...w.bar, pages: w.pages }}
      pages={PAGES.map(page)}
      pageOfIssue={(i) => (ownIssue(i) ? OWN_PAGE[pageOfIssue(asFirst(i))] : "collection")}
      value={edited}
      summary={{ heading: w.headings.summary }}
      run={() => call("edit_adr", { id: rule.id, spec: spec() })}
      progress={{ heading: a.headings.progress }}
      completion={{
        heading: (o) => (o.ok ? a.headings.completion : a.headings.completionFailed),
        body: (o) =>
          o.ok ? (
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>{a.added(o.value.spec.name)}</MessageBarBody>
            </MessageBar>
          ) : (
            <ErrorBar title={a.failed} message={o.failure.message} />
          ),
      }}
      onClose={onClose}
    />
  );
}
