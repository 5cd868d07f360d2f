// Add Deployment (ADR-3): another collection for a rule, with its own deployment settings,
// schedule, user experience and alerts; it shares the rule's group and package. Saved as the
// rule's spec with one more AdrDeploymentSpec (validate_adr, then edit_adr), so it applies
// from the rule's next run.
import { useEffect, useMemo, useState } from "react";
import { Button, Field, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { FormDialog } from "../../../components/FormDialog";
import type { DeployForm } from "../../deployments/model";
import { AlertsPage, DeploymentSettingsPage, UserExperiencePage } from "../../deployments/pages";
import { buildDeployment, defaultForm, deploymentOfIssue, issuesByField, localIssues, type AdrForm } from "./model";
import { ScheduleFields, TargetTree, fieldState } from "./pages";
import { strings } from "./strings";
import type { AutomaticDeploymentRule, FieldIssue, TargetGroup } from "./types";

const a = strings.addDeployment;

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxHeight: "65vh", overflowY: "auto" },
  hint: { color: tokens.colorNeutralForeground3 },
});

type ScheduleForm = Pick<AdrForm, "availableMode" | "availableAfter" | "deadlineMode" | "deadlineAfter">;

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
  const styles = useStyles();
  const initial = useMemo(() => defaultForm(now()), [now]);
  const [targetGroupId, setTargetGroupId] = useState<number | null>(null);
  const [deploy, setDeploy] = useState<DeployForm>(initial.deploy);
  const [schedule, setSchedule] = useState<ScheduleForm>(initial);
  const [targets, setTargets] = useState<TargetGroup[] | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const index = rule.spec.deployments.length;

  useEffect(() => {
    let live = true;
    call("list_target_groups", {}).then(
      (t) => live && setTargets(t),
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const save = async () => {
    // The wizard's page checks, read for this deployment.
    const probe: AdrForm = { ...initial, ...schedule, deploy, targetGroupId, name: rule.spec.name };
    const local = (["general", "deploymentSchedule", "alerts"] as const)
      .flatMap((p) => localIssues(probe, p, now()))
      .map((i) => ({ ...i, field: i.field.replace("deployments[0]", `deployments[${index}]`) }));
    if (local.length) {
      setIssues(local);
      return;
    }
    const spec = { ...rule.spec, deployments: [...rule.spec.deployments, buildDeployment(deploy, schedule, targetGroupId, now())] };
    setBusy(true);
    setFailure(null);
    try {
      const found = await call("validate_adr", spec);
      setIssues(found);
      if (found.length) return;
      onClose(await call("edit_adr", { id: rule.id, spec }));
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const mine = issues.filter((i) => deploymentOfIssue(i) === index);
  const others = issues.filter((i) => deploymentOfIssue(i) !== index);
  const byField = issuesByField(mine);
  const deployProps = {
    form: deploy,
    issues: byField,
    onChange: (patch: Partial<DeployForm>) => {
      setDeploy((d) => ({ ...d, ...patch }));
      setIssues([]);
    },
  };

  return (
    <FormDialog
      title={a.title(rule.spec.name)}
      busy={busy}
      onClose={() => onClose()}
      contentClassName={styles.content}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={() => void save()}>
            {a.add}
          </Button>
          <Button disabled={busy} onClick={() => onClose()}>
            {strings.cancel}
          </Button>
        </>
      }
    >
      <Text className={styles.hint}>{a.intro}</Text>
      {failure && <ErrorBar title={a.failed} message={failure.message} onDismiss={() => setFailure(null)} dismissLabel={strings.dismiss} />}
      {others.map((i) => (
        <ErrorBar key={`${i.field}-${i.message}`} title={i.field} message={i.message} />
      ))}
      <Field label={a.collection} required {...fieldState(byField.targetGroupId)}>
        <TargetTree
          targets={targets}
          value={targetGroupId}
          label={a.collection}
          onChange={(id) => {
            setTargetGroupId(id);
            setIssues([]);
          }}
        />
      </Field>
      <Subtitle2>{a.section.settings}</Subtitle2>
      <DeploymentSettingsPage {...deployProps} />
      <Subtitle2>{a.section.schedule}</Subtitle2>
      <ScheduleFields
        value={schedule}
        issues={byField}
        required={deploy.deploymentType === "Required"}
        onChange={(patch) => {
          setSchedule((s) => ({ ...s, ...patch }));
          setIssues([]);
        }}
      />
      <Subtitle2>{a.section.experience}</Subtitle2>
      <UserExperiencePage {...deployProps} />
      <Subtitle2>{a.section.alerts}</Subtitle2>
      <AlertsPage {...deployProps} />
    </FormDialog>
  );
}
