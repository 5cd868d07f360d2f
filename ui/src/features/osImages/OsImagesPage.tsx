// Software Library > Operating Systems > OS Images and OS Upgrade Packages (OSP-1, OSP-3):
// each item with its version, the OS version, architectures and languages of its images,
// size, the updates present and the Scheduled Updates columns (seed 004: the latest servicing
// run's date and status). Add (the wizard), Schedule Updates (its wizard), Cancel Scheduled
// Updates, Distribute Content (OSP-2), Refresh, Properties (also on double-click: General,
// Installed Updates, Servicing, Distribution), Delete. The details pane shows the item's
// summary, its images (indexes), Update Status (the updates present, each matched to the
// catalog by its article ID, and which servicing run added it), Servicing (its runs and
// their updates) and Distribution (its state on each distribution point).
import { AddRegular, CalendarClockRegular, DismissCircleRegular, ShareRegular } from "@fluentui/react-icons";
import { call } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../components/ConfirmDialog";
import type { ItemDetailsTab } from "../../components/DetailsPane";
import { ErrorBar } from "../../components/ErrorBar";
import { ItemListPage } from "../../components/ItemListPage";
import { formatBytes, formatUtc } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { PlainTable } from "../../components/PlainTable";
import { PropertyList } from "../../components/PropertyList";
import { deleteCommand, propertiesCommand, refreshCommand, rowCommand } from "../../components/rowCommands";
import { useListPage } from "../../components/useListPage";
import { useLoad } from "../../components/useLoad";
import { useOverlay } from "../../components/useOverlay";
import { DistributePointsDialog } from "../content/dialogs";
import { AddOsImageWizard } from "./AddOsImageWizard";
import { DistributionTab } from "./DistributionTab";
import { imageColumns, indexColumns, packageColumns } from "./columns";
import { listText } from "./model";
import { isPending } from "./OfflineServicingPage";
import { OsImageProperties } from "./OsImageProperties";
import { ScheduleUpdatesWizard } from "./ScheduleUpdatesWizard";
import { scheduleStrings as ss, servicingStrings as sv } from "./scheduleStrings";
import { RunUpdates } from "./ServicingViews";
import { strings } from "./strings";
import type { OsImage, OsImageDetails, OsImageKind, ServicingRun } from "./types";

const c = strings.columns;
const d = strings.details;

const readers = {
  Image: () => call("list_os_images", {}),
  UpgradePackage: () => call("list_os_upgrade_packages", {}),
};

function Summary({ image }: { image: OsImage }) {
  return (
    <PropertyList
      items={[
        { label: c.name, value: image.name },
        { label: c.version, value: image.version || strings.none },
        { label: c.comment, value: image.description || strings.none },
        { label: c.source, value: image.sourcePath },
        ...(image.kind === "UpgradePackage" ? [{ label: c.wim, value: image.wimPath }] : []),
        { label: c.osVersion, value: image.osVersion },
        { label: c.architecture, value: listText(image.architectures) },
        { label: c.languages, value: listText(image.languages) },
        { label: c.size, value: formatBytes(image.fileBytes) },
        { label: c.created, value: formatUtc(image.createdUtc) },
        { label: c.createdBy, value: image.createdBy },
      ]}
    />
  );
}

/** One item's images or updates, read from the site when shown. */
function DetailsTable({ id, show }: { id: number; show: "indexes" | "updates" }) {
  const loaded = useLoad<OsImageDetails>(() => call("get_os_image", { id }), String(id));
  if (loaded.failure) return <ErrorBar title={d.loadFailed} message={loaded.failure.message} onRetry={loaded.reload} retryLabel={strings.retry} />;
  const details = loaded.value;
  if (!details || details.image.id !== id) return <MutedText>{strings.loading}</MutedText>;
  if (show === "indexes") return <PlainTable ariaLabel={d.indexes} columns={indexColumns} rows={details.indexes} rowKey={(r) => r.index} />;
  const updates = details.packages.filter((p) => p.kb);
  return updates.length ? (
    <PlainTable ariaLabel={d.updates} columns={packageColumns} rows={updates} rowKey={(p) => `${p.index}-${p.identity}`} />
  ) : (
    <MutedText>{d.noUpdates}</MutedText>
  );
}

/** The image's servicing runs, newest first: what was scheduled and how it went. */
function ServicingTab({ image }: { image: OsImage }) {
  const key = `${image.id}|${image.scheduledUpdatesStatus ?? ""}|${image.scheduledUpdatesDate ?? ""}`;
  const loaded = useLoad<ServicingRun[]>(() => call("list_servicing_runs", { imageId: image.id }), key);
  if (loaded.failure) return <ErrorBar title={sv.loadFailed} message={loaded.failure.message} onRetry={loaded.reload} retryLabel={strings.retry} />;
  if (!loaded.value) return <MutedText>{strings.loading}</MutedText>;
  if (!loaded.value.length) return <MutedText>{sv.noRuns}</MutedText>;
  return (
    <>
      {loaded.value.map((run) => (
        <div key={run.id} data-testid="servicing-run">
          <RunUpdates run={run} />
        </div>
      ))}
    </>
  );
}

