// The Deploy Software Updates wizard as data: its pages, the form behind them, the checks
// each page makes before Next, the spec sent to the site, and the Summary's lines. Pure
// functions, so the rules are tested without a browser.
//
// Times: the form holds wall-clock values ("YYYY-MM-DDTHH:MM"). With the UTC basis the value
// is a UTC time; with client local time it is the time each client reads on its own clock.
// Either way the wire carries that wall-clock value as RFC 3339 with "Z" (see
// DeploymentSettings.availableUtc), so both bases convert the same way and only "now" (the
// default, and "as soon as possible") depends on the basis.
import { formatWallClock } from "../../components/format";
import type {
  Deployment,
  DeploymentSettings,
  DeploymentSpec,
  DeploymentType,
  FieldIssue,
  SlowNetworkAction,
  TimeBasis,
  UserNotifications,
  Verbosity,
} from "./types";
import { strings } from "./strings";

const w = strings.wizard;

export const INPUT_PAGES = ["general", "deploymentSettings", "scheduling", "userExperience", "alerts", "downloadSettings"] as const;
export type InputPage = (typeof INPUT_PAGES)[number];

export interface DeployForm {
  name: string;
  description: string;
  /** Deploy an existing group, or the updates the wizard was started with. */
  source: "group" | "updates";
  updateGroupId: number | null;
  updateIds: readonly string[];
  targetGroupId: number | null;
  deploymentType: DeploymentType;
  wakeOnLan: boolean;
  verbosity: Verbosity;
  timeBasis: TimeBasis;
  availableAsap: boolean;
  available: string;
  deadlineAsap: boolean;
  deadline: string;
  userNotifications: UserNotifications;
  installOutsideMaintenanceWindow: boolean;
  restartOutsideMaintenanceWindow: boolean;
  suppressRestartServers: boolean;
  suppressRestartWorkstations: boolean;
  alertEnabled: boolean;
  alertBelowPercent: string;
  alertDaysAfterDeadline: string;
  slowNetwork: SlowNetworkAction;
  fallbackToMicrosoftUpdate: boolean;
  allowMeteredDownload: boolean;
}

const pad = (n: number) => String(n).padStart(2, "0");
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** `date`'s wall-clock time to the minute, read in UTC or in this console's zone. */
export function wallClock(date: Date, basis: TimeBasis): string {
  return basis === "Utc"
    ? `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`
    : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The next whole hour after `date` (wizard defaults), as a Date. */
export function nextHour(date: Date): Date {
  const d = new Date(date.getTime());
  d.setUTCMinutes(0, 0, 0);
  d.setUTCHours(d.getUTCHours() + 1);
  return d;
}

export function isWallClock(value: string): boolean {
  const m = WALL_CLOCK.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi] = m.map(Number);
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && h < 24 && mi < 60;
}

/** A wall-clock form value as the wire's RFC 3339 text. */
export function toWire(value: string): string {
  return `${value}:00Z`;
}

/** A wire time back to the form's wall-clock value ("" when it cannot be read). */
export function fromWire(value: string | null | undefined): string {
  if (!value) return "";
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(value);
  if (m && /(Z|[+-]00:?00)$/i.test(value)) return `${m[1]}T${m[2]}`;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : wallClock(d, "Utc");
}

/** What a UTC wall-clock value is in this console's time zone (the UTC basis's hint). */
export function utcToConsoleLocal(value: string): string {
  if (!isWallClock(value)) return "";
  return wallClock(new Date(toWire(value)), "ClientLocal");
}

/** A wall-clock value for people: "2026-11-29 06:00". */
export function showWallClock(value: string): string {
  return formatWallClock(value);
}

export interface FormInit {
  updateIds?: readonly string[];
  updateGroupId?: number | null;
  now: Date;
}

export function defaultForm({ updateIds = [], updateGroupId = null, now }: FormInit): DeployForm {
  const start = wallClock(nextHour(now), "Utc");
  return {
    name: "",
    description: "",
    source: updateIds.length > 0 ? "updates" : "group",
    updateGroupId,
    updateIds,
    targetGroupId: null,
    deploymentType: "Required",
    wakeOnLan: false,
    verbosity: "AllMessages",
    timeBasis: "Utc",
    availableAsap: true,
    available: start,
    deadlineAsap: true,
    deadline: start,
    userNotifications: "DisplayAll",
    installOutsideMaintenanceWindow: false,
    restartOutsideMaintenanceWindow: false,
    suppressRestartServers: false,
    suppressRestartWorkstations: false,
    alertEnabled: false,
    alertBelowPercent: "90",
    alertDaysAfterDeadline: "7",
    slowNetwork: "DoNotInstall",
    fallbackToMicrosoftUpdate: false,
    allowMeteredDownload: false,
  };
}

