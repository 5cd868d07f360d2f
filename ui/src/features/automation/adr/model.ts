// The Create Automatic Deployment Rule wizard as data: its pages, the form behind them, the
// checks each page makes before Next, the AdrSpec sent to the site, which page holds a field
// the site names, the next evaluation time, and the texts of a rule's criteria and schedules.
// Pure functions, so the rules are tested without a browser.
//
// The first deployment's settings are held as the Deploy wizard's own form (DeployForm), so
// its Deployment Settings, User Experience, Alerts and slow-network pages are reused as they
// are; its absolute times are meaningless here (a rule's times are spans after each run).
import { formatDate } from "../../../components/format";
import {
  buildSpec as buildDeploymentSpec,
  defaultForm as defaultDeployForm,
  issuesByKey,
  localIssues as deployLocalIssues,
  PAGE_OF_FIELD,
  type InputPage as DeployPage,
  settingsFields,
  type DeployForm,
} from "../../deployments/model";
import { strings as deployStrings } from "../../deployments/strings";
import { strings } from "./strings";
import type {
  AdrDeploymentSpec,
  AdrGroupMode,
  AdrSpec,
  AutomaticDeploymentRule,
  CategoryInfo,
  EvaluationKind,
  EvaluationSchedule,
  FieldIssue,
  RuleCriteria,
  SpanUnit,
  TimeSpan,
} from "./types";

const w = strings.wizard;
const v = strings.summaryValues;

export const INPUT_PAGES = [
  "general",
  "deploymentSettings",
  "softwareUpdates",
  "evaluation",
  "deploymentSchedule",
  "userExperience",
  "alerts",
  "package",
  "download",
] as const;
export type InputPage = (typeof INPUT_PAGES)[number];

export const SPAN_UNITS: readonly SpanUnit[] = ["Hours", "Days", "Weeks", "Months"];

/** A span as typed: the amount stays text until it is checked. */
export interface SpanField {
  value: string;
  unit: SpanUnit;
}

export interface CriteriaForm {
  classificationIds: string[];
  productIds: string[];
  severities: string[];
  titleContains: string;
  releasedOn: boolean;
  released: SpanField;
  revisedOn: boolean;
  revised: SpanField;
  superseded: "any" | "no" | "yes";
  includeExpired: boolean;
  minRequired: string;
  languages: string;
}

export interface AdrForm {
  name: string;
  description: string;
  targetGroupId: number | null;
  groupMode: AdrGroupMode;
  existingUpdateGroupId: number | null;
  enableAfterCreate: boolean;
  /** The first deployment's settings, in the Deploy wizard's form. */
  deploy: DeployForm;
  availableMode: "asap" | "after";
  availableAfter: SpanField;
  deadlineMode: "none" | "after";
  deadlineAfter: SpanField;
  criteria: CriteriaForm;
  evaluationKind: EvaluationKind;
  timeUtc: string;
  dayOfWeek: number;
  daysAfterPatchTuesday: string;
  packageKind: "NoPackage" | "Existing" | "New";
  packageId: number | null;
  packageName: string;
  sourceKind: "Upstream" | "MicrosoftUpdate" | "LocalFolder";
  sourcePath: string;
  languages: string;
  distributionPointIds: number[];
  /** Deployments added after the first one (ADR-3): kept as they are by the wizard. */
  otherDeployments: AdrDeploymentSpec[];
}

export function defaultCriteria(): CriteriaForm {
  return {
    classificationIds: [],
    productIds: [],
    severities: [],
    titleContains: "",
    releasedOn: false,
    released: { value: "1", unit: "Months" },
    revisedOn: false,
    revised: { value: "1", unit: "Months" },
    superseded: "no",
    includeExpired: false,
    minRequired: "",
    languages: "",
  };
}

export function defaultForm(now: Date): AdrForm {
  return {
    name: "",
    description: "",
    targetGroupId: null,
    groupMode: "NewGroupEachRun",
    existingUpdateGroupId: null,
    enableAfterCreate: true,
    deploy: defaultDeployForm({ now }),
    availableMode: "asap",
    availableAfter: { value: "0", unit: "Hours" },
    deadlineMode: "after",
    deadlineAfter: { value: "7", unit: "Days" },
    criteria: defaultCriteria(),
    evaluationKind: "AfterSync",
    timeUtc: "02:00",
    dayOfWeek: 3,
    daysAfterPatchTuesday: "1",
    packageKind: "NoPackage",
    packageId: null,
    packageName: "",
    sourceKind: "Upstream",
    sourcePath: "",
    languages: "",
    distributionPointIds: [],
    otherDeployments: [],
  };
}

