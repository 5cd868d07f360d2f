// The first-run configuration wizard (issue 14), as WSUS has one: upstream, proxy, connect
// and fetch the categories, languages, products, classifications, schedule, then the first
// synchronization and Completion. It saves through the ordinary sync settings and starts the
// ordinary run; the site checks each page (validate_sync_settings) before the wizard moves
// on, and is told when the wizard is closed (close_first_run), so it opens by itself only
// on a site that was never configured.
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure, type CategoryInfo, type SyncRunInfo, type SyncSettings, type SyncSource } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { CatalogPathField } from "../export/CatalogPathField";
import { WizardFrame, type WizardCheck, type WizardIssue, type WizardPage } from "../../../components/WizardFrame";
import { wizardBar } from "../../../components/wizardStrings";
import { languageNames } from "../languages";
import { scheduleText } from "../properties/siteComponent";
import { ClassificationsTab, LanguagesTab, ProductsTab, ScheduleTab } from "../properties/tabs";
import { formFromSettings, settingsFromForm, type SyncForm } from "../settingsForm";
import { strings as sync } from "../strings";
import { strings } from "./strings";
import { syncToEnd } from "./syncToEnd";

/** The common classifications, chosen when the upstream has them and nothing was chosen. */
export const COMMON_CLASSIFICATIONS = [
  "e6cf1350-c01b-414d-a61f-263d14d133b4", // Critical Updates
  "0fa1201d-4330-4fa8-8ae9-b877473b6441", // Security Updates
  "e0789628-ce08-4437-be74-2495b842f43b", // Definition Updates
  "28bc880e-0592-4cbf-8f95-c79b17911d5f", // Update Rollups
];

/** The site's fields each page edits: its issues are shown on that page. */
const PAGE_FIELDS: Record<string, readonly string[]> = {
  source: ["upstreamUrl"],
  proxy: ["proxyUrl", "caCertificateFile", "retry"],
  languages: ["languages"],
  products: ["productIds"],
  classifications: ["classificationIds"],
  schedule: ["schedule.everyHours", "schedule.dayOfWeek", "schedule.timeUtc", "cleanupSupersededDays"],
};

type Choice = SyncSource | "ImportFile";
type Connection =
  | { state: "idle" }
  | { state: "running"; run: SyncRunInfo | null }
  | { state: "done"; products: number; classifications: number; imported: number | null }
  | { state: "failed"; failure: ApiFailure };

