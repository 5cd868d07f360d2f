// The agent policy form (POL-1, POL-2): every setting the site describes, with its label,
// range and recommended value; out-of-range values are refused here and by the site
// (validate_agent_policy) before anything is saved; the groups it is deployed to.
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowResetRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { FormDialog } from "../../../components/FormDialog";
import { GroupChecklist } from "../../groups/GroupChecklist";
import { useTargetGroups } from "../../groups/useTargetGroups";
import { BOOLEAN_FIELDS, draftFromPolicy, isNumericField, localIssues, toSpec, withRecommended, type PolicyDraft } from "./model";
import { strings } from "./strings";
import type { AgentPolicy, AgentPolicySettings, PolicySettingInfo, ScheduledDay } from "./types";

const e = strings.editor;
const DAYS = Object.keys(strings.days) as ScheduledDay[];

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxHeight: "70vh", overflowY: "auto" },
  settings: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  heading: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalM },
  number: { width: "120px" },
  // Wide enough for "03:00 AM" and the picker button in every locale.
  time: { width: "170px" },
  form: { display: "contents" },
  inline: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },

});

export interface PolicyEditorProps {
  policy?: AgentPolicy;
  info: readonly PolicySettingInfo[];
  /** Every policy, to tell which groups already hold one. */
  policies: readonly AgentPolicy[];
  onClose(saved: boolean): void;
}

export function PolicyEditor({ policy, info, policies, onClose }: PolicyEditorProps) {
  const styles = useStyles();
  const groups = useTargetGroups();
  const [draft, setDraft] = useState<PolicyDraft>(() => draftFromPolicy(policy, info));
  const [siteIssues, setSiteIssues] = useState<Record<string, string>>({});
  const [triedSave, setTriedSave] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // Bumped when Save finds a problem: the first field in error is scrolled to and focused,
  // since the form is taller than the dialog and the message may be out of sight.
  const [revealIssue, setRevealIssue] = useState(0);
  const formRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (revealIssue === 0) return;
    const form = formRef.current;
    const field = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>(".fui-Field__validationMessage");
    field?.scrollIntoView?.({ block: "center" });
    field?.focus();
  }, [revealIssue]);

  const local = localIssues(draft, info);
  const heldBy = useMemo(() => {
    const m = new Map<number, string>();
    for (const p of policies) if (p.id !== policy?.id) for (const g of p.spec.groupIds) m.set(g, p.spec.name);
    return m;
  }, [policies, policy]);
  const groupProblems = draft.groupIds
    .filter((id) => heldBy.has(id))
    .map((id) => e.groupTaken(groups.byId(id)?.path ?? `#${id}`, heldBy.get(id) ?? ""));

  // A range error shows as soon as the value is typed; a missing name once Save was tried.
  const issueOf = (field: string) => siteIssues[field] ?? (field === "name" && !triedSave ? undefined : local[field]);
  const edit = (patch: Partial<PolicyDraft>, fields: string[]) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSiteIssues((s) => {
      const next = { ...s };
      for (const f of fields) delete next[f];
      return next;
    });
  };
  const setSetting = <K extends keyof AgentPolicySettings>(field: K, value: AgentPolicySettings[K]) =>
    edit({ settings: { ...draft.settings, [field]: value } }, [field]);

  const save = async () => {
    setTriedSave(true);
    setFailure(null);
    if (Object.keys(local).length > 0 || groupProblems.length > 0) {
      setRevealIssue((n) => n + 1);
      return;
    }
    const spec = toSpec(draft);
    setBusy(true);
    try {
      const issues = await call("validate_agent_policy", spec);
      if (issues.length > 0) {
        setSiteIssues(Object.fromEntries(issues.map((i) => [i.field, i.message])));
        setRevealIssue((n) => n + 1);
        return;
      }
      if (policy) await call("edit_agent_policy", { id: policy.id, spec });
      else await call("create_agent_policy", spec);
      onClose(true);
    } catch (err) {
      setFailure(toApiFailure(err));
    } finally {
      setBusy(false);
    }
  };

  const unplaced = Object.entries(siteIssues).filter(([f]) => f !== "name" && f !== "groupIds" && !info.some((i) => i.field === f));
  const blocking = triedSave && (Object.keys(local).length > 0 || Object.keys(siteIssues).length > 0);

  return (
    <FormDialog
      title={policy ? e.editTitle(policy.spec.name) : e.createTitle}
      busy={busy}
      onClose={() => onClose(false)}
      contentClassName={styles.content}
      actions={
        <>
          {busy && <Spinner size="tiny" label={e.saving} />}
          <Button appearance="primary" disabled={busy} onClick={() => void save()}>
            {e.save}
          </Button>
          <Button disabled={busy} onClick={() => onClose(false)}>
            {e.cancel}
          </Button>
        </>
      }
    >
      <div ref={formRef} className={styles.form}>
        <Field label={e.name} required validationMessage={issueOf("name")}>
          <Input value={draft.name} maxLength={256} onChange={(_, d) => edit({ name: d.value }, ["name"])} />
        </Field>
        <Field label={e.description}>
          <Textarea value={draft.description} resize="vertical" onChange={(_, d) => edit({ description: d.value }, ["description"])} />
        </Field>
        <div className={styles.heading}>
          <Text weight="semibold">{e.settings}</Text>
          <Button icon={<ArrowResetRegular />} onClick={() => edit(withRecommended(draft, info), info.map((i) => i.field))}>
            {e.useRecommended}
          </Button>
        </div>
        <div className={styles.settings} role="group" aria-label={e.settings}>
          {info.map((i) => (
            <SettingControl
              key={i.field}
              info={i}
              draft={draft}
              issue={issueOf(i.field)}
              onNumber={(text) => edit({ numbers: { ...draft.numbers, [i.field]: text } }, [i.field])}
              setSetting={setSetting}
            />
          ))}
        </div>
        <Field label={e.groups} hint={e.groupsHint} validationMessage={siteIssues.groupIds ?? (groupProblems.length > 0 ? groupProblems.join(" ") : undefined)}>
          <GroupChecklist
            groups={groups}
            ariaLabel={e.groups}
            checked={draft.groupIds}
            onCheck={(id, on) => edit({ groupIds: on ? [...draft.groupIds.filter((g) => g !== id), id] : draft.groupIds.filter((g) => g !== id) }, ["groupIds"])}
            aside={(g) => (heldBy.has(g.id) ? e.heldBy(heldBy.get(g.id) ?? "") : null)}
            texts={{ failed: e.groupsFailed, loading: e.loadingGroups, retry: strings.retry }}
            maxHeight="200px"
          />
        </Field>
        {unplaced.length > 0 && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              {unplaced.map(([f, m]) => (
                <div key={f}>{m}</div>
              ))}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      {blocking && <Text role="alert">{e.fixFirst}</Text>}
      {failure && <ErrorBar title={e.failed} message={failure.message} />}
    </FormDialog>
  );
}

