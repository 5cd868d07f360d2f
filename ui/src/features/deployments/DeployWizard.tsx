// Deploy Software Updates Wizard (DEP-1), and the same pages as a deployment's Properties.
// Next checks the page: the console's own rules first, then the site's validate_deployment,
// whose FieldIssues are shown on the page holding the field (the wizard goes back there if
// it is an earlier one). Summary lists everything; its Next creates (or saves) the
// deployment on the Progress page; Completion shows the result or the site's error.
// Cancel sends nothing that changes the site.
import { useState } from "react";
import { call } from "../../api";
import { WizardFrame, type WizardPage, createOrEditEnd } from "../../components/WizardFrame";
import {
  INPUT_PAGES,
  blockingIssues,
  buildSpec,
  defaultForm,
  formFromDeployment,
  issuesByField,
  localIssues,
  pageOfIssue,
  summaryLines,
  type DeployForm,
  type InputPage,
} from "./model";
import { deploymentPage } from "./pages/deploymentPages";
import { GeneralPage } from "./pages/general";
import { strings } from "./strings";
import type { Deployment } from "./types";
import { useDeployChoices } from "./useDeployChoices";

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

export function DeployWizard({ mode, onClose, now = () => new Date() }: DeployWizardProps) {
  const editing = mode.kind === "edit";
  const [form, setForm] = useState<DeployForm>(() =>
    mode.kind === "edit"
      ? formFromDeployment(mode.deployment)
      : defaultForm({ updateIds: mode.updateIds, updateGroupId: mode.updateGroupId ?? null, now: now() }),
  );
  const { groups, targets, failures } = useDeployChoices();

  const change = (patch: Partial<DeployForm>) => setForm((f) => ({ ...f, ...patch }));
  const group = groups?.find((g) => g.id === form.updateGroupId) ?? null;
  const target = targets?.find((t) => t.id === form.targetGroupId) ?? null;
  const lines = () =>
    summaryLines(form, {
      groupName: group?.name ?? (editing ? mode.deployment.updateGroupName : null),
      groupUpdateCount: group?.memberCount ?? (editing ? mode.deployment.updateCount : null),
      targetPath: target?.path ?? null,
      now: now(),
    });

  const page = (id: InputPage): WizardPage => ({
    ...(id === "general"
      ? {
          id,
          label: w.pages.general,
          heading: w.headings.general,
          render: (issues) => (
            <GeneralPage form={form} issues={issuesByField(issues)} onChange={change} groups={groups} targets={targets} editing={editing} failures={failures} />
          ),
        }
      : deploymentPage(id, { form, onChange: change })),
    // The console's own rules first; then the site, once per press, for this page and those before it.
    validate: async (check) => {
      const local = localIssues(form, id, now());
      if (local.length) return local;
      return blockingIssues(await check.once("site", () => call("validate_deployment", buildSpec(form, now()))), id);
    },
    summary: () => lines().filter((l) => l.page === id),
  });

  return (
    <WizardFrame<Deployment>
      testId="deploy-wizard"
      title={editing ? w.editTitle(mode.deployment.name) : w.title}
      texts={{ ...w.bar, pages: w.pages }}
      pages={INPUT_PAGES.map(page)}
      pageOfIssue={(i) => pageOfIssue(i)}
      value={form}
      summary={{ heading: w.headings.summary }}
      run={() => {
        const spec = buildSpec(form, now());
        return mode.kind === "edit" ? call("edit_deployment", { id: mode.deployment.id, spec }) : call("create_deployment", spec);
      }}
      {...createOrEditEnd(w, editing, (d: Deployment) => d.name)}
      onClose={onClose}
    />
  );
}
