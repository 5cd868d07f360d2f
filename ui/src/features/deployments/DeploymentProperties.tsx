// A deployment's Properties (DEP-1): the Deploy wizard's input pages as tabs, each editable.
// OK saves and closes, Apply saves and stays, Cancel closes and saves nothing. Before a save
// the console's own checks, then the site's validate_deployment, are asked for every tab; the
// dialog opens the tab holding the first problem, with the problem on its field.
import { useMemo, useRef, useState } from "react";
import { Button, Spinner } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { DeniedNote, useDenied } from "../../components/DeniedNote";
import { ErrorBar } from "../../components/ErrorBar";
import { TabbedDialog, type DialogTab } from "../../components/TabbedDialog";
import { INPUT_PAGES, buildSpec, formFromDeployment, issuesByField, localIssues, pageOfIssue, type DeployForm, type InputPage } from "./model";
import { deploymentPage } from "./pages/deploymentPages";
import { GeneralPage } from "./pages/general";
import { strings } from "./strings";
import type { Deployment, FieldIssue } from "./types";
import { useDeployChoices } from "./useDeployChoices";

const p = strings.properties;
const TABS: DialogTab<InputPage>[] = INPUT_PAGES.map((id) => ({ id, label: strings.wizard.pages[id] }));

export interface DeploymentPropertiesProps {
  deployment: Deployment;
  /** With the deployment as last saved (OK or Apply); undefined when nothing was saved. */
  onClose(saved?: Deployment): void;
  /** The clock for "as soon as possible" (tests pass a fixed one). */
  now?: () => Date;
}

export function DeploymentProperties({ deployment, onClose, now = () => new Date() }: DeploymentPropertiesProps) {
  const [stored, setStored] = useState(deployment);
  // What the last OK or Apply stored, told to the caller on close.
  const saved = useRef<Deployment | undefined>(undefined);
  const [form, setForm] = useState<DeployForm>(() => formFromDeployment(deployment));
  const [tab, setTab] = useState<InputPage>("general");
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saving, setSaving] = useState(false);
  const denied = useDenied("edit_deployment");
  const { groups, targets, failures } = useDeployChoices();
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(formFromDeployment(stored)), [form, stored]);

  const change = (patch: Partial<DeployForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    // A changed field's issue is stale; the rest stay until the next save checks them.
    setIssues((list) => list.filter((i) => !Object.keys(patch).some((k) => i.field === k || i.field.startsWith(`${k}.`) || i.field.endsWith(`.${k}`))));
  };

  const refuse = (found: FieldIssue[]) => {
    setIssues(found);
    setTab(pageOfIssue(found[0]));
    return false;
  };

  /** Saves the form; true when the site accepted it (or nothing changed). */
  const save = async (): Promise<boolean> => {
    if (!dirty) return true;
    setFailure(null);
    const clock = now();
    const local = INPUT_PAGES.flatMap((page) => localIssues(form, page, clock));
    if (local.length) return refuse(local);
    setSaving(true);
    try {
      const spec = buildSpec(form, clock);
      const site = await call("validate_deployment", spec);
      if (site.length) return refuse(site);
      const result = await call("edit_deployment", { id: stored.id, spec });
      setStored(result);
      saved.current = result;
      setForm(formFromDeployment(result));
      setIssues([]);
      return true;
    } catch (e) {
      setFailure(toApiFailure(e));
      return false;
    } finally {
      setSaving(false);
    }
  };

  const close = () => !saving && onClose(saved.current);
  const tabIssues = issues.filter((i) => pageOfIssue(i) === tab);

  return (
    <TabbedDialog<InputPage>
      title={p.title(stored.name)}
      tabs={TABS}
      tab={tab}
      onTabChange={setTab}
      onClose={() => close()}
      actions={
        <>
          {saving && <Spinner size="tiny" label={p.saving} />}
          <DeniedNote reason={denied} />
          <Button appearance="primary" disabled={saving || !!denied} onClick={() => void save().then((ok) => ok && onClose(saved.current))}>
            {p.ok}
          </Button>
          <Button disabled={saving} onClick={() => close()}>
            {p.cancel}
          </Button>
          <Button disabled={!dirty || saving || !!denied} onClick={() => void save()}>
            {p.apply}
          </Button>
        </>
      }
    >
      {failure && <ErrorBar title={p.saveFailed} message={failure.message} onDismiss={() => setFailure(null)} dismissLabel={strings.dismiss} />}
      {tabIssues.length > 0 && <ErrorBar title={p.saveFailed} message={p.fixErrors} />}
      {tab === "general" ? (
        <GeneralPage form={form} issues={issuesByField(tabIssues)} onChange={change} groups={groups} targets={targets} editing failures={failures} />
      ) : (
        deploymentPage(tab, { form, onChange: change }).render(tabIssues)
      )}
    </TabbedDialog>
  );
}
