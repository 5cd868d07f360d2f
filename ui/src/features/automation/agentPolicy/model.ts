// The agent policy form as data: its draft (numbers kept as typed, so an out-of-range value
// can be shown and refused rather than silently clamped), the recommended values, the checks
// made before asking the site, and the spec saved.
import { strings } from "./strings";
import type { AgentPolicy, AgentPolicySettings, AgentPolicySpec, PolicySettingInfo } from "./types";

/** POL-1's recommended values; numbers are taken from the site's settings info when it gives them. */
export const RECOMMENDED: AgentPolicySettings = {
  detectionFrequencyHours: 8,
  installBehavior: "AutomaticOnSchedule",
  scheduledDay: "EveryDay",
  scheduledTime: "03:00",
  useAutomaticMaintenance: true,
  allowImmediateInstall: true,
  restartDelayMinutes: 15,
  missedInstallDelayMinutes: 5,
  userControlsRestart: true,
  promptRestartForAgentUpdates: true,
  agentUpdateSchedule: null,
  restartPromptIntervalMinutes: 30,
};

export type SettingField = keyof AgentPolicySettings;
export const BOOLEAN_FIELDS: readonly SettingField[] = [
  "useAutomaticMaintenance",
  "allowImmediateInstall",
  "userControlsRestart",
  "promptRestartForAgentUpdates",
];

export function isSettingField(field: string): field is SettingField {
  return field in RECOMMENDED;
}

export function isNumericField(field: string): boolean {
  return isSettingField(field) && typeof RECOMMENDED[field] === "number";
}

export interface PolicyDraft {
  name: string;
  description: string;
  settings: AgentPolicySettings;
  /** The text of each numeric setting's box. */
  numbers: Record<string, string>;
  groupIds: number[];
}

function numbersOf(settings: AgentPolicySettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) if (typeof v === "number") out[k] = String(v);
  return out;
}

export function recommendedSettings(info: readonly PolicySettingInfo[]): AgentPolicySettings {
  const s: AgentPolicySettings = { ...RECOMMENDED };
  for (const i of info) {
    if (!isNumericField(i.field) || !/^\d+$/.test(i.recommended.trim())) continue;
    (s as Record<string, unknown>)[i.field] = Number(i.recommended.trim());
  }
  return s;
}

export function draftFromPolicy(policy: AgentPolicy | undefined, info: readonly PolicySettingInfo[]): PolicyDraft {
  const settings = policy ? { ...policy.spec.settings } : recommendedSettings(info);
  return {
    name: policy?.spec.name ?? "",
    description: policy?.spec.description ?? "",
    settings,
    numbers: numbersOf(settings),
    groupIds: policy ? [...policy.spec.groupIds] : [],
  };
}

/** Every setting back to its recommended value; name, description and groups stay. */
export function withRecommended(draft: PolicyDraft, info: readonly PolicySettingInfo[]): PolicyDraft {
  const settings = recommendedSettings(info);
  return { ...draft, settings, numbers: numbersOf(settings) };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Problems found without the site, by field ("name" for the name). */
export function localIssues(draft: PolicyDraft, info: readonly PolicySettingInfo[]): Record<string, string> {
  const e = strings.editor;
  const issues: Record<string, string> = {};
  if (draft.name.trim() === "") issues.name = e.nameRequired;
  for (const i of info) {
    if (isNumericField(i.field) && i.min !== null && i.max !== null) {
      const text = (draft.numbers[i.field] ?? "").trim();
      const n = /^-?\d{1,9}$/.test(text) ? Number(text) : NaN;
      if (!(n >= i.min && n <= i.max)) issues[i.field] = e.outOfRange(shortLabel(i.label), i.min, i.max, i.unit);
    }
  }
  if (!TIME.test(draft.settings.scheduledTime)) issues.scheduledTime = e.badTime(labelOf(info, "scheduledTime"));
  const agent = draft.settings.agentUpdateSchedule;
  if (agent && !TIME.test(agent.time)) issues.agentUpdateSchedule = e.badTime(labelOf(info, "agentUpdateSchedule"));
  return issues;
}

/** "Restart delay (minutes)" → "Restart delay": the unit is said after the range. */
function shortLabel(label: string): string {
  return label.replace(/\s*\([^)]*\)\s*$/, "");
}

function labelOf(info: readonly PolicySettingInfo[], field: string): string {
  return shortLabel(info.find((i) => i.field === field)?.label ?? field);
}

/** The spec to send; numbers as typed (call after localIssues found none). */
export function toSpec(draft: PolicyDraft): AgentPolicySpec {
  const settings: AgentPolicySettings = { ...draft.settings };
  for (const [k, v] of Object.entries(draft.numbers)) {
    if (isNumericField(k)) (settings as Record<string, unknown>)[k] = Number(v.trim());
  }
  return { name: draft.name.trim(), description: draft.description.trim(), settings, groupIds: [...draft.groupIds] };
}

/** A setting's value as people read it (the effective policy panel). */
export function displayValue(field: string, settings: AgentPolicySettings, unit: string | null = null): string {
  if (!isSettingField(field)) return "";
  const v = settings[field];
  switch (field) {
    case "installBehavior":
      return strings.installBehaviors[settings.installBehavior];
    case "scheduledDay":
      return strings.days[settings.scheduledDay];
    case "allowImmediateInstall":
      return settings.allowImmediateInstall ? strings.allow : strings.doNotAllow;
    case "agentUpdateSchedule": {
      const a = settings.agentUpdateSchedule;
      return a ? `${strings.days[a.day]} ${a.time}` : strings.editor.notConfigured;
    }
  }
  if (typeof v === "boolean") return v ? strings.yes : strings.no;
  if (typeof v === "number") return unit ? `${v} ${unit}` : String(v);
  return String(v ?? "");
}
