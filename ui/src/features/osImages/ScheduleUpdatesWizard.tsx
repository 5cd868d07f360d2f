// Schedule Updates Wizard (SRV-1, SRV-2; seed 004): Choose Updates (those that apply to the
// image and are not in it, with a text filter and the architecture list; one, several or
// all) → Set Schedule (as soon as possible or a time; continue on error; update
// distribution points) → Summary → Progress → Completion. Updates whose content is not in
// the library stop the page by name, with Download… to fetch them first. Where DISM is
// absent the wizard says so and goes no further. Cancel sends nothing that changes the site.
import { useState } from "react";
import { Button, Checkbox, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Radio, RadioGroup, Text } from "@fluentui/react-components";
import { call } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../components/PlainTable";
import { useLoad } from "../../components/useLoad";
import { WizardFrame, type WizardIssue, type WizardPage } from "../../components/WizardFrame";
import { wizardBar } from "../../components/wizardStrings";
import { DownloadWizard } from "../content/DownloadWizard";
import {
  chooseIssues,
  emptyScheduleForm,
  notDownloaded,
  scheduleArgs,
  scheduleIssues,
  selectAll,
  summaryLines,
  toggle,
  type ScheduleForm,
} from "./scheduleModel";
import { scheduleStrings as s } from "./scheduleStrings";
import type { ApplicableUpdate, ApplicableUpdates, OsImage, ServicingArchitecture, ServicingRun } from "./types";

const ARCHITECTURES: readonly ServicingArchitecture[] = ["All", "X86", "X64"];

export interface ScheduleUpdatesWizardProps {
  image: OsImage;
  /** With the run scheduled after Close; nothing after Cancel. */
  onClose(run?: ServicingRun): void;
}

