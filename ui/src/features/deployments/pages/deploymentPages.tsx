// The deployment pages, written once: Deployment Settings, Scheduling, User Experience,
// Alerts and Download Settings over a DeployForm. The Deploy Software Updates wizard shows
// them all; the automatic deployment rule's wizard and Add Deployment show them for a rule's
// deployment (with its own schedule, as delays after each run). Each page shows the issues of
// its own fields (the console's checks or the site's) under those fields.
import {
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Text,
} from "@fluentui/react-components";
import type { WizardPage } from "../../../components/WizardFrame";
import { issuesByField, showWallClock, utcToConsoleLocal, type DeployForm } from "../model";
import { strings } from "../strings";
import { fieldState as state, usePageStyles as useStyles, type PageProps } from "./fields";

const w = strings.wizard;


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

const PAGES = {
  deploymentSettings: DeploymentSettingsPage,
  scheduling: SchedulingPage,
  userExperience: UserExperiencePage,
  alerts: AlertsPage,
  downloadSettings: DownloadSettingsPage,
};
export type DeploymentPageId = keyof typeof PAGES;

/** One of the deployment pages as a wizard page over `form` (checks and Summary lines are the wizard's). */
export function deploymentPage(id: DeploymentPageId, props: Omit<PageProps, "issues">): WizardPage {
  const Page = PAGES[id];
  return { id, label: w.pages[id], heading: w.headings[id], render: (issues) => <Page {...props} issues={issuesByField(issues)} /> };
}
