// The input pages of the Deploy Software Updates wizard. Each page shows the issues of its own
// fields (from the console's checks or the site's validate_deployment) under those fields.
import type { ReactNode } from "react";
import {
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Text,
  Textarea,
  makeStyles,
  shorthands,
  tokens,
} from "@fluentui/react-components";
import { PropertyList } from "../../components/PropertyList";
import { groupDepths, showWallClock, treeOrder, utcToConsoleLocal, type DeployForm, type SummaryLine } from "./model";
import { strings } from "./strings";
import type { TargetGroup, UpdateGroupInfo } from "./types";

const w = strings.wizard;

export interface PageProps {
  form: DeployForm;
  issues: Record<string, string>;
  onChange(patch: Partial<DeployForm>): void;
}

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  indent: { paddingLeft: tokens.spacingHorizontalXXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  tree: {
    maxHeight: "220px",
    overflowY: "auto",
    ...shorthands.border(tokens.strokeWidthThin, "solid", tokens.colorNeutralStroke1),
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalXS,
  },
  hint: { color: tokens.colorNeutralForeground3 },
  row: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "flex-end", flexWrap: "wrap" },
});

const state = (message: string | undefined) => (message ? { validationState: "error" as const, validationMessage: message } : {});

export function GeneralPage({
  form,
  issues,
  onChange,
  groups,
  targets,
  editing,
  failures,
}: PageProps & { groups: readonly UpdateGroupInfo[] | null; targets: readonly TargetGroup[] | null; editing: boolean; failures: ReactNode }) {
  const styles = useStyles();
  const fromSelection = form.updateIds.length > 0 && !editing;
  const ordered = targets ? treeOrder(targets) : [];
  const depths = targets ? groupDepths(targets) : new Map<number, number>();
  const group = groups?.find((g) => g.id === form.updateGroupId);
  return (
    <>
      {failures}
      <Field label={w.general.name} required {...state(issues.name)}>
        <Input value={form.name} onChange={(_, d) => onChange({ name: d.value })} />
      </Field>
      <Field label={w.general.description} {...state(issues.description)}>
        <Textarea value={form.description} resize="vertical" onChange={(_, d) => onChange({ description: d.value })} />
      </Field>
      <Field label={w.general.source} {...state(issues.updateGroupId ?? issues.updateIds)}>
        {fromSelection ? (
          <RadioGroup value={form.source} onChange={(_, d) => onChange({ source: d.value as DeployForm["source"] })}>
            <Radio value="updates" label={w.general.selectedUpdates(form.updateIds.length)} />
            <Radio value="group" label={w.general.updateGroup} />
          </RadioGroup>
        ) : editing ? (
          <Text className={styles.hint}>{w.general.groupFixed}</Text>
        ) : null}
      </Field>
      {form.source === "group" && (
        <div className={fromSelection ? styles.indent : styles.section}>
          <Field label={w.general.updateGroupPicker} hint={groups && groups.length === 0 ? w.general.noGroups : undefined}>
            <Dropdown
              placeholder={w.general.chooseGroup}
              disabled={editing || !groups}
              value={group ? group.name : ""}
              selectedOptions={form.updateGroupId !== null ? [String(form.updateGroupId)] : []}
              onOptionSelect={(_, d) => onChange({ updateGroupId: d.optionValue ? Number(d.optionValue) : null })}
            >
              {(groups ?? []).map((g) => (
                <Option key={g.id} value={String(g.id)} text={g.name}>
                  {`${g.name} (${g.memberCount})`}
                </Option>
              ))}
            </Dropdown>
          </Field>
        </div>
      )}
      <Field label={w.general.collection} hint={w.general.collectionHint} required {...state(issues.targetGroupId)}>
        <div className={styles.tree}>
          {!targets ? (
            <Text className={styles.hint}>{strings.loading}</Text>
          ) : (
            <RadioGroup
              aria-label={w.general.collection}
              value={form.targetGroupId !== null ? String(form.targetGroupId) : ""}
              onChange={(_, d) => onChange({ targetGroupId: Number(d.value) })}
            >
              {ordered.map((t) => (
                <Radio
                  key={t.id}
                  value={String(t.id)}
                  label={t.name}
                  style={{ paddingLeft: `${(depths.get(t.id) ?? 0) * 20}px` }}
                  title={t.path}
                />
              ))}
            </RadioGroup>
          )}
        </div>
      </Field>
    </>
  );
}