/** A deployment's settings as the form's fields (the times aside: each wizard reads its own). */
export function settingsFields(s: DeploymentSettings): Omit<DeployForm, "name" | "description" | "source" | "updateGroupId" | "updateIds" | "targetGroupId" | "availableAsap" | "available" | "deadlineAsap" | "deadline"> {
  return {
    deploymentType: s.deploymentType,
    wakeOnLan: s.wakeOnLan,
    verbosity: s.verbosity,
    timeBasis: s.timeBasis,
    userNotifications: s.userNotifications,
    installOutsideMaintenanceWindow: s.installOutsideMaintenanceWindow,
    restartOutsideMaintenanceWindow: s.restartOutsideMaintenanceWindow,
    suppressRestartServers: s.suppressRestartServers,
    suppressRestartWorkstations: s.suppressRestartWorkstations,
    alertEnabled: s.alertDaysAfterDeadline !== null,
    alertBelowPercent: String(s.alertBelowPercent),
    alertDaysAfterDeadline: String(s.alertDaysAfterDeadline ?? 7),
    slowNetwork: s.slowNetwork,
    fallbackToMicrosoftUpdate: s.fallbackToMicrosoftUpdate,
    allowMeteredDownload: s.allowMeteredDownload,
  };
}

/** The wizard's form for an existing deployment (Properties). Times come back as given. */
export function formFromDeployment(d: Deployment): DeployForm {
  const s = d.settings;
  const available = fromWire(s.availableUtc);
  const deadline = fromWire(s.deadlineUtc);
  return {
    ...settingsFields(s),
    name: d.name,
    description: d.description,
    source: "group",
    updateGroupId: d.updateGroupId,
    updateIds: [],
    targetGroupId: d.targetGroupId,
    availableAsap: false,
    available,
    deadlineAsap: false,
    deadline: deadline || available,
  };
}

/** The available time and deadline the form stands for, as wall-clock values ("as soon as possible" = now). */
export function resolvedTimes(form: DeployForm, now: Date): { available: string; deadline: string | null } {
  const available = form.availableAsap ? wallClock(now, form.timeBasis) : form.available;
  if (form.deploymentType !== "Required") return { available, deadline: null };
  return { available, deadline: form.deadlineAsap ? available : form.deadline };
}

const intOrNaN = (text: string) => (/^\s*-?\d+\s*$/.test(text) ? Number.parseInt(text, 10) : Number.NaN);

export function buildSpec(form: DeployForm, now: Date): DeploymentSpec {
  const { available, deadline } = resolvedTimes(form, now);
  const fromUpdates = form.source === "updates";
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    updateGroupId: fromUpdates ? null : form.updateGroupId,
    updateIds: fromUpdates ? [...form.updateIds] : [],
    // 0 never names a group: the site answers with the field's issue.
    targetGroupId: form.targetGroupId ?? 0,
    settings: {
      deploymentType: form.deploymentType,
      wakeOnLan: form.wakeOnLan,
      verbosity: form.verbosity,
      timeBasis: form.timeBasis,
      availableUtc: isWallClock(available) ? toWire(available) : available,
      deadlineUtc: deadline === null ? null : isWallClock(deadline) ? toWire(deadline) : deadline,
      userNotifications: form.userNotifications,
      installOutsideMaintenanceWindow: form.installOutsideMaintenanceWindow,
      restartOutsideMaintenanceWindow: form.restartOutsideMaintenanceWindow,
      suppressRestartServers: form.suppressRestartServers,
      suppressRestartWorkstations: form.suppressRestartWorkstations,
      alertDaysAfterDeadline: form.alertEnabled ? intOrNaN(form.alertDaysAfterDeadline) : null,
      alertBelowPercent: intOrNaN(form.alertBelowPercent) || 90,
      slowNetwork: form.slowNetwork,
      fallbackToMicrosoftUpdate: form.fallbackToMicrosoftUpdate,
      allowMeteredDownload: form.allowMeteredDownload,
    },
  };
}