function SettingControl(props: {
  info: PolicySettingInfo;
  draft: PolicyDraft;
  issue: string | undefined;
  onNumber(text: string): void;
  setSetting<K extends keyof AgentPolicySettings>(field: K, value: AgentPolicySettings[K]): void;
}) {
  const styles = useStyles();
  const { info: i, draft, issue, onNumber, setSetting } = props;
  const s = draft.settings;
  const range = i.min !== null && i.max !== null ? `${e.range(i.min, i.max, i.unit)} ` : "";
  const hint = `${i.description} ${range}${e.recommended(i.recommended)}`;
  const fieldProps = { label: i.label, hint, validationMessage: issue, validationState: issue ? ("error" as const) : ("none" as const) };

  if (isNumericField(i.field)) {
    return (
      <Field {...fieldProps}>
        <Input
          className={styles.number}
          inputMode="numeric"
          value={draft.numbers[i.field] ?? ""}
          onChange={(_, d) => onNumber(d.value)}
          contentAfter={i.unit ? <Text size={200}>{i.unit}</Text> : undefined}
          data-setting={i.field}
        />
      </Field>
    );
  }
  if ((BOOLEAN_FIELDS as readonly string[]).includes(i.field)) {
    const field = i.field as "useAutomaticMaintenance" | "allowImmediateInstall" | "userControlsRestart" | "promptRestartForAgentUpdates";
    const [on, off] = field === "allowImmediateInstall" ? [strings.allow, strings.doNotAllow] : [strings.yes, strings.no];
    return (
      <Field {...fieldProps}>
        <Select value={s[field] ? "on" : "off"} onChange={(_, d) => setSetting(field, d.value === "on")} data-setting={i.field}>
          <option value="on">{on}</option>
          <option value="off">{off}</option>
        </Select>
      </Field>
    );
  }
  switch (i.field) {
    case "installBehavior":
      return (
        <Field {...fieldProps}>
          <Select value={s.installBehavior} onChange={(_, d) => setSetting("installBehavior", d.value as typeof s.installBehavior)} data-setting={i.field}>
            {Object.entries(strings.installBehaviors).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </Select>
        </Field>
      );
    case "scheduledDay":
      return (
        <Field {...fieldProps}>
          <Select value={s.scheduledDay} onChange={(_, d) => setSetting("scheduledDay", d.value as ScheduledDay)} data-setting={i.field}>
            {DAYS.map((day) => (
              <option key={day} value={day}>
                {strings.days[day]}
              </option>
            ))}
          </Select>
        </Field>
      );
    case "scheduledTime":
      return (
        <Field {...fieldProps}>
          <Input className={styles.time} type="time" value={s.scheduledTime} onChange={(_, d) => setSetting("scheduledTime", d.value)} data-setting={i.field} />
        </Field>
      );
    case "agentUpdateSchedule": {
      const a = s.agentUpdateSchedule;
      return (
        <Field {...fieldProps}>
          <div className={styles.inline}>
            <Checkbox
              label={e.agentSchedule}
              checked={a !== null}
              onChange={(_, d) => setSetting("agentUpdateSchedule", d.checked === true ? { day: "EveryDay", time: "03:00" } : null)}
            />
            {a && (
              <>
                <Select aria-label={e.agentDay} value={a.day} onChange={(_, d) => setSetting("agentUpdateSchedule", { ...a, day: d.value as ScheduledDay })}>
                  {DAYS.map((day) => (
                    <option key={day} value={day}>
                      {strings.days[day]}
                    </option>
                  ))}
                </Select>
                <Input className={styles.time} aria-label={e.agentTime} type="time" value={a.time} onChange={(_, d) => setSetting("agentUpdateSchedule", { ...a, time: d.value })} />
              </>
            )}
          </div>
        </Field>
      );
    }
    default:
      // A setting this console does not know yet: shown, not editable.
      return (
        <Field {...fieldProps}>
          <Text>{i.recommended}</Text>
        </Field>
      );
  }
}