/** Distribute Content: the point picker deployment packages use, for the item's image file. */
function DistributeImageDialog({ image, onClose }: { image: OsImage; onClose(started: boolean): void }) {
  return (
    <DistributePointsDialog
      name={image.name}
      distribute={(ids) => call("distribute_os_image", { imageId: image.id, distributionPointIds: ids })}
      onClose={(started) => onClose(started !== undefined)}
    />
  );
}

const tabs: ItemDetailsTab<OsImage>[] = [
  { id: "summary", label: d.summary, render: (image) => <Summary image={image} /> },
  { id: "indexes", label: d.indexes, render: (image) => <DetailsTable id={image.id} show="indexes" /> },
  { id: "updates", label: d.updates, render: (image) => <DetailsTable id={image.id} show="updates" /> },
  { id: "servicing", label: d.servicing, render: (image) => <ServicingTab image={image} /> },
  { id: "distribution", label: d.distribution, render: (image) => <DistributionTab image={image} /> },
];

function ImagesPage({ kind }: { kind: OsImageKind }) {
  const t = strings.pages[kind];
  const page = useListPage(readers[kind]);
  const adding = useOverlay(page.load);
  const scheduling = useOverlay<OsImage>(page.load);
  const distributing = useOverlay<OsImage>(page.load);
  const properties = useOverlay<OsImage>(page.load);
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (image: OsImage) => ({
    title: t.deleteTitle,
    question: strings.deleteQuestion(kind, image.name),
    failureTitle: t.actionFailed,
    run: () => call(kind === "Image" ? "delete_os_image" : "delete_os_upgrade_package", { id: image.id }),
  }));
  const cancelling = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (image: OsImage) => ({
    title: ss.cancelTitle,
    question: ss.cancelQuestion(image.name),
    failureTitle: t.actionFailed,
    run: async () => {
      const runs = await call("list_servicing_runs", { imageId: image.id });
      const pending = runs.find(isPending);
      if (pending) await call("cancel_os_image_updates", { id: pending.id });
    },
  }));
  const needs = kind === "Image" ? { add: "add_os_image", delete: "delete_os_image" } as const : { add: "add_os_upgrade_package", delete: "delete_os_upgrade_package" } as const;
  const group = "image";
  const commands: Command[] = [
    { id: "add", needs: needs.add, label: t.add, icon: <AddRegular />, group: "create", run: () => adding.open(true) },
    rowCommand(page, { id: "schedule", label: ss.command, icon: <CalendarClockRegular />, needs: "schedule_os_image_updates", group: "servicing", run: (row: OsImage) => scheduling.open(row) }),
    rowCommand(page, {
      id: "cancelUpdates",
      label: ss.cancelCommand,
      icon: <DismissCircleRegular />,
      needs: "cancel_os_image_updates",
      group: "servicing",
      idle: true,
      allows: (row: OsImage) => row.scheduledUpdatesStatus === ss.states.InProgress || row.scheduledUpdatesStatus === ss.states.Scheduled,
      run: cancelling.ask,
    }),
    rowCommand(page, { id: "distribute", needs: "distribute_os_image", label: strings.distribute, description: strings.distributeHint, icon: <ShareRegular />, group, run: (row: OsImage) => distributing.open(row) }),
    refreshCommand(t.refresh, page),
    propertiesCommand(page, { label: strings.properties.command, group, idle: true, run: (row: OsImage) => properties.open(row) }),
    deleteCommand(page, { needs: needs.delete, label: t.delete, group, ask: deletion.ask }),
  ];
  return (
    <ItemListPage
      page={page}
      parts={{ texts: t, common: strings, columns: imageColumns, details: { texts: d, height: "40%", tabs } }}
      commands={commands}
      onActivate={(row) => properties.open(row)}
      overlays={
        <>
          {adding.value && <AddOsImageWizard kind={kind} existing={page.rows} onClose={(added) => adding.close(added !== undefined)} />}
          {scheduling.value && <ScheduleUpdatesWizard image={scheduling.value} onClose={(run) => scheduling.close(run !== undefined)} />}
          {distributing.value && <DistributeImageDialog image={distributing.value} onClose={(started) => distributing.close(started)} />}
          {properties.value && <OsImageProperties key={properties.value.id} image={properties.value} onClose={(saved) => properties.close(saved)} />}
          {deletion.dialog}
          {cancelling.dialog}
        </>
      }
    />
  );
}

export function OsImagesPage() {
  return <ImagesPage kind="Image" />;
}

export function OsUpgradePackagesPage() {
  return <ImagesPage kind="UpgradePackage" />;
}