export function DeploymentSettingsPage({ form, issues, onChange }: PageProps) {
  const s = w.settings;
  return (
    <>
      <Field label={s.type} {...state(issues.deploymentType)}>
        <Dropdown
          value={s[form.deploymentType]}
          selectedOptions={[form.deploymentType]}
          onOptionSelect={(_, d) => d.optionValue && onChange({ deploymentType: d.optionValue as DeployForm["deploymentType"] })}
        >
          <Option value="Required">{s.Required}</Option>
          <Option value="Available">{s.Available}</Option>
        </Dropdown>
      </Field>
      <Checkbox
        checked={form.wakeOnLan}
        disabled={form.deploymentType !== "Required"}
        label={s.wakeOnLan}
        onChange={(_, d) => onChange({ wakeOnLan: d.checked === true })}
      />
      <Field label={s.verbosity} {...state(issues.verbosity)}>
        <Dropdown
          value={s[form.verbosity]}
          selectedOptions={[form.verbosity]}
          onOptionSelect={(_, d) => d.optionValue && onChange({ verbosity: d.optionValue as DeployForm["verbosity"] })}
        >
          <Option value="AllMessages">{s.AllMessages}</Option>
          <Option value="SuccessAndErrors">{s.SuccessAndErrors}</Option>
          <Option value="OnlyErrors">{s.OnlyErrors}</Option>
        </Dropdown>
      </Field>
    </>
  );
}

function TimeChoice(props: {
  label: string;
  asap: boolean;
  value: string;
  basis: DeployForm["timeBasis"];
  issue: string | undefined;
  disabled?: boolean;
  onChange(asap: boolean, value: string): void;
}) {
  const styles = useStyles();
  const hint = props.basis === "Utc" ? (utcToConsoleLocal(props.value) ? w.scheduling.utcHint(showWallClock(utcToConsoleLocal(props.value))) : undefined) : w.scheduling.localHint;
  return (
    <Field label={props.label} {...state(props.issue)}>
      <RadioGroup
        aria-label={props.label}
        disabled={props.disabled}
        value={props.asap ? "asap" : "specific"}
        onChange={(_, d) => props.onChange(d.value === "asap", props.value)}
      >
        <Radio value="asap" label={w.scheduling.asap} />
        <Radio value="specific" label={w.scheduling.specific} />
      </RadioGroup>
      {!props.asap && !props.disabled && (
        <div className={styles.indent}>
          <Field label={w.scheduling.dateTime(props.label)} hint={hint}>
            <Input type="datetime-local" value={props.value} onChange={(_, d) => props.onChange(false, d.value)} />
          </Field>
        </div>
      )}
    </Field>
  );
}

export function SchedulingPage({ form, issues, onChange }: PageProps) {
  const styles = useStyles();
  const s = w.scheduling;
  const required = form.deploymentType === "Required";
  return (
    <>
      <Field label={s.timeBasis} {...state(issues.timeBasis)}>
        <Dropdown
          value={s[form.timeBasis]}
          selectedOptions={[form.timeBasis]}
          onOptionSelect={(_, d) => d.optionValue && onChange({ timeBasis: d.optionValue as DeployForm["timeBasis"] })}
        >
          <Option value="Utc">{s.Utc}</Option>
          <Option value="ClientLocal">{s.ClientLocal}</Option>
        </Dropdown>
      </Field>
      <TimeChoice
        label={s.available}
        asap={form.availableAsap}
        value={form.available}
        basis={form.timeBasis}
        issue={issues.availableUtc}
        onChange={(asap, value) => onChange({ availableAsap: asap, available: value })}
      />
      <TimeChoice
        label={s.deadline}
        asap={form.deadlineAsap}
        value={form.deadline}
        basis={form.timeBasis}
        issue={issues.deadlineUtc}
        disabled={!required}
        onChange={(asap, value) => onChange({ deadlineAsap: asap, deadline: value })}
      />
      {!required && <Text className={styles.hint}>{s.deadlineRequiredOnly}</Text>}
    </>
  );
}

