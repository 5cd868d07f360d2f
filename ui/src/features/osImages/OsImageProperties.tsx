// Properties of an OS image or OS upgrade package (seeds 003 and 004): General (name,
// version and comment, editable and saved by edit_os_image; the source, the file, its size
// and the image indexes read-only), Installed Updates (what the image holds: present at
// import or applied by a servicing run, with when), Servicing (its runs, each with a link to
// its logs in Monitoring › Offline Servicing) and Distribution (its state on each point).
// OK saves and closes, Apply saves and stays, Cancel closes and saves nothing.
import { useMemo, useRef, useState } from "react";
import { Button, Field, Input, Link, Spinner, Textarea } from "@fluentui/react-components";
import { useNavigateTo } from "../../app/navigate";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { DeniedNote, useDenied } from "../../components/DeniedNote";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes, formatUtc } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../components/PlainTable";
import { PropertyList } from "../../components/PropertyList";
import { TabbedDialog, type DialogTab } from "../../components/TabbedDialog";
import { useLoad } from "../../components/useLoad";
import { indexColumns } from "./columns";
import { DistributionTab } from "./DistributionTab";
import { listText } from "./model";
import { scheduleStrings as ss, servicingStrings as sv } from "./scheduleStrings";
import { strings } from "./strings";
import type { OsImage, OsImageDetails, OsImagePackage, ServicingRun } from "./types";

const p = strings.properties;
const c = strings.columns;

type TabId = keyof typeof p.tabs;
const TABS: DialogTab<TabId>[] = (Object.keys(p.tabs) as TabId[]).map((id) => ({ id, label: p.tabs[id] }));

interface GeneralForm {
  name: string;
  version: string;
  comment: string;
}

const formOf = (image: OsImage): GeneralForm => ({ name: image.name, version: image.version, comment: image.description });

export const offlineServicingNode = { workspace: "monitoring", node: "monitoring.offlineServicing" } as const;

export interface OsImagePropertiesProps {
  image: OsImage;
  /** True when OK or Apply stored a change. */
  onClose(saved: boolean): void;
}

export function OsImageProperties({ image, onClose }: OsImagePropertiesProps) {
  const [stored, setStored] = useState(image);
  const saved = useRef(false);
  const [form, setForm] = useState<GeneralForm>(() => formOf(image));
  const [tab, setTab] = useState<TabId>("general");
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [nameIssue, setNameIssue] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const denied = useDenied("edit_os_image");
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(formOf(stored)), [form, stored]);
  const details = useLoad<OsImageDetails>(() => call("get_os_image", { id: image.id }), String(image.id));

  /** Saves General; true when the site accepted it (or nothing changed). */
  const save = async (): Promise<boolean> => {
    if (!dirty) return true;
    setFailure(null);
    if (!form.name.trim()) {
      setNameIssue(p.nameRequired);
      setTab("general");
      return false;
    }
    setSaving(true);
    try {
      const result = await call("edit_os_image", { id: stored.id, name: form.name, version: form.version, comment: form.comment });
      setStored(result.image);
      setForm(formOf(result.image));
      saved.current = true;
      return true;
    } catch (e) {
      setFailure(toApiFailure(e));
      setTab("general");
      return false;
    } finally {
      setSaving(false);
    }
  };

  const close = () => !saving && onClose(saved.current);
  const change = (patch: Partial<GeneralForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (patch.name !== undefined) setNameIssue(null);
  };

  return (
    <TabbedDialog<TabId>
      title={p.title(stored.name)}
      tabs={TABS}
      tab={tab}
      onTabChange={setTab}
      onClose={close}
      actions={
        <>
          {saving && <Spinner size="tiny" label={p.saving} />}
          <DeniedNote reason={denied} />
          <Button appearance="primary" disabled={saving || (dirty && !!denied)} onClick={() => void save().then((ok) => ok && onClose(saved.current))}>
            {p.ok}
          </Button>
          <Button disabled={saving} onClick={close}>
            {p.cancel}
          </Button>
          <Button disabled={!dirty || saving || !!denied} onClick={() => void save()}>
            {p.apply}
          </Button>
        </>
      }
    >
      {failure && <ErrorBar title={p.saveFailed} message={failure.message} onDismiss={() => setFailure(null)} dismissLabel={strings.dismiss} />}
      {details.failure && tab !== "servicing" && tab !== "distribution" && (
        <ErrorBar title={strings.details.loadFailed} message={details.failure.message} onRetry={details.reload} retryLabel={strings.retry} />
      )}
      {tab === "general" && <GeneralTab image={stored} form={form} nameIssue={nameIssue} readOnly={!!denied} onChange={change} details={details.value} />}
      {tab === "installed" && <InstalledUpdatesTab details={details.value} />}
      {tab === "servicing" && <ServicingRunsTab image={stored} onOpenLog={() => onClose(saved.current)} />}
      {tab === "distribution" && <DistributionTab image={stored} />}
    </TabbedDialog>
  );
}

