// The Schedule Updates wizard's form and its checks, apart from the page's components so
// they can be tested alone.
import type { WizardIssue } from "../../components/WizardFrame";
import type { Property } from "../../components/PropertyList";
import { formatUtc } from "../../components/format";
import { localInputToUtc } from "../approvals/model";
import { scheduleStrings as s } from "./scheduleStrings";
import type { ApplicableUpdate, ScheduleServicingArgs, ServicingArchitecture } from "./types";

export interface ScheduleForm {
  text: string;
  architecture: ServicingArchitecture;
  /** Update ids chosen, in the order they were picked. */
  selected: string[];
  when: "asap" | "at";
  /** datetime-local value, local time. */
  atLocal: string;
  continueOnError: boolean;
  redistribute: boolean;
}

export const emptyScheduleForm: ScheduleForm = {
  text: "",
  architecture: "All",
  selected: [],
  when: "asap",
  atLocal: "",
  continueOnError: false,
  redistribute: false,
};

export function toggle(form: ScheduleForm, id: string, on: boolean): ScheduleForm {
  const rest = form.selected.filter((x) => x !== id);
  return { ...form, selected: on ? [...rest, id] : rest };
}

/** Select all: every update listed now (kept with those chosen under another filter). */
export function selectAll(form: ScheduleForm, listed: readonly ApplicableUpdate[], on: boolean): ScheduleForm {
  const ids = new Set(listed.map((u) => u.updateId));
  const kept = form.selected.filter((x) => !ids.has(x));
  return { ...form, selected: on ? [...kept, ...listed.map((u) => u.updateId)] : kept };
}

/** Choose Updates: at least one, DISM present, every chosen update's content downloaded (SRV-2). */
export function chooseIssues(form: ScheduleForm, known: readonly ApplicableUpdate[], dismMissing: string | null): WizardIssue[] {
  if (dismMissing) return [{ field: "", message: dismMissing }];
  if (!form.selected.length) return [{ field: "updates", message: s.chooseOne }];
  const missing = form.selected
    .map((id) => known.find((u) => u.updateId === id))
    .filter((u): u is ApplicableUpdate => u !== undefined && !u.downloaded)
    .map((u) => `${u.title} (${u.kb})`);
  return missing.length ? [{ field: "updates", message: s.notDownloaded(missing) }] : [];
}

/** The chosen updates not yet in the content library. */
export function notDownloaded(form: ScheduleForm, known: readonly ApplicableUpdate[]): string[] {
  return form.selected.filter((id) => known.some((u) => u.updateId === id && !u.downloaded));
}

export function scheduleIssues(form: ScheduleForm): WizardIssue[] {
  return form.when === "at" && localInputToUtc(form.atLocal) === null ? [{ field: "when", message: s.badTime }] : [];
}

export function scheduleArgs(imageId: number, form: ScheduleForm): ScheduleServicingArgs {
  return {
    imageId,
    updateIds: form.selected,
    whenUtc: form.when === "at" ? localInputToUtc(form.atLocal) : null,
    continueOnError: form.continueOnError,
    updateDistributionPoints: form.redistribute,
  };
}

export function summaryLines(imageName: string, form: ScheduleForm, known: readonly ApplicableUpdate[]): { page: "choose" | "schedule"; items: Property[] }[] {
  const titles = form.selected.map((id) => {
    const u = known.find((x) => x.updateId === id);
    return u ? `${u.kb}: ${u.title}` : id;
  });
  const at = localInputToUtc(form.atLocal);
  return [
    { page: "choose", items: [{ label: s.summary.image, value: imageName }, { label: s.summary.updates, value: titles.join("\n") }] },
    {
      page: "schedule",
      items: [
        { label: s.summary.when, value: form.when === "asap" || !at ? s.asap : formatUtc(at) },
        { label: s.summary.continueOnError, value: form.continueOnError ? s.yes : s.no },
        { label: s.summary.redistribute, value: form.redistribute ? s.yes : s.no },
      ],
    },
  ];
}