/** The page holding each field of a deployment (the ADR wizard reads its deployment pages from it). */
export const PAGE_OF_FIELD: Readonly<Record<string, InputPage>> = {
  name: "general",
  description: "general",
  updateGroupId: "general",
  updateIds: "general",
  targetGroupId: "general",
  deploymentType: "deploymentSettings",
  wakeOnLan: "deploymentSettings",
  verbosity: "deploymentSettings",
  timeBasis: "scheduling",
  availableUtc: "scheduling",
  deadlineUtc: "scheduling",
  userNotifications: "userExperience",
  installOutsideMaintenanceWindow: "userExperience",
  restartOutsideMaintenanceWindow: "userExperience",
  suppressRestartServers: "userExperience",
  suppressRestartWorkstations: "userExperience",
  alertDaysAfterDeadline: "alerts",
  alertBelowPercent: "alerts",
  slowNetwork: "downloadSettings",
  fallbackToMicrosoftUpdate: "downloadSettings",
  allowMeteredDownload: "downloadSettings",
};

/** The field an issue names, without a "settings." prefix. */
export function fieldName(issue: FieldIssue): string {
  const parts = issue.field.split(".");
  return parts[parts.length - 1] ?? issue.field;
}

/** The page holding an issue's field; an unknown field belongs to General. */
export function pageOfIssue(issue: FieldIssue): InputPage {
  return PAGE_OF_FIELD[fieldName(issue)] ?? "general";
}

/** The checks the console can make itself, for one page, before asking the site. */
export function localIssues(form: DeployForm, page: InputPage, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  switch (page) {
    case "general":
      if (!form.name.trim()) add("name", w.issues.nameRequired);
      if (form.source === "group" ? form.updateGroupId === null : form.updateIds.length === 0) add("updateGroupId", w.issues.sourceRequired);
      if (form.targetGroupId === null) add("targetGroupId", w.issues.targetRequired);
      break;
    case "scheduling": {
      if (!form.availableAsap && !isWallClock(form.available)) add("availableUtc", w.issues.invalidTime);
      if (form.deploymentType === "Required" && !form.deadlineAsap && !isWallClock(form.deadline)) add("deadlineUtc", w.issues.invalidTime);
      if (issues.length) break;
      const { available, deadline } = resolvedTimes(form, now);
      // Wall-clock values of one basis compare as text.
      if (deadline !== null && deadline < available) add("deadlineUtc", w.issues.deadlineBeforeAvailable);
      break;
    }
    case "alerts":
      if (form.alertEnabled) {
        const percent = intOrNaN(form.alertBelowPercent);
        const days = intOrNaN(form.alertDaysAfterDeadline);
        if (!(percent >= 1 && percent <= 99)) add("alertBelowPercent", w.issues.percentRange);
        if (!(days >= 0)) add("alertDaysAfterDeadline", w.issues.daysRange);
      }
      break;
    default:
      break;
  }
  return issues;
}

/**
 * The issues that stop Next on `page`: those of this page and of the pages before it (a
 * later page's field is checked when that page is reached).
 */
export function blockingIssues(issues: readonly FieldIssue[], page: InputPage): FieldIssue[] {
  const limit = INPUT_PAGES.indexOf(page);
  return issues.filter((i) => INPUT_PAGES.indexOf(pageOfIssue(i)) <= limit);
}

/** Issues by the key a page's Field looks them up by (messages of one key joined). */
export function issuesByKey(issues: readonly FieldIssue[], keyOf: (issue: FieldIssue) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const k = keyOf(i);
    out[k] = out[k] ? `${out[k]} ${i.message}` : i.message;
  }
  return out;
}

/** Issues by field name, for the Field components of a page. */
export function issuesByField(issues: readonly FieldIssue[]): Record<string, string> {
  return issuesByKey(issues, fieldName);
}

export interface SummaryContext {
  groupName: string | null;
  groupUpdateCount: number | null;
  targetPath: string | null;
  now: Date;
}

export interface SummaryLine {
  label: string;
  value: string;
  /** The page the value is chosen on (each page lists its own lines on the Summary). */
  page: InputPage;
}