function GeneralTab(props: { image: OsImage; form: GeneralForm; nameIssue: string | null; readOnly: boolean; onChange(patch: Partial<GeneralForm>): void; details: OsImageDetails | null }) {
  const { image, form, onChange } = props;
  return (
    <>
      <Field label={p.name} required validationState={props.nameIssue ? "error" : undefined} validationMessage={props.nameIssue ?? undefined}>
        <Input value={form.name} readOnly={props.readOnly} maxLength={200} onChange={(_, d) => onChange({ name: d.value })} />
      </Field>
      <Field label={p.version}>
        <Input value={form.version} readOnly={props.readOnly} maxLength={100} onChange={(_, d) => onChange({ version: d.value })} />
      </Field>
      <Field label={p.comment}>
        <Textarea value={form.comment} readOnly={props.readOnly} maxLength={1000} resize="vertical" onChange={(_, d) => onChange({ comment: d.value })} />
      </Field>
      <PropertyList
        items={[
          { label: c.source, value: image.sourcePath },
          ...(image.kind === "UpgradePackage" ? [{ label: c.wim, value: image.wimPath }] : []),
          { label: c.size, value: formatBytes(image.fileBytes) },
          { label: c.osVersion, value: image.osVersion },
          { label: c.architecture, value: listText(image.architectures) },
          { label: c.languages, value: listText(image.languages) },
          { label: c.created, value: formatUtc(image.createdUtc) },
          { label: c.createdBy, value: image.createdBy },
        ]}
      />
      {props.details ? (
        <PlainTable ariaLabel={p.images} columns={indexColumns} rows={props.details.indexes} rowKey={(r) => r.index} size="small" />
      ) : (
        <MutedText>{strings.loading}</MutedText>
      )}
    </>
  );
}

const ic = p.installedColumns;
const installedColumns: PlainColumn<OsImagePackage>[] = [
  { id: "kb", header: ic.kb, width: "100px", render: (u) => u.kb ?? "" },
  { id: "title", header: ic.title, render: (u) => u.catalog[0]?.title ?? strings.notInCatalog, title: (u) => u.identity },
  { id: "index", header: ic.index, width: "60px", render: (u) => u.index },
  { id: "added", header: ic.added, width: "150px", render: (u) => formatUtc(u.addedUtc) },
  { id: "by", header: ic.by, width: "140px", render: (u) => (u.servicingRun === null ? strings.atImport : p.run(u.servicingRun)) },
];

/** Every update the image holds: present at import, or applied since by a servicing run. */
function InstalledUpdatesTab({ details }: { details: OsImageDetails | null }) {
  if (!details) return <MutedText>{strings.loading}</MutedText>;
  const updates = details.packages.filter((u) => u.kb);
  if (!updates.length) return <MutedText>{p.noInstalled}</MutedText>;
  return <PlainTable ariaLabel={p.tabs.installed} columns={installedColumns} rows={updates} rowKey={(u) => `${u.index}-${u.identity}`} rowData={(u) => ({ "data-kb": u.kb ?? "" })} />;
}

/** The image's servicing runs, newest first, each opening its logs in Monitoring. */
function ServicingRunsTab({ image, onOpenLog }: { image: OsImage; onOpenLog(): void }) {
  const navigate = useNavigateTo();
  const loaded = useLoad<ServicingRun[]>(() => call("list_servicing_runs", { imageId: image.id }), String(image.id));
  if (loaded.failure) return <ErrorBar title={sv.loadFailed} message={loaded.failure.message} onRetry={loaded.reload} retryLabel={strings.retry} />;
  if (!loaded.value) return <MutedText>{strings.loading}</MutedText>;
  if (!loaded.value.length) return <MutedText>{sv.noRuns}</MutedText>;
  const rc = p.runColumns;
  const columns: PlainColumn<ServicingRun>[] = [
    { id: "run", header: rc.run, width: "60px", render: (r) => r.id },
    { id: "scheduled", header: rc.scheduled, width: "150px", render: (r) => formatUtc(r.scheduledUtc) },
    { id: "state", header: rc.state, width: "100px", render: (r) => ss.states[r.state] },
    { id: "finished", header: rc.finished, width: "150px", render: (r) => formatUtc(r.finishedUtc) },
    { id: "updates", header: rc.updates, width: "70px", render: (r) => r.updates.length },
    { id: "detail", header: rc.detail, render: (r) => r.detail, title: (r) => r.detail || undefined },
    {
      id: "log",
      header: rc.log,
      width: "90px",
      render: (r) => (
        <Link
          title={p.viewLogHint(r.id)}
          onClick={() => {
            onOpenLog();
            navigate(offlineServicingNode.workspace, offlineServicingNode.node, { run: String(r.id) });
          }}
        >
          {p.viewLog}
        </Link>
      ),
    },
  ];
  return <PlainTable ariaLabel={p.tabs.servicing} columns={columns} rows={loaded.value} rowKey={(r) => r.id} rowData={(r) => ({ "data-state": r.state })} />;
}
