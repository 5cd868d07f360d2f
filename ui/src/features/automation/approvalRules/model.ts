// The auto-approval rule wizard as data: its pages, its state, what each page needs before
// the next, and the spec Finish sends. Nothing here talks to the site, so Cancel cannot.
import { strings } from "./strings";
import type { ApprovalRule, ApprovalRuleSpec } from "./types";

export const INPUT_PAGES = ["general", "products", "classifications", "deployment"] as const;
export type InputPage = (typeof INPUT_PAGES)[number];

/** The installation deadline list, in days after the approval (0: as soon as possible). */
export const DEADLINE_DAYS: readonly number[] = [0, 1, 2, 3, 7, 14, 21, 30, 60, 90];

export interface RuleWizardState {
  name: string;
  description: string;
  productIds: string[];
  classificationIds: string[];
  /** In the order they were added. */
  groupIds: number[];
  enforceDeadline: boolean;
  deadlineDays: number;
}

export const initialState: RuleWizardState = {
  name: "",
  description: "",
  productIds: [],
  classificationIds: [],
  groupIds: [],
  enforceDeadline: false,
  deadlineDays: 7,
};

export function stateFromRule(rule: ApprovalRule): RuleWizardState {
  const s = rule.spec;
  return {
    name: s.name,
    description: s.description,
    productIds: [...s.productIds],
    classificationIds: [...s.classificationIds],
    groupIds: [...s.groupIds],
    enforceDeadline: s.deadlineDays !== null,
    deadlineDays: s.deadlineDays ?? 7,
  };
}

export function toSpec(state: RuleWizardState): ApprovalRuleSpec {
  return {
    name: state.name.trim(),
    description: state.description.trim(),
    productIds: [...state.productIds],
    classificationIds: [...state.classificationIds],
    groupIds: [...state.groupIds],
    deadlineDays: state.enforceDeadline ? state.deadlineDays : null,
  };
}

/** What stops the wizard from leaving `page` (Next) — empty when it may. */
export function pageProblems(state: RuleWizardState, page: InputPage): string[] {
  const p = strings.wizard.problems;
  switch (page) {
    case "general":
      return state.name.trim() === "" ? [p.name] : [];
    case "classifications":
      return state.productIds.length === 0 && state.classificationIds.length === 0 ? [p.criteria] : [];
    case "deployment":
      return state.groupIds.length === 0 ? [p.groups] : [];
    case "products":
      return [];
  }
}