function timeText(value: string, basis: TimeBasis): string {
  const shown = showWallClock(value);
  return basis === "Utc" ? w.summaryValues.utcTime(shown) : w.summaryValues.localTime(shown);
}

/** Everything chosen, as the Summary page lists it. */
export function summaryLines(form: DeployForm, ctx: SummaryContext): SummaryLine[] {
  const l = w.summaryLabels;
  const v = w.summaryValues;
  const yesNo = (b: boolean) => (b ? strings.yes : strings.no);
  const percent = intOrNaN(form.alertBelowPercent);
  const days = intOrNaN(form.alertDaysAfterDeadline);
  const lines: SummaryLine[] = [
    { label: l.name, page: "general", value: form.name.trim() },
    { label: l.description, page: "general", value: form.description.trim() || strings.none },
    {
      label: l.updates, page: "general",
      value: form.source === "updates" ? v.selection(form.updateIds.length) : v.groupNamed(ctx.groupName ?? String(form.updateGroupId ?? ""), ctx.groupUpdateCount),
    },
    { label: l.collection, page: "general", value: ctx.targetPath ?? String(form.targetGroupId ?? "") },
    { label: l.type, page: "deploymentSettings", value: w.settings[form.deploymentType] },
    { label: l.wakeOnLan, page: "deploymentSettings", value: yesNo(form.wakeOnLan) },
    { label: l.verbosity, page: "deploymentSettings", value: w.settings[form.verbosity] },
    { label: l.timeBasis, page: "scheduling", value: w.scheduling[form.timeBasis] },
    { label: l.available, page: "scheduling", value: form.availableAsap ? v.asap : timeText(form.available, form.timeBasis) },
    {
      label: l.deadline, page: "scheduling",
      value: form.deploymentType !== "Required" ? v.noDeadline : form.deadlineAsap ? v.asap : timeText(form.deadline, form.timeBasis),
    },
    { label: l.notifications, page: "userExperience", value: w.experience[form.userNotifications] },
    { label: l.installOutside, page: "userExperience", value: yesNo(form.installOutsideMaintenanceWindow) },
    { label: l.restartOutside, page: "userExperience", value: yesNo(form.restartOutsideMaintenanceWindow) },
    { label: l.suppressServers, page: "userExperience", value: yesNo(form.suppressRestartServers) },
    { label: l.suppressWorkstations, page: "userExperience", value: yesNo(form.suppressRestartWorkstations) },
    { label: l.alert, page: "alerts", value: form.alertEnabled ? v.alertWhen(percent, days) : v.noAlert },
    { label: l.slowNetwork, page: "downloadSettings", value: w.download[form.slowNetwork] },
    { label: l.fallback, page: "downloadSettings", value: yesNo(form.fallbackToMicrosoftUpdate) },
    { label: l.metered, page: "downloadSettings", value: yesNo(form.allowMeteredDownload) },
  ];
  return lines;
}

/** Depth of each target group in the tree (root 0), for an indented picker. */
export function groupDepths(groups: readonly { id: number; parentId: number | null }[]): Map<number, number> {
  const parent = new Map(groups.map((g) => [g.id, g.parentId] as const));
  const depth = new Map<number, number>();
  const depthOf = (id: number, guard = 0): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const p = parent.get(id);
    const d = p === null || p === undefined || guard > 64 ? 0 : depthOf(p, guard + 1) + 1;
    depth.set(id, d);
    return d;
  };
  groups.forEach((g) => depthOf(g.id));
  return depth;
}

/** Target groups in tree order (each parent followed by its children, by name). */
export function treeOrder<T extends { id: number; parentId: number | null; name: string }>(groups: readonly T[]): T[] {
  const children = new Map<number | null, T[]>();
  const ids = new Set(groups.map((g) => g.id));
  for (const g of groups) {
    const key = g.parentId !== null && ids.has(g.parentId) ? g.parentId : null;
    const list = children.get(key) ?? [];
    list.push(g);
    children.set(key, list);
  }
  const out: T[] = [];
  const walk = (key: number | null) => {
    for (const g of (children.get(key) ?? []).sort((a, b) => (a.parentId === null ? -1 : b.parentId === null ? 1 : a.name.localeCompare(b.name)))) {
      out.push(g);
      walk(g.id);
    }
  };
  walk(null);
  return out;
}
