// Offline Servicing Settings (SRV-7; seed 004 "Specify the drive for offline servicing"):
// the drive or folder runs work in (Automatic: the site's drive) and DISM's path. OK saves
// through set_servicing_settings (audited); Cancel changes nothing.
import { useEffect, useState } from "react";
import { Button, Field, Input } from "@fluentui/react-components";
import { call } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { FormDialog } from "../../components/FormDialog";
import { MutedText } from "../../components/MutedText";
import { useDialogAction } from "../../components/useDialogAction";
import { useLoad } from "../../components/useLoad";
import { settingsStrings as t } from "./scheduleStrings";

type Settings = { servicingDrive: string; dismPath: string };

export function ServicingSettingsDialog({ onClose }: { onClose(saved: boolean): void }) {
  const loaded = useLoad<Settings>(() => call("get_servicing_settings", {}), "settings");
  const [form, setForm] = useState<Settings | null>(null);
  useEffect(() => {
    if (loaded.value && !form) setForm(loaded.value);
  }, [loaded.value, form]);
  const action = useDialogAction<Settings>(() => onClose(true));
  return (
    <FormDialog
      title={t.title}
      busy={action.busy}
      onClose={() => onClose(false)}
      surfaceTestId="servicing-settings"
      actions={
        <>
          <Button appearance="primary" disabled={!form || action.busy} onClick={() => form && void action.run(() => call("set_servicing_settings", form))}>
            {t.ok}
          </Button>
          <Button disabled={action.busy} onClick={() => onClose(false)}>
            {t.cancel}
          </Button>
        </>
      }
    >
      {loaded.failure && <ErrorBar title={t.loadFailed} message={loaded.failure.message} />}
      {!form && !loaded.failure && <MutedText>{t.loading}</MutedText>}
      {form && (
        <>
          <Field label={t.drive} hint={t.driveHint}>
            <Input value={form.servicingDrive} onChange={(_, d) => setForm({ ...form, servicingDrive: d.value })} data-testid="servicing-drive" />
          </Field>
          <Field label={t.dism} hint={t.dismHint}>
            <Input value={form.dismPath} onChange={(_, d) => setForm({ ...form, dismPath: d.value })} data-testid="servicing-dism" />
          </Field>
        </>
      )}
      {action.failure && <ErrorBar title={t.failed} message={action.failure.message} />}
    </FormDialog>
  );
}