const spanField = (s: TimeSpan | null | undefined, fallback: SpanField): SpanField => (s ? { value: String(s.value), unit: s.unit } : fallback);

/** The Deploy wizard's form holding a deployment's settings (only the fields a rule uses). */
export function deployFormOf(spec: AdrDeploymentSpec, now: Date): DeployForm {
  return { ...defaultDeployForm({ now }), ...settingsFields(spec.settings), targetGroupId: spec.targetGroupId };
}

/** The wizard's form for an existing rule (Properties). */
export function formFromRule(rule: AutomaticDeploymentRule, now: Date): AdrForm {
  const spec = rule.spec;
  const base = defaultForm(now);
  const [first, ...others] = spec.deployments;
  const c = spec.criteria;
  const source = spec.downloadSource;
  return {
    ...base,
    name: spec.name,
    description: spec.description,
    targetGroupId: first ? first.targetGroupId : null,
    groupMode: spec.groupMode,
    existingUpdateGroupId: spec.existingUpdateGroupId,
    enableAfterCreate: rule.enabled,
    deploy: first ? deployFormOf(first, now) : base.deploy,
    availableMode: first?.availableAfter ? "after" : "asap",
    availableAfter: spanField(first?.availableAfter, base.availableAfter),
    deadlineMode: first?.deadlineAfter ? "after" : "none",
    deadlineAfter: spanField(first?.deadlineAfter, base.deadlineAfter),
    criteria: {
      classificationIds: [...c.classificationIds],
      productIds: [...c.productIds],
      severities: [...c.severities],
      titleContains: c.titleContains ?? "",
      releasedOn: c.releasedWithin !== null,
      released: spanField(c.releasedWithin, base.criteria.released),
      revisedOn: c.revisedWithin !== null,
      revised: spanField(c.revisedWithin, base.criteria.revised),
      superseded: c.superseded === null ? "any" : c.superseded ? "yes" : "no",
      includeExpired: c.includeExpired,
      minRequired: c.minRequired === null ? "" : String(c.minRequired),
      languages: c.languages.join(", "),
    },
    evaluationKind: spec.evaluation.kind,
    timeUtc: spec.evaluation.timeUtc || base.timeUtc,
    dayOfWeek: spec.evaluation.dayOfWeek,
    daysAfterPatchTuesday: String(spec.evaluation.daysAfterPatchTuesday),
    packageKind: spec.package.kind,
    packageId: spec.package.kind === "Existing" ? spec.package.packageId : null,
    packageName: spec.package.kind === "New" ? spec.package.name : "",
    sourceKind: source.kind,
    sourcePath: source.kind === "LocalFolder" ? source.path : "",
    languages: spec.languages.join(", "),
    distributionPointIds: [...spec.distributionPointIds],
    otherDeployments: others,
  };
}

const WHOLE = /^\s*\d+\s*$/;
const intOrNaN = (text: string) => (WHOLE.test(text) ? Number.parseInt(text, 10) : Number.NaN);
const toSpan = (s: SpanField): TimeSpan => ({ value: intOrNaN(s.value), unit: s.unit });
const list = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function buildCriteria(c: CriteriaForm): RuleCriteria {
  return {
    classificationIds: [...c.classificationIds],
    productIds: [...c.productIds],
    severities: [...c.severities],
    titleContains: c.titleContains.trim() || null,
    releasedWithin: c.releasedOn ? toSpan(c.released) : null,
    revisedWithin: c.revisedOn ? toSpan(c.revised) : null,
    superseded: c.superseded === "any" ? null : c.superseded === "yes",
    includeExpired: c.includeExpired,
    minRequired: c.minRequired.trim() ? intOrNaN(c.minRequired) : null,
    languages: list(c.languages),
  };
}

export function buildEvaluation(form: AdrForm): EvaluationSchedule {
  return {
    kind: form.evaluationKind,
    timeUtc: form.timeUtc.trim(),
    dayOfWeek: form.dayOfWeek,
    daysAfterPatchTuesday: intOrNaN(form.daysAfterPatchTuesday),
  };
}

/** The form's first deployment as the wire's AdrDeploymentSpec. */
export function buildDeployment(deploy: DeployForm, f: Pick<AdrForm, "availableMode" | "availableAfter" | "deadlineMode" | "deadlineAfter">, targetGroupId: number | null, now: Date): AdrDeploymentSpec {
  // The deadline times are computed by each run; send "as soon as possible" ones so the
  // settings read as the Deploy wizard's.
  const settings = buildDeploymentSpec({ ...deploy, availableAsap: true, deadlineAsap: true }, now).settings;
  return {
    // 0 never names a group: the site answers with the field's issue.
    targetGroupId: targetGroupId ?? 0,
    availableAfter: f.availableMode === "after" ? toSpan(f.availableAfter) : null,
    deadlineAfter: f.deadlineMode === "after" ? toSpan(f.deadlineAfter) : null,
    settings,
  };
}

