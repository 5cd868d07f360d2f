// The Approve Updates wizard as data: its pages, its state, what each page needs before the
// next one, and the approve_updates arguments Finish sends. Cancel sends nothing, so nothing
// here talks to the site.
import { strings } from "./strings";
import type { ApprovalAction, ApproveArgs, DeadlinePreset, GroupApproval } from "./types";

export const INPUT_PAGES = ["groups", "actions"] as const;
export type InputPage = (typeof INPUT_PAGES)[number];

export const ACTIONS: readonly ApprovalAction[] = ["Required", "DoNotInstall", "Available", "Uninstall"];
export const DEADLINES: readonly DeadlinePreset[] = ["None", "AsSoonAsPossible", "Custom", "OneWeek", "TwoWeeks", "OneMonth"];

export interface GroupChoice {
  action: ApprovalAction;
  deadline: DeadlinePreset;
  /** The Custom deadline as a datetime-local value ("2026-12-01T09:30"), in local time. */
  customLocal: string;
}

export interface WizardState {
  /** Selected groups, in the order they were ticked. */
  groupIds: number[];
  /** One choice per group ever ticked (kept when untick/retick, as a wizard would). */
  choices: Record<number, GroupChoice>;
}

export const defaultChoice: GroupChoice = { action: "Required", deadline: "None", customLocal: "" };

export const initialState: WizardState = { groupIds: [], choices: {} };

/** A deadline means something only for an install or uninstall that is imposed. */
export function deadlineApplies(action: ApprovalAction): boolean {
  return action === "Required" || action === "Uninstall";
}

export function toggleGroup(state: WizardState, groupId: number, checked: boolean): WizardState {
  const has = state.groupIds.includes(groupId);
  if (checked === has) return state;
  const groupIds = checked ? [...state.groupIds, groupId] : state.groupIds.filter((id) => id !== groupId);
  const choices = state.choices[groupId] ? state.choices : { ...state.choices, [groupId]: defaultChoice };
  return { ...state, groupIds, choices };
}

export function setChoice(state: WizardState, groupId: number, patch: Partial<GroupChoice>): WizardState {
  const next = { ...(state.choices[groupId] ?? defaultChoice), ...patch };
  if (!deadlineApplies(next.action)) next.deadline = "None";
  return { ...state, choices: { ...state.choices, [groupId]: next } };
}

export function choiceOf(state: WizardState, groupId: number): GroupChoice {
  return state.choices[groupId] ?? defaultChoice;
}

/** A datetime-local value as RFC 3339 UTC (whole seconds); null when it is not a date. */
export function localInputToUtc(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value); // no zone in the text: the browser reads it as local time
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * When a preset deadline would fall if saved at `now`, in UTC, as the site computes it
 * (a month is a calendar month, clamped to its last day). Null: no deadline (None) or
 * chosen by the administrator (Custom).
 */
export function presetDeadline(preset: DeadlinePreset, now: Date): Date | null {
  const day = 24 * 60 * 60 * 1000;
  switch (preset) {
    case "None":
    case "Custom":
      return null;
    case "AsSoonAsPossible":
      return new Date(now.getTime());
    case "OneWeek":
      return new Date(now.getTime() + 7 * day);
    case "TwoWeeks":
      return new Date(now.getTime() + 14 * day);
    case "OneMonth": {
      const d = new Date(now.getTime());
      const dayOfMonth = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + 1);
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(dayOfMonth, last));
      return d;
    }
  }
}

/** The deadline dropdown's text: presets that fall on a date say which. */
export function deadlineLabel(preset: DeadlinePreset, now: Date, format: (d: Date) => string): string {
  const label = strings.deadlines[preset];
  const when = preset === "AsSoonAsPossible" ? null : presetDeadline(preset, now);
  return when ? strings.deadlineBy(label, format(when)) : label;
}

/** What stops the wizard on `page`; empty when it may go on. */
export function pageProblems(
  state: WizardState,
  page: InputPage,
  now: Date,
  groupName: (id: number) => string,
): string[] {
  const p = strings.wizard.problems;
  if (page === "groups") return state.groupIds.length === 0 ? [p.noGroup] : [];
  if (page === "actions") {
    const out: string[] = [];
    for (const id of state.groupIds) {
      const c = choiceOf(state, id);
      if (!deadlineApplies(c.action) || c.deadline !== "Custom") continue;
      if (c.customLocal.trim() === "") out.push(p.customMissing(groupName(id)));
      else {
        const utc = localInputToUtc(c.customLocal);
        if (utc === null) out.push(p.customInvalid(groupName(id)));
        else if (new Date(utc).getTime() <= now.getTime()) out.push(p.customPast(groupName(id)));
      }
    }
    return out;
  }
  return [];
}

/** Finish: the same approval per group for every selected update. */
export function toApproveArgs(updateIds: readonly string[], state: WizardState): ApproveArgs {
  const approvals: GroupApproval[] = state.groupIds.map((groupId) => {
    const c = choiceOf(state, groupId);
    const deadline = deadlineApplies(c.action) ? c.deadline : "None";
    return {
      groupId,
      action: c.action,
      deadline,
      customDeadlineUtc: deadline === "Custom" ? localInputToUtc(c.customLocal) : null,
    };
  });
  return { updateIds: [...updateIds], approvals };
}

/** Where an effective approval comes from, as the Approvals views say it. */
export function sourceLabel(a: { explicit: boolean; sourceGroupPath: string }): string {
  return a.explicit ? strings.view.explicit : strings.view.inherited(a.sourceGroupPath);
}