export function ScheduleUpdatesWizard({ image, onClose }: ScheduleUpdatesWizardProps) {
  const [form, setForm] = useState<ScheduleForm>(emptyScheduleForm);
  const [known, setKnown] = useState<ApplicableUpdate[]>([]);
  const [downloading, setDownloading] = useState<string[] | null>(null);
  const change = (patch: Partial<ScheduleForm>) => setForm((f) => ({ ...f, ...patch }));
  const key = `${image.id}|${form.architecture}|${form.text.trim()}`;
  const loaded = useLoad<ApplicableUpdates>(async () => {
    const answer = await call("list_applicable_os_image_updates", { imageId: image.id, text: form.text.trim(), architecture: form.architecture });
    // What was seen stays known, so choices made under another filter keep their titles.
    setKnown((k) => [...k.filter((u) => !answer.updates.some((a) => a.updateId === u.updateId)), ...answer.updates]);
    return answer;
  }, key);
  const listed = loaded.value?.updates ?? [];
  const dismMissing = loaded.value?.dismMissing ?? null;
  const chosen = new Set(form.selected);
  const allOn = listed.length > 0 && listed.every((u) => chosen.has(u.updateId));
  const columns: PlainColumn<ApplicableUpdate>[] = [
    {
      id: "pick",
      header: "",
      width: "36px",
      render: (u) => <Checkbox aria-label={u.title} checked={chosen.has(u.updateId)} onChange={(_, d) => setForm((f) => toggle(f, u.updateId, d.checked === true))} />,
    },
    // Classification and architecture under the title: as columns of their own they left the
    // title a few characters wide in the wizard's page.
    {
      id: "title",
      header: s.columns.title,
      render: (u) => (
        <>
          <div>{u.title}</div>
          <MutedText size={200}>{s.titleDetails(u.classification, u.architecture)}</MutedText>
        </>
      ),
      title: (u) => u.title,
    },
    { id: "kb", header: s.columns.kb, width: "90px", render: (u) => u.kb },
    { id: "released", header: s.columns.released, width: "110px", render: (u) => formatUtc(u.creationDate, false) },
    { id: "downloaded", header: s.columns.downloaded, width: "90px", render: (u) => (u.downloaded ? s.yes : s.no) },
  ];
  const byField = (issues: readonly WizardIssue[]) => Object.fromEntries(issues.map((i) => [i.field, i.message]));

  const pages: WizardPage[] = [
    {
      id: "choose",
      label: s.pages.choose,
      heading: s.headings.choose,
      render: (issues) => {
        const i = byField(issues);
        const missing = notDownloaded(form, known);
        return (
          <>
            {dismMissing && (
              <MessageBar intent="warning" layout="multiline" data-testid="dism-missing">
                <MessageBarBody>
                  <b>{s.dismMissing}</b>. {dismMissing}
                </MessageBarBody>
              </MessageBar>
            )}
            <div style={{ display: "flex", gap: 12, alignItems: "end" }}>
              <Field label={s.filter} hint={s.filterHint} style={{ flexGrow: 1 }}>
                <Input value={form.text} onChange={(_, d) => change({ text: d.value })} data-testid="schedule-filter" />
              </Field>
              <Field label={s.architecture}>
                <Dropdown
                  value={s.architectures[form.architecture]}
                  selectedOptions={[form.architecture]}
                  onOptionSelect={(_, d) => d.optionValue && change({ architecture: d.optionValue as ServicingArchitecture })}
                >
                  {ARCHITECTURES.map((a) => (
                    <Option key={a} value={a}>
                      {s.architectures[a]}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
            </div>
            {loaded.failure ? (
              <ErrorBar title={s.loadFailed} message={loaded.failure.message} onRetry={loaded.reload} retryLabel="Retry" />
            ) : !loaded.value ? (
              <MutedText>{s.loading}</MutedText>
            ) : listed.length === 0 ? (
              <MutedText>{s.none}</MutedText>
            ) : (
              <>
                <div style={{ display: "flex", gap: 12, alignItems: "center" }}>
                  <Checkbox label={s.selectAll} checked={allOn} onChange={(_, d) => setForm((f) => selectAll(f, listed, d.checked === true))} data-testid="schedule-select-all" />
                  <Text>{s.selected(form.selected.length, listed.length)}</Text>
                </div>
                <PlainTable ariaLabel={s.pages.choose} columns={columns} rows={listed} rowKey={(u) => u.updateId} rowData={(u) => ({ "data-update": u.kb })} size="small" />
              </>
            )}
            {i.updates && (
              <MessageBar intent="error" layout="multiline" data-testid="schedule-updates-issue">
                <MessageBarBody>
                  {i.updates}
                  {missing.length > 0 && (
                    <>
                      {" "}
                      <Button size="small" onClick={() => setDownloading(missing)}>
                        {s.download}
                      </Button>
                    </>
                  )}
                </MessageBarBody>
              </MessageBar>
            )}
          </>
        );
      },
      validate: () => chooseIssues(form, known, dismMissing),
      summary: () => summaryLines(image.name, form, known).filter((l) => l.page === "choose").flatMap((l) => l.items),
    },
    {
      id: "schedule",
      label: s.pages.schedule,
      heading: s.headings.schedule,
      render: (issues) => {
        const i = byField(issues);
        return (
          <>
            <Field label={s.when}>
              <RadioGroup value={form.when} onChange={(_, d) => change({ when: d.value as ScheduleForm["when"] })}>
                <Radio value="asap" label={s.asap} />
                <Radio value="at" label={s.at} />
              </RadioGroup>
            </Field>
            {form.when === "at" && (
              <Field label={s.at} hint={s.atHint} {...(i.when ? { validationState: "error" as const, validationMessage: i.when } : {})}>
                <Input type="datetime-local" value={form.atLocal} onChange={(_, d) => change({ atLocal: d.value })} data-testid="schedule-at" />
              </Field>
            )}
            <Checkbox label={s.continueOnError} checked={form.continueOnError} onChange={(_, d) => change({ continueOnError: d.checked === true })} />
            <MutedText>{s.continueHint}</MutedText>
            <Checkbox label={s.redistribute} checked={form.redistribute} onChange={(_, d) => change({ redistribute: d.checked === true })} />
            <MutedText>{s.redistributeHint}</MutedText>
          </>
        );
      },
      validate: () => scheduleIssues(form),
      summary: () => summaryLines(image.name, form, known).filter((l) => l.page === "schedule").flatMap((l) => l.items),
    },
  ];

  return (
    <>
      <WizardFrame<ServicingRun>
        testId="schedule-updates-wizard"
        title={s.title}
        texts={{ ...wizardBar, pages: s.pages, running: s.running }}
        pages={pages}
        value={form}
        summary={{ heading: s.headings.summary }}
        run={() => call("schedule_os_image_updates", scheduleArgs(image.id, form))}
        progress={{ heading: s.headings.progress }}
        completion={{
          heading: (o) => (o.ok ? s.headings.completion : s.headings.completionFailed),
          body: (o) =>
            o.ok ? (
              <MessageBar intent="success" layout="multiline">
                <MessageBarBody data-testid="schedule-done">{s.scheduled(image.name, o.value.updates.length, s.states[o.value.state])}</MessageBarBody>
              </MessageBar>
            ) : (
              <ErrorBar title={s.failed} message={o.failure.message} />
            ),
        }}
        onClose={onClose}
      />
      {downloading && (
        <DownloadWizard
          updateIds={downloading}
          onClose={() => {
            setDownloading(null);
            loaded.reload();
          }}
        />
      )}
    </>
  );
}