export function buildSpec(form: AdrForm, now: Date): AdrSpec {
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    groupMode: form.groupMode,
    existingUpdateGroupId: form.groupMode === "AddToExistingGroup" ? form.existingUpdateGroupId : null,
    criteria: buildCriteria(form.criteria),
    evaluation: buildEvaluation(form),
    deployments: [buildDeployment(form.deploy, form, form.targetGroupId, now), ...form.otherDeployments],
    package:
      form.packageKind === "Existing"
        ? { kind: "Existing", packageId: form.packageId ?? 0 }
        : form.packageKind === "New"
          ? { kind: "New", name: form.packageName.trim() }
          : { kind: "NoPackage" },
    downloadSource: form.sourceKind === "LocalFolder" ? { kind: "LocalFolder", path: form.sourcePath.trim() } : { kind: form.sourceKind },
    languages: list(form.languages),
    distributionPointIds: [...form.distributionPointIds],
  };
}

// ---- Which page holds a field the site names ----

/** The rule wizard's page of a deployment setting: the Deploy wizard's page, or this wizard's own for the times and downloads. */
const DEPLOY_PAGE: Record<DeployPage, InputPage> = {
  general: "general",
  deploymentSettings: "deploymentSettings",
  scheduling: "deploymentSchedule",
  userExperience: "userExperience",
  alerts: "alerts",
  downloadSettings: "download",
};
const settingsPage = (field: string): InputPage | undefined => (PAGE_OF_FIELD[field] ? DEPLOY_PAGE[PAGE_OF_FIELD[field]] : undefined);

const DEPLOYMENT = /^deployments\[(\d+)\](?:\.(.*))?$/;

/** Which deployment an issue is about (0 = the wizard's own), or null for the rule's fields. */
export function deploymentOfIssue(issue: FieldIssue): number | null {
  const m = DEPLOYMENT.exec(issue.field);
  return m ? Number(m[1]) : null;
}

/** The page holding an issue's field; unknown fields, and other deployments', belong to General. */
export function pageOfIssue(issue: FieldIssue): InputPage {
  const f = issue.field;
  const m = DEPLOYMENT.exec(f);
  if (m) {
    if (m[1] !== "0") return "general";
    const rest = m[2] ?? "";
    if (rest.startsWith("availableAfter") || rest.startsWith("deadlineAfter")) return "deploymentSchedule";
    if (rest.startsWith("settings.")) return settingsPage(rest.slice("settings.".length)) ?? "deploymentSettings";
    return "general";
  }
  if (f.startsWith("criteria")) return "softwareUpdates";
  if (f.startsWith("evaluation")) return "evaluation";
  if (f.startsWith("package")) return "package";
  if (f.startsWith("downloadSource") || f === "languages" || f.startsWith("languages[") || f.startsWith("distributionPointIds")) return "download";
  return "general";
}

/**
 * The key a page's Field looks an issue up by: the last name of the path ("criteria.releasedWithin"
 * → "releasedWithin", "deployments[0].settings.verbosity" → "verbosity"), with the package and
 * download source collapsed to one key each, and list indexes dropped.
 */
export function fieldKey(issue: FieldIssue): string {
  const f = issue.field;
  if (f.startsWith("package")) return "package";
  if (f.startsWith("downloadSource")) return "downloadSource";
  const m = DEPLOYMENT.exec(f);
  const path = m ? (m[2] ?? "deployments") : f;
  const parts = path.replace(/\[\d+\]/g, "").split(".");
  return parts[parts.length - 1] || f;
}