export interface FirstRunResult {
  run: SyncRunInfo | null;
  listed: number;
}

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "640px" },
  intro: { color: tokens.colorNeutralForeground2 },
  indent: { marginLeft: tokens.spacingHorizontalXXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

/** The page's own problems in the site's answer, shown above the page. */
function issuesOf(page: string, all: readonly WizardIssue[]): WizardIssue[] {
  return all.filter((i) => PAGE_FIELDS[page]?.includes(i.field)).map((i) => ({ field: "", message: i.message }));
}

export function FirstRunWizard({ onClose, now }: { onClose(result?: FirstRunResult): void; now?: Date }) {
  const styles = useStyles();
  const [stored, setStored] = useState<SyncSettings | null>(null);
  const [form, setForm] = useState<SyncForm | null>(null);
  const [choice, setChoice] = useState<Choice>("MicrosoftUpdate");
  const [file, setFile] = useState("");
  const [categories, setCategories] = useState<CategoryInfo[]>([]);
  const [connection, setConnection] = useState<Connection>({ state: "idle" });
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const [progress, setProgress] = useState<SyncRunInfo | null>(null);
  const clock = useMemo(() => now ?? new Date(), [now]);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    call("get_sync_settings", {}).then(
      (s) => {
        if (!alive.current) return;
        setStored(s);
        setForm(formFromSettings(s));
        setChoice(s.source);
      },
      (e: unknown) => alive.current && setLoadFailure(toApiFailure(e)),
    );
    return () => {
      alive.current = false;
    };
  }, []);

  const change = (patch: Partial<SyncForm>) => setForm((f) => (f ? { ...f, ...patch } : f));
  const settings = () => (form && stored ? settingsFromForm(form, stored) : null);
  // The upstream (or the file) changed: what was fetched no longer stands.
  const changeUpstream = (patch: Partial<SyncForm>) => {
    change(patch);
    setConnection({ state: "idle" });
  };

  /** The site's issues with the settings as they stand, asked once per press of Next. */
  const siteIssues = (check: WizardCheck, page: string) => {
    const s = settings();
    if (!s) return Promise.resolve([]);
    return check.once(`validate:${JSON.stringify(s)}`, () => call("validate_sync_settings", s)).then((all) => issuesOf(page, all));
  };

  /** Saves what the pages so far chose and brings the upstream's categories (or imports the file). */
  const connect = async () => {
    const s = settings();
    if (!s) return;
    setConnection({ state: "running", run: null });
    try {
      let imported: number | null = null;
      if (choice === "ImportFile") {
        await call("import_catalog_export", { path: file.trim() });
        imported = (await call("first_run_status", {})).listedUpdates;
      } else {
        const saved = await call("set_sync_settings", s);
        setStored(saved);
        const run = await syncToEnd((r) => alive.current && setConnection({ state: "running", run: r }), () => alive.current);
        if (run.state === "Failed") throw new Error(run.error ?? strings.connect.failed);
      }
      const list = await call("list_categories", {});
      if (!alive.current) return;
      setCategories(list);
      const held = new Set(list.filter((c) => c.kind === "UpdateClassification").map((c) => c.categoryId.toLowerCase()));
      setForm((f) =>
        f && f.classificationIds.length === 0 ? { ...f, classificationIds: COMMON_CLASSIFICATIONS.filter((id) => held.has(id)) } : f,
      );
      setConnection({
        state: "done",
        products: list.filter((c) => c.kind === "Product").length,
        classifications: held.size,
        imported,
      });
    } catch (e) {
      if (alive.current) setConnection({ state: "failed", failure: toApiFailure(e) });
    }
  };

  const tabProps = form && stored ? { form, stored, errors: {}, onChange: change } : null;
  const loading = <Spinner label={sync.loading} />;

  const pages: WizardPage[] = [
    {
      id: "source",
      label: strings.pages.source,
      heading: strings.headings.source,
      render: () =>
        form ? (
          <div className={styles.page}>
            <Text className={styles.intro}>{strings.source.intro}</Text>
            <Field label={strings.source.label}>
              <RadioGroup
                value={choice}
                onChange={(_, d) => {
                  const next = d.value as Choice;
                  setChoice(next);
                  changeUpstream(next === "ImportFile" ? {} : { source: next });
                }}
              >
                {(["MicrosoftUpdate", "UpstreamServer", "ParentSite", "ImportFile"] as const).map((c) => (
                  <Radio key={c} value={c} label={strings.source[c]} />
                ))}
              </RadioGroup>
            </Field>
            {(choice === "UpstreamServer" || choice === "ParentSite") && (
              <div className={styles.indent}>
                <Field label={strings.source.url} hint={strings.source.urlHint} required>
                  <Input type="url" value={form.upstreamUrl} placeholder="https://" onChange={(_, d) => changeUpstream({ upstreamUrl: d.value })} />
                </Field>
                <Checkbox
                  label={strings.source.allowPlainHttp}
                  checked={form.allowPlainHttp}
                  onChange={(_, d) => changeUpstream({ allowPlainHttp: d.checked === true })}
                />
              </div>
            )}
            {choice === "ImportFile" && (
              <CatalogPathField
                className={styles.indent}
                mode="open"
                hint={strings.source.fileHint}
                value={file}
                onChange={(path) => {
                  setFile(path);
                  setConnection({ state: "idle" });
                }}
              />
            )}
          </div>
        ) : (
          loadFailure ? <ErrorBar title={sync.properties.loadFailed} message={loadFailure.message} /> : loading
        ),
      validate: (check) => {
        if (choice === "ImportFile" && !file.trim()) return [{ field: "", message: "Give the export file's full path." }];
        return siteIssues(check, "source");
      },
      summary: () => [
        { label: strings.source.label, value: strings.source[choice] },
        ...(choice === "UpstreamServer" || choice === "ParentSite" ? [{ label: strings.source.url, value: form?.upstreamUrl ?? "" }] : []),
        ...(choice === "ImportFile" ? [{ label: strings.source.file, value: file }] : []),
      ],
    },
    {
      id: "proxy",
      label: strings.pages.proxy,
      heading: strings.headings.proxy,
      render: () =>
        form ? (
          <div className={styles.page}>
            <Text className={styles.intro}>{strings.proxy.intro}</Text>
            <Field label={strings.proxy.url} hint={strings.proxy.urlHint}>
              <Input value={form.proxyUrl} placeholder="http://" onChange={(_, d) => changeUpstream({ proxyUrl: d.value })} />
            </Field>
            <Field label={strings.proxy.ca} hint={strings.proxy.caHint}>
              <Input value={form.caCertificateFile} onChange={(_, d) => changeUpstream({ caCertificateFile: d.value })} />
            </Field>
          </div>
        ) : (
          loading
        ),
      validate: (check) => siteIssues(check, "proxy"),
      summary: () => [{ label: strings.proxy.url, value: form?.proxyUrl || sync.none }],
    },
    {
      id: "connect",
      label: strings.pages.connect,
      heading: strings.headings.connect,
      render: () => <ConnectPage connection={connection} choice={choice} onStart={() => void connect()} />,
      validate: () => (connection.state === "done" ? [] : [{ field: "", message: strings.connect.notYet }]),
    },
    {
      id: "languages",
      label: strings.pages.languages,
      heading: strings.headings.languages,
      render: () => (tabProps ? <LanguagesTab {...tabProps} /> : loading),
      validate: (check) => siteIssues(check, "languages"),
      summary: () => [{ label: strings.pages.languages, value: languageNames(form?.languages ?? []) }],
    },
    {
      id: "products",
      label: strings.pages.products,
      heading: strings.headings.products,
      render: () => (tabProps ? <ProductsTab {...tabProps} categories={categories} /> : loading),
      validate: (check) =>
        choice !== "ImportFile" && form?.productIds.length === 0
          ? [{ field: "", message: strings.productsNone }]
          : siteIssues(check, "products"),
      summary: () => [{ label: strings.pages.products, value: titles(categories, form?.productIds ?? []) }],
    },
    {
      id: "classifications",
      label: strings.pages.classifications,
      heading: strings.headings.classifications,
      render: () => (tabProps ? <ClassificationsTab {...tabProps} categories={categories} /> : loading),
      validate: (check) => siteIssues(check, "classifications"),
      summary: () => [{ label: strings.pages.classifications, value: titles(categories, form?.classificationIds ?? []) }],
    },
    {
      id: "schedule",
      label: strings.pages.schedule,
      heading: strings.headings.schedule,
      render: () => (tabProps ? <ScheduleTab {...tabProps} now={clock} /> : loading),
      validate: (check) => siteIssues(check, "schedule"),
      summary: () => {
        const s = settings();
        return s ? [{ label: strings.pages.schedule, value: scheduleText(s, clock) }] : [];
      },
    },
  ];

  const run = async (): Promise<FirstRunResult> => {
    const s = settings();
    if (!s) throw new Error(sync.properties.loadFailed);
    await call("set_sync_settings", s);
    let finished: SyncRunInfo | null = null;
    if (choice !== "ImportFile") {
      finished = await syncToEnd((r) => alive.current && setProgress(r), () => alive.current);
      if (finished.state === "Failed") throw new Error(finished.error ?? strings.completion.failed);
    }
    const status = await call("close_first_run", {});
    return { run: finished, listed: status.listedUpdates };
  };

  const close = (result?: FirstRunResult) => {
    // Cancel, or Close after a failure: either way the administrator has seen it, so it does
    // not open again by itself; Administration opens it on request. (A finished run closed it.)
    if (!result) call("close_first_run", {}).catch(() => undefined);
    onClose(result);
  };

  return (
    <WizardFrame<FirstRunResult>
      title={strings.title}
      testId="first-run-wizard"
      texts={{
        ...wizardBar,
        finish: strings.finish,
        pages: { summary: strings.pages.summary, progress: strings.pages.progress, completion: strings.pages.completion },
        running: strings.running,
        checkFailed: strings.checkFailed,
        fixErrors: strings.fixErrors,
      }}
      pages={pages}
      value={{ form, choice, file }}
      summary={{ heading: strings.headings.summary, after: choice === "ImportFile" ? <Text>{strings.summaryImport}</Text> : undefined }}
      run={run}
      progress={{
        heading: strings.headings.progress,
        body: <RunProgress run={progress} />,
      }}
      completion={{
        heading: (o) => (o.ok ? strings.completion.ok : strings.completion.failed),
        body: (o) =>
          o.ok ? (
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>{strings.completion.listed(o.value.listed)}</MessageBarBody>
            </MessageBar>
          ) : (
            <ErrorBar title={strings.completion.failedBody} message={o.failure.message} />
          ),
      }}
      onClose={close}
    />
  );
}

