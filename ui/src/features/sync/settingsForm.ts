// The Software Update Point Properties form as plain data: made from the stored settings,
// turned back into them, compared for "dirty", and checked before sending. The backend
// validates again and has the last word (its Validation message is shown as it is); the
// checks here only catch what a person can fix without a round trip.
import type { ScheduleKind, SyncSettings, SyncSource } from "../../api";
import { parseTime } from "./schedule";
import { strings } from "./strings";

export type RecurrenceKind = Exclude<ScheduleKind, "Manual">;

export interface SyncForm {
  source: SyncSource;
  upstreamUrl: string;
  allowPlainHttp: boolean;
  /** Empty: no proxy. */
  proxyUrl: string;
  /** A PEM file of extra certificate authorities; empty: the system's only. */
  caCertificateFile: string;
  productIds: string[];
  classificationIds: string[];
  languages: string[];
  /** "Enable synchronization on a schedule"; off means the stored kind is Manual. */
  scheduleEnabled: boolean;
  /** The recurrence chosen while enabled, kept while disabled so re-enabling restores it. */
  recurrence: RecurrenceKind;
  /** As typed; a whole number 1..168 when valid. */
  everyHours: string;
  dayOfWeek: number;
  /** "HH:MM", UTC. */
  timeUtc: string;
}

export type FormField = "upstreamUrl" | "languages" | "everyHours" | "timeUtc";
export type FormErrors = Partial<Record<FormField, string>>;

const lower = (ids: readonly string[]) => ids.map((id) => id.trim().toLowerCase());

export function formFromSettings(settings: SyncSettings): SyncForm {
  const sch = settings.schedule;
  return {
    source: settings.source,
    upstreamUrl: settings.upstreamUrl,
    allowPlainHttp: settings.allowPlainHttp,
    proxyUrl: settings.proxyUrl,
    caCertificateFile: settings.caCertificateFile,
    productIds: lower(settings.productIds),
    classificationIds: lower(settings.classificationIds),
    languages: [...settings.languages],
    scheduleEnabled: sch.kind !== "Manual",
    recurrence: sch.kind === "Manual" ? "Weekly" : sch.kind,
    everyHours: String(sch.everyHours),
    dayOfWeek: sch.dayOfWeek,
    timeUtc: sch.timeUtc,
  };
}

/** A whole number typed in a box, when it lies in min..max; null otherwise. */
export function wholeNumberIn(text: string, min: number, max: number): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

const hoursOf = (text: string): number | null => wholeNumberIn(text, 1, 168);

/**
 * What set_sync_settings receives. Only meaningful when `validateForm` found nothing.
 * Fields of `stored` that the form does not edit are sent back as they are: a setting the
 * site gains before this dialog shows it must survive an OK here, not fall back to its default.
 */
export function settingsFromForm(form: SyncForm, stored: SyncSettings): SyncSettings {
  return {
    ...stored,
    source: form.source,
    upstreamUrl: form.upstreamUrl.trim(),
    allowPlainHttp: form.allowPlainHttp,
    proxyUrl: form.proxyUrl.trim(),
    caCertificateFile: form.caCertificateFile.trim(),
    productIds: [...form.productIds],
    classificationIds: [...form.classificationIds],
    languages: [...form.languages],
    schedule: {
      kind: form.scheduleEnabled ? form.recurrence : "Manual",
      everyHours: hoursOf(form.everyHours) ?? Number(form.everyHours.trim() || 0),
      dayOfWeek: form.dayOfWeek,
      timeUtc: form.timeUtc,
    },
  };
}

/** Settings in one spelling, so two that mean the same compare equal. */
function canonical(s: SyncSettings): string {
  const sorted = (ids: readonly string[]) => [...lower(ids)].sort();
  const others = Object.fromEntries(Object.entries(s).filter(([k]) => !EDITED.has(k)).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({
    others,
    source: s.source,
    upstreamUrl: s.upstreamUrl.trim(),
    allowPlainHttp: s.allowPlainHttp,
    proxyUrl: s.proxyUrl.trim(),
    caCertificateFile: s.caCertificateFile.trim(),
    productIds: sorted(s.productIds),
    classificationIds: sorted(s.classificationIds),
    languages: [...s.languages].sort(),
    schedule: {
      kind: s.schedule.kind,
      everyHours: s.schedule.everyHours,
      dayOfWeek: s.schedule.dayOfWeek,
      timeUtc: s.schedule.timeUtc,
    },
  });
}

const EDITED = new Set(["source", "upstreamUrl", "allowPlainHttp", "proxyUrl", "caCertificateFile", "productIds", "classificationIds", "languages", "schedule"]);

/** True when saving the form would change the stored settings. */
export function isDirty(form: SyncForm, stored: SyncSettings): boolean {
  return canonical(settingsFromForm(form, stored)) !== canonical(stored);
}

export function validateForm(form: SyncForm): FormErrors {
  const p = strings.properties;
  const errors: FormErrors = {};
  if (form.source !== "MicrosoftUpdate" && form.upstreamUrl.trim() === "") {
    errors.upstreamUrl = p.syncSettings.upstreamUrlRequired;
  }
  if (form.languages.length === 0) errors.languages = p.languages.required;
  if (form.scheduleEnabled) {
    if (form.recurrence === "EveryHours" && hoursOf(form.everyHours) === null) {
      errors.everyHours = p.schedule.everyHoursRange;
    }
    if (form.recurrence !== "EveryHours" && parseTime(form.timeUtc) === null) {
      errors.timeUtc = p.schedule.timeInvalid;
    }
  }
  return errors;
}

/** Ids with `id` added or removed. */
export function toggled(ids: readonly string[], id: string, on: boolean): string[] {
  const key = id.toLowerCase();
  const rest = ids.filter((x) => x !== key);
  return on ? [...rest, key] : rest;
}

/** Ids with all of `some` added or removed. */
export function toggledAll(ids: readonly string[], some: readonly string[], on: boolean): string[] {
  const keys = new Set(lower(some));
  const rest = ids.filter((x) => !keys.has(x));
  return on ? [...rest, ...keys] : rest;
}
