// Software Library > Software Updates > Third-party Updates (TPU-1..3): the updates published
// at this site, with Upload Update (the wizard), Edit (a new revision), Delete (refused by the
// site while approved or deployed), Export Certificate (the publishing certificate as a
// .cer, for clients' Trusted Publishers) and Storage Settings (the third-party storage
// quota, TPU-2). The heading says how much of the quota is used. Published updates are
// also listed in All Software Updates.
import { useCallback, useState } from "react";
import { Text } from "@fluentui/react-components";
import { ArrowUploadRegular, CertificateRegular, EditRegular, StorageRegular } from "@fluentui/react-icons";
import { call } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../components/ConfirmDialog";
import type { DataGridColumn } from "../../components/DataGrid";
import type { ItemDetailsTab } from "../../components/DetailsPane";
import { ItemListPage } from "../../components/ItemListPage";
import { formatBytes, formatUtc } from "../../components/format";
import { PropertyList } from "../../components/PropertyList";
import { deleteCommand, refreshCommand, rowCommand } from "../../components/rowCommands";
import { useListPage } from "../../components/useListPage";
import { useOverlay } from "../../components/useOverlay";
import { ruleText } from "./model";
import { strings } from "./strings";
import type { PublishingStorage, ThirdPartyUpdate } from "./types";
import { CertificateDialog } from "./CertificateDialog";
import { StorageDialog } from "./StorageDialog";
import { UploadWizard } from "./UploadWizard";

const t = strings.list;
const c = t.columns;
const readUpdates = () => call("list_third_party_updates", {});

const kindText = (kind: string) => t.kind[kind] ?? kind;

export const thirdPartyColumns: readonly DataGridColumn<ThirdPartyUpdate>[] = [
  { id: "title", header: c.title, width: 280, render: (r) => r.title, title: (r) => r.title },
  { id: "vendor", header: c.vendor, width: 140, render: (r) => r.vendor },
  { id: "product", header: c.product, width: 160, render: (r) => r.product },
  { id: "classification", header: c.classification, width: 140, render: (r) => r.classification },
  { id: "kind", header: c.kind, width: 170, render: (r) => kindText(r.installerKind) },
  { id: "revision", header: c.revision, width: 80, align: "end", render: (r) => String(r.revision) },
  { id: "size", header: c.size, width: 90, align: "end", render: (r) => formatBytes(r.size) },
  { id: "approvals", header: c.approvals, width: 90, align: "end", render: (r) => String(r.assignments) },
  { id: "published", header: c.published, width: 150, render: (r) => formatUtc(r.publishedUtc), title: (r) => r.publishedUtc },
];

const tabs: ItemDetailsTab<ThirdPartyUpdate>[] = [
  {
    id: "summary",
    label: t.details.summary,
    render: (u) => (
      <PropertyList
        items={[
          { label: c.title, value: u.title },
          { label: t.details.updateId, value: u.updateId },
          { label: c.vendor, value: u.vendor },
          { label: c.product, value: u.product },
          { label: c.classification, value: u.classification },
          { label: t.details.installerFile, value: `${u.installerFile} (${kindText(u.installerKind)})` },
          ...(u.installerKind === "Executable" ? [{ label: strings.wizard.summary.detection, value: ruleText(u.spec.detection) }] : []),
          { label: t.details.arguments, value: u.spec.arguments || strings.none },
          { label: c.size, value: formatBytes(u.size) },
          { label: c.revision, value: String(u.revision) },
          { label: t.details.publishedBy, value: `${u.publishedBy}, ${formatUtc(u.publishedUtc)}` },
        ]}
      />
    ),
  },
];

/** Saves the certificate's DER bytes as a .cer file through the browser. */
function saveCer(base64: string, name: string) {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/pkix-cert" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ThirdPartyPage() {
  const [storage, setStorage] = useState<PublishingStorage | null>(null);
  const readStorage = useCallback(() => {
    call("get_publishing_storage", {}).then(setStorage, () => undefined);
  }, []);
  const page = useListPage(readUpdates, readStorage);
  const { act, load } = page;
  const uploading = useOverlay<{ editing?: ThirdPartyUpdate }>(load);
  const storageSettings = useOverlay<PublishingStorage>(load);
  const importing = useOverlay<true>(load);
  const deletion = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (u: ThirdPartyUpdate) => ({
    title: t.deleteTitle,
    question: t.deleteQuestion(u.title),
    failureTitle: t.actionFailed,
    run: () => call("delete_third_party_update", { updateId: u.updateId }),
  }));
  const group = "update";

  const commands: Command[] = [
    {
      id: "upload",
      needs: "publish_third_party_update",
      label: t.upload,
      description: t.uploadHint,
      icon: <ArrowUploadRegular />,
      group: "create",
      run: () => uploading.open({}),
    },
    refreshCommand(t.refresh, page),
    rowCommand(page, {
      id: "edit",
      needs: "edit_third_party_update",
      label: t.edit,
      description: t.editHint,
      icon: <EditRegular />,
      group,
      run: (u) => uploading.open({ editing: u }),
    }),
    deleteCommand(page, { needs: "delete_third_party_update", label: t.delete, group, ask: deletion.ask }),
    {
      id: "certificate",
      needs: "export_publishing_certificate",
      label: t.exportCertificate,
      description: t.exportHint,
      icon: <CertificateRegular />,
      group: "certificate",
      run: () =>
        void act(async () => {
          const cert = await call("export_publishing_certificate", {});
          saveCer(cert.cerBase64, "patchdeck-publisher.cer");
        }),
    },
    {
      id: "import-certificate",
      needs: "import_publishing_certificate",
      label: strings.certificate.command,
      description: strings.certificate.hint,
      icon: <CertificateRegular />,
      group: "certificate",
      run: () => importing.open(true),
    },
    {
      id: "storage",
      needs: "set_publishing_settings",
      label: t.storageSettings,
      description: t.storageHint,
      icon: <StorageRegular />,
      group: "certificate",
      disabled: !storage,
      run: () => storage && storageSettings.open(storage),
    },
  ];

  const storageText =
    storage &&
    t.storage(
      formatBytes(storage.usedBytes),
      formatBytes(storage.settings.storageQuotaMb * 1024 * 1024),
      storage.freeBytes === null ? null : formatBytes(storage.freeBytes),
    );

  return (
    <ItemListPage
      page={page}
      parts={{ texts: t, common: strings, columns: thirdPartyColumns, details: { texts: t.details, height: "40%", tabs } }}
      commands={commands}
      headingExtra={storageText ? <Text size={200} data-testid="third-party-storage">{storageText}</Text> : undefined}
      overlays={
        <>
          {uploading.value && <UploadWizard editing={uploading.value.editing} onClose={uploading.close} />}
          {storageSettings.value && <StorageDialog storage={storageSettings.value} onClose={storageSettings.close} />}
          {importing.value && <CertificateDialog onClose={importing.close} />}
          {deletion.dialog}
        </>
      }
    />
  );
}