function titles(categories: readonly CategoryInfo[], ids: readonly string[]): string {
  if (ids.length === 0) return sync.none;
  const byId = new Map(categories.map((c) => [c.categoryId.toLowerCase(), c.title]));
  return ids.map((id) => byId.get(id) ?? id).join(", ");
}

function RunProgress({ run }: { run: SyncRunInfo | null }) {
  const done = run?.progressDone ?? 0;
  const total = run?.progressTotal ?? 0;
  return (
    <Field validationState="none" validationMessage={strings.progress.running(done, total, run?.progressMessage ?? "")}>
      <ProgressBar aria-label={strings.pages.progress} value={total > 0 ? done / total : undefined} max={1} />
    </Field>
  );
}

function ConnectPage({ connection, choice, onStart }: { connection: Connection; choice: Choice; onStart(): void }) {
  const styles = useStyles();
  // Entering the page starts the connection: there is nothing else to do here.
  useEffect(() => {
    if (connection.state === "idle") onStart();
  }, []);
  return (
    <div className={styles.page}>
      <Text className={styles.intro}>{strings.connect.intro}</Text>
      {connection.state === "running" && (
        <>
          <Text>{choice === "ImportFile" ? strings.connect.importing : strings.connect.fetching}</Text>
          <RunProgress run={connection.run} />
        </>
      )}
      {connection.state === "done" && (
        <MessageBar intent="success" layout="multiline" data-testid="first-run-connected">
          <MessageBarBody>
            {connection.imported !== null
              ? strings.connect.imported(connection.imported)
              : strings.connect.done(connection.products, connection.classifications)}
          </MessageBarBody>
        </MessageBar>
      )}
      {connection.state === "failed" && (
        <>
          <ErrorBar title={strings.connect.failed} message={connection.failure.message} />
          <div>
            <Button onClick={onStart}>{strings.connect.retry}</Button>
          </div>
        </>
      )}
    </div>
  );
}
