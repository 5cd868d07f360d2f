// Computer Settings (WSUS Options > Computers, ConfigMgr's client activity threshold): who
// assigns computers to collections, and after how many silent days a computer is stale.
// The site checks the range; its refusal shows above the form.
import { useEffect, useState } from "react";
import { Field, Radio, RadioGroup, SpinButton, Spinner } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { MutedText } from "../../components/MutedText";
import { OkCancelDialog } from "../../components/OkCancelDialog";
import { useDialogAction } from "../../components/useDialogAction";
import { strings } from "./strings";
import type { ComputerSettings } from "./types";

export function ComputerSettingsDialog({ onClose }: { onClose(saved?: ComputerSettings): void }) {
  const t = strings.settings;
  const [settings, setSettings] = useState<ComputerSettings | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const action = useDialogAction<ComputerSettings>(onClose);
  useEffect(() => {
    call("get_computer_settings", {}).then(setSettings, (e: unknown) => setLoadFailure(toApiFailure(e)));
  }, []);
  return (
    <OkCancelDialog
      title={t.title}
      action={action}
      texts={t}
      okDisabled={!settings}
      onOk={() => settings && void action.run(() => call("set_computer_settings", settings))}
      onClose={onClose}
    >
      {loadFailure && <ErrorBar title={t.loadFailed} message={loadFailure.message} />}
      {settings ? (
        <>
          <Field label={t.targeting}>
            <RadioGroup
              value={settings.targeting}
              onChange={(_, d) => setSettings({ ...settings, targeting: d.value === "Client" ? "Client" : "Server" })}
            >
              <Radio value="Server" label={t.server} />
              <Radio value="Client" label={t.client} />
            </RadioGroup>
          </Field>
          <MutedText size={200}>{settings.targeting === "Client" ? t.clientHint : t.serverHint}</MutedText>
          <Field label={t.stale} hint={t.staleHint}>
            <SpinButton
              value={settings.staleAfterDays}
              min={1}
              max={365}
              onChange={(_, d) => {
                const n = d.value ?? Number.parseInt(d.displayValue ?? "", 10);
                if (Number.isFinite(n)) setSettings({ ...settings, staleAfterDays: n as number });
              }}
            />
          </Field>
        </>
      ) : (
        !loadFailure && <Spinner size="tiny" label={strings.loading} />
      )}
    </OkCancelDialog>
  );
}