/** Issues by field key, for the Field components of a page. */
export function issuesByField(issues: readonly FieldIssue[]): Record<string, string> {
  return issuesByKey(issues, fieldKey);
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isTimeOfDay(text: string): boolean {
  return TIME.test(text.trim());
}

/** The checks the console makes itself, for one page, before asking the site. */
export function localIssues(form: AdrForm, page: InputPage, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const whole = (text: string) => WHOLE.test(text);
  switch (page) {
    case "general":
      if (!form.name.trim()) add("name", w.issues.nameRequired);
      if (form.targetGroupId === null) add("deployments[0].targetGroupId", w.issues.targetRequired);
      break;
    case "softwareUpdates": {
      const c = form.criteria;
      if (c.releasedOn && !(intOrNaN(c.released.value) >= 1)) add("criteria.releasedWithin", w.issues.positiveNumber);
      if (c.revisedOn && !(intOrNaN(c.revised.value) >= 1)) add("criteria.revisedWithin", w.issues.positiveNumber);
      if (c.minRequired.trim() && !whole(c.minRequired)) add("criteria.minRequired", w.issues.wholeNumber);
      break;
    }
    case "evaluation":
      if (form.evaluationKind === "Daily" || form.evaluationKind === "Weekly" || form.evaluationKind === "MonthlyAfterPatchTuesday") {
        if (!isTimeOfDay(form.timeUtc)) add("evaluation.timeUtc", w.issues.timeFormat);
      }
      if (form.evaluationKind === "MonthlyAfterPatchTuesday" && !(intOrNaN(form.daysAfterPatchTuesday) >= 0 && intOrNaN(form.daysAfterPatchTuesday) <= 27)) {
        add("evaluation.daysAfterPatchTuesday", w.evaluation.offset);
      }
      break;
    case "deploymentSchedule":
      if (form.availableMode === "after" && !whole(form.availableAfter.value)) add("deployments[0].availableAfter", w.issues.wholeNumber);
      if (form.deadlineMode === "after" && !whole(form.deadlineAfter.value)) add("deployments[0].deadlineAfter", w.issues.wholeNumber);
      if (form.deadlineMode === "none" && form.deploy.deploymentType === "Required") add("deployments[0].deadlineAfter", w.schedule.deadlineRequired);
      break;
    case "alerts":
      for (const i of deployLocalIssues(form.deploy, "alerts", now)) add(`deployments[0].settings.${i.field}`, i.message);
      break;
    case "package":
      if (form.packageKind === "Existing" && form.packageId === null) add("package.packageId", w.issues.packageRequired);
      if (form.packageKind === "New" && !form.packageName.trim()) add("package.name", w.issues.packageNameRequired);
      break;
    case "download":
      if (form.packageKind !== "NoPackage" && form.sourceKind === "LocalFolder" && !form.sourcePath.trim()) add("downloadSource.path", w.issues.pathRequired);
      break;
    default:
      break;
  }
  return issues;
}

// ---- Evaluation times ----

function atTime(y: number, m: number, d: number, time: string): Date {
  const [h, mi] = time.split(":").map(Number);
  return new Date(Date.UTC(y, m, d, h, mi));
}

/** The second Tuesday of a month (UTC), as the day of the month. */
export function patchTuesday(year: number, month: number): number {
  const firstDay = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const firstTuesday = 1 + ((2 - firstDay + 7) % 7);
  return firstTuesday + 7;
}

/** When a schedule evaluates next after `now`; null for Manual, AfterSync or a bad time. */
export function nextEvaluation(s: Pick<EvaluationSchedule, "kind" | "timeUtc" | "dayOfWeek" | "daysAfterPatchTuesday">, now: Date): Date | null {
  if (!isTimeOfDay(s.timeUtc)) return null;
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (s.kind) {
    case "Daily":
      for (let i = 0; i < 2; i++) {
        const t = atTime(y, m, d + i, s.timeUtc);
        if (t > now) return t;
      }
      return null;
    case "Weekly":
      for (let i = 0; i < 8; i++) {
        const t = atTime(y, m, d + i, s.timeUtc);
        if (t.getUTCDay() === s.dayOfWeek && t > now) return t;
      }
      return null;
    case "MonthlyAfterPatchTuesday": {
      const offset = Number(s.daysAfterPatchTuesday);
      if (!Number.isInteger(offset) || offset < 0 || offset > 27) return null;
      for (let i = 0; i < 3; i++) {
        const t = atTime(y, m + i, patchTuesday(y + Math.floor((m + i) / 12), (m + i) % 12) + offset, s.timeUtc);
        if (t > now) return t;
      }
      return null;
    }
    default:
      return null;
  }
}

/** An instant read in UTC, in the console's one date format. */
export function showUtc(d: Date): string {
  return formatDate(d, "utc");
}

/** An instant read in this console's time zone. */
export function showLocal(d: Date): string {
  return formatDate(d);
}

// ---- Texts ----

export function spanText(s: TimeSpan): string {
  return strings.units[s.unit](s.value);
}

export function evaluationText(s: EvaluationSchedule): string {
  const e = v.evaluation;
  switch (s.kind) {
    case "Manual":
      return e.Manual();
    case "AfterSync":
      return e.AfterSync();
    case "Daily":
      return e.Daily(s.timeUtc);
    case "Weekly":
      return e.Weekly(s.timeUtc, strings.weekdays[s.dayOfWeek] ?? String(s.dayOfWeek));
    case "MonthlyAfterPatchTuesday":
      return e.MonthlyAfterPatchTuesday(s.timeUtc, s.daysAfterPatchTuesday);
  }
}

/** One line per criterion that filters, category ids shown by title when known. */
export function criteriaLines(c: RuleCriteria, categories: readonly CategoryInfo[] | null): string[] {
  const names = (ids: readonly string[]) => ids.map((id) => categories?.find((x) => x.categoryId === id)?.title ?? id).join(", ");
  const t = v.criteria;
  const out: string[] = [];
  if (c.classificationIds.length) out.push(t.classifications(names(c.classificationIds)));
  if (c.productIds.length) out.push(t.products(names(c.productIds)));
  if (c.severities.length) out.push(t.severity(c.severities.map((s) => s || w.criteria.noSeverity).join(", ")));
  if (c.titleContains) out.push(t.title(c.titleContains));
  if (c.releasedWithin) out.push(t.released(spanText(c.releasedWithin)));
  if (c.revisedWithin) out.push(t.revised(spanText(c.revisedWithin)));
  if (c.superseded !== null) out.push(t.superseded(c.superseded));
  if (c.includeExpired) out.push(t.expired);
  if (c.minRequired !== null) out.push(t.minRequired(c.minRequired));
  if (c.languages.length) out.push(t.languages(c.languages.join(", ")));
  return out.length ? out : [t.everything];
}

export function availableText(d: AdrDeploymentSpec): string {
  return d.availableAfter ? v.after(spanText(d.availableAfter)) : v.asap;
}

export function deadlineText(d: AdrDeploymentSpec): string {
  return d.deadlineAfter ? v.deadlineAfter(spanText(d.deadlineAfter)) : v.noDeadline;
}

export interface SummaryContext {
  targetPath: string | null;
  groupName: string | null;
  packageName: string | null;
  pointNames: string[];
  categories: readonly CategoryInfo[] | null;
  editing: boolean;
}

export interface SummaryLine {
  label: string;
  value: string;
  /** The page the value is chosen on (each page lists its own lines on the Summary). */
  page: InputPage;
}

/** Everything chosen, as the Summary page lists it. */
export function summaryLines(spec: AdrSpec, form: AdrForm, ctx: SummaryContext): SummaryLine[] {
  const l = w.summaryLabels;
  const first = spec.deployments[0];
  const s = first.settings;
  const lines: SummaryLine[] = [
    { label: l.name, page: "general", value: spec.name },
    { label: l.description, page: "general", value: spec.description || strings.none },
    { label: l.collection, page: "general", value: ctx.targetPath ?? String(first.targetGroupId) },
    { label: l.groupMode, page: "general", value: spec.groupMode === "NewGroupEachRun" ? v.newGroupEachRun : v.addToExisting(ctx.groupName) },
  ];
  if (!ctx.editing) lines.push({ label: l.enabled, page: "general", value: v.enabled(form.enableAfterCreate) });
  lines.push(
    { label: l.type, page: "deploymentSettings", value: deployStrings.wizard.settings[s.deploymentType] },
    { label: l.criteria, page: "softwareUpdates", value: criteriaLines(spec.criteria, ctx.categories).join("; ") },
    { label: l.evaluation, page: "evaluation", value: evaluationText(spec.evaluation) },
    { label: l.available, page: "deploymentSchedule", value: availableText(first) },
    { label: l.deadline, page: "deploymentSchedule", value: deadlineText(first) },
    { label: l.alert, page: "alerts", value: s.alertDaysAfterDeadline === null ? v.noAlert : v.alert(s.alertBelowPercent, s.alertDaysAfterDeadline) },
    {
      label: l.package, page: "package",
      value:
        spec.package.kind === "NoPackage"
          ? v.noPackage
          : spec.package.kind === "New"
            ? v.newPackage(spec.package.name)
            : v.existingPackage(ctx.packageName ?? String(spec.package.packageId)),
    },
  );
  if (spec.package.kind !== "NoPackage") {
    const src = spec.downloadSource;
    lines.push(
      { label: l.download, page: "download", value: src.kind === "LocalFolder" ? `${w.download.LocalFolder}: ${src.path}` : w.download[src.kind] },
      { label: l.languages, page: "download", value: spec.languages.length ? spec.languages.join(", ") : v.everyLanguage },
      { label: l.points, page: "download", value: ctx.pointNames.length ? ctx.pointNames.join(", ") : v.noPoints },
    );
  }
  if (spec.deployments.length > 1) lines.push({ label: l.deployments, page: "general", value: String(spec.deployments.length) });
  return lines;
}