export function UserExperiencePage({ form, issues, onChange }: PageProps) {
  const styles = useStyles();
  const e = w.experience;
  return (
    <>
      <Field label={e.notifications} {...state(issues.userNotifications)}>
        <Dropdown
          value={e[form.userNotifications]}
          selectedOptions={[form.userNotifications]}
          onOptionSelect={(_, d) => d.optionValue && onChange({ userNotifications: d.optionValue as DeployForm["userNotifications"] })}
        >
          <Option value="DisplayAll">{e.DisplayAll}</Option>
          <Option value="DisplayRestartsOnly">{e.DisplayRestartsOnly}</Option>
          <Option value="HideAll">{e.HideAll}</Option>
        </Dropdown>
      </Field>
      <div className={styles.section}>
        <Text weight="semibold">{e.deadlineBehavior}</Text>
        <div className={styles.indent}>
          <Checkbox
            checked={form.installOutsideMaintenanceWindow}
            label={e.install}
            onChange={(_, d) => onChange({ installOutsideMaintenanceWindow: d.checked === true })}
          />
          <Checkbox
            checked={form.restartOutsideMaintenanceWindow}
            label={e.restart}
            onChange={(_, d) => onChange({ restartOutsideMaintenanceWindow: d.checked === true })}
          />
        </div>
      </div>
      <div className={styles.section}>
        <Text weight="semibold">{e.suppress}</Text>
        <div className={styles.indent}>
          <Checkbox checked={form.suppressRestartServers} label={e.servers} onChange={(_, d) => onChange({ suppressRestartServers: d.checked === true })} />
          <Checkbox
            checked={form.suppressRestartWorkstations}
            label={e.workstations}
            onChange={(_, d) => onChange({ suppressRestartWorkstations: d.checked === true })}
          />
        </div>
      </div>
    </>
  );
}

export function AlertsPage({ form, issues, onChange }: PageProps) {
  const styles = useStyles();
  const a = w.alerts;
  return (
    <>
      <Checkbox checked={form.alertEnabled} label={a.enable} onChange={(_, d) => onChange({ alertEnabled: d.checked === true })} />
      <div className={styles.indent}>
        <Field label={a.percent} {...state(issues.alertBelowPercent)}>
          <Input
            type="number"
            min={1}
            max={99}
            disabled={!form.alertEnabled}
            value={form.alertBelowPercent}
            onChange={(_, d) => onChange({ alertBelowPercent: d.value })}
          />
        </Field>
        <Field label={a.days} {...state(issues.alertDaysAfterDeadline)}>
          <Input
            type="number"
            min={0}
            disabled={!form.alertEnabled}
            value={form.alertDaysAfterDeadline}
            onChange={(_, d) => onChange({ alertDaysAfterDeadline: d.value })}
          />
        </Field>
      </div>
    </>
  );
}

export function DownloadSettingsPage({ form, issues, onChange }: PageProps) {
  const d = w.download;
  return (
    <>
      <Field label={d.slowNetwork} {...state(issues.slowNetwork)}>
        <RadioGroup value={form.slowNetwork} onChange={(_, v) => onChange({ slowNetwork: v.value as DeployForm["slowNetwork"] })}>
          <Radio value="DoNotInstall" label={d.DoNotInstall} />
          <Radio value="DownloadAndInstall" label={d.DownloadAndInstall} />
        </RadioGroup>
      </Field>
      <Field {...state(issues.fallbackToMicrosoftUpdate)}>
        <Checkbox checked={form.fallbackToMicrosoftUpdate} label={d.fallback} onChange={(_, v) => onChange({ fallbackToMicrosoftUpdate: v.checked === true })} />
      </Field>
      <Field {...state(issues.allowMeteredDownload)}>
        <Checkbox checked={form.allowMeteredDownload} label={d.metered} onChange={(_, v) => onChange({ allowMeteredDownload: v.checked === true })} />
      </Field>
    </>
  );
}

export function SummaryPage({ lines }: { lines: readonly SummaryLine[] }) {
  return <PropertyList ariaLabel={w.pages.summary} items={lines.map((l) => ({ label: l.label, value: l.value }))} />;
}
