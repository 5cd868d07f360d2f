// Third-party storage (TPU-2): the largest total size of third-party content, in MB, with
// what is used and the free space of the site's disk. An upload over it is refused by the
// site before any byte is stored; the site checks the range and its refusal shows above.
import { useState } from "react";
import { Field, SpinButton } from "@fluentui/react-components";
import { call } from "../../api";
import { formatBytes } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { OkCancelDialog } from "../../components/OkCancelDialog";
import { useDialogAction } from "../../components/useDialogAction";
import { strings } from "./strings";
import type { PublishingSettings, PublishingStorage } from "./types";

export function StorageDialog({ storage, onClose }: { storage: PublishingStorage; onClose(saved?: PublishingSettings): void }) {
  const t = strings.storage;
  const [quotaMb, setQuotaMb] = useState(storage.settings.storageQuotaMb);
  const action = useDialogAction<PublishingSettings>(onClose);
  return (
    <OkCancelDialog
      title={t.title}
      action={action}
      texts={t}
      onOk={() => void action.run(() => call("set_publishing_settings", { storageQuotaMb: quotaMb }))}
      onClose={onClose}
    >
      <Field label={t.quota} hint={t.quotaHint}>
        <SpinButton
          value={quotaMb}
          min={1}
          step={1024}
          onChange={(_, d) => {
            const n = d.value ?? Number.parseInt(d.displayValue ?? "", 10);
            if (Number.isFinite(n)) setQuotaMb(n as number);
          }}
        />
      </Field>
      <MutedText size={200}>{t.used(formatBytes(storage.usedBytes), storage.freeBytes === null ? null : formatBytes(storage.freeBytes))}</MutedText>
    </OkCancelDialog>
  );
}
