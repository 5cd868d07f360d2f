// Small dialogs of the content nodes: create a package, distribute one, add a distribution
// point (a folder or another patchdeck server) and content settings (CNT-2).
import { useEffect, useState } from "react";
import { Checkbox, Field, Input, Label, Radio, RadioGroup, Spinner, Textarea } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { MutedText } from "../../components/MutedText";
import { OkCancelDialog } from "../../components/OkCancelDialog";
import { useDialogAction } from "../../components/useDialogAction";
import { dpArgs, dpIssues, emptyDpForm, isPlainHttp, type DpField, type DpForm } from "./dpForm";
import { strings } from "./strings";
import type { ContentPackage, ContentSettings, DistributionPoint, DistributionStatus } from "./types";

export function CreatePackageDialog({ onClose }: { onClose(created?: ContentPackage): void }) {
  const p = strings.packages;
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const action = useDialogAction<ContentPackage>(onClose);
  return (
    <OkCancelDialog
      title={p.createTitle}
      action={action}
      texts={p}
      okDisabled={!name.trim()}
      onOk={() => void action.run(() => call("create_package", { name: name.trim(), description: description.trim() }))}
      onClose={onClose}
    >
      <Field label={p.create_name} required>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label={p.create_description}>
        <Textarea value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
    </OkCancelDialog>
  );
}

export function DistributeDialog({ pkg, onClose }: { pkg: ContentPackage; onClose(result?: DistributionStatus[]): void }) {
  return (
    <DistributePointsDialog
      name={pkg.name}
      distribute={(dpIds) => call("distribute_package", { packageId: pkg.id, dpIds })}
      onClose={onClose}
    />
  );
}

/** Distribute Content for anything the site sends to distribution points: the point picker
 * (every point chosen at first) and the call that starts the copies. */
export function DistributePointsDialog<T>({
  name,
  distribute,
  onClose,
}: {
  name: string;
  distribute(dpIds: number[]): Promise<T>;
  onClose(result?: T): void;
}) {
  const p = strings.packages;
  const [dps, setDps] = useState<DistributionPoint[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const action = useDialogAction<T>(onClose);
  useEffect(() => {
    call("list_distribution_points", {}).then(
      (list) => {
        setDps(list);
        setChosen(new Set(list.map((d) => d.id)));
      },
      (e: unknown) => setLoadFailure(toApiFailure(e)),
    );
  }, []);
  return (
    <OkCancelDialog
      title={p.distributeTitle(name)}
      action={action}
      texts={{ ...p, ok: p.distributeNow }}
      okDisabled={!dps || chosen.size === 0}
      onOk={() => void action.run(() => distribute([...chosen]))}
      onClose={onClose}
    >
      {loadFailure && <ErrorBar title={strings.dps.loadFailed} message={loadFailure.message} />}
      {/* A group, not a Field: a Field hands its one control id to every checkbox in it, and
          a click on any point's label would tick the first point. */}
      <div role="group" aria-label={p.distributeTo}>
        <Label>{p.distributeTo}</Label>
        {!dps ? (
          <Spinner size="tiny" label={strings.loading} />
        ) : dps.length === 0 ? (
          <MutedText>{p.noDps}</MutedText>
        ) : (
          dps.map((d) => (
            <Checkbox
              key={d.id}
              label={`${d.name} (${d.location})`}
              checked={chosen.has(d.id)}
              onChange={(_, v) =>
                setChosen((s) => {
                  const n = new Set(s);
                  if (v.checked === true) n.add(d.id);
                  else n.delete(d.id);
                  return n;
                })
              }
            />
          ))
        )}
      </div>
    </OkCancelDialog>
  );
}

export function AddDistributionPointDialog({ onClose }: { onClose(added?: DistributionPoint): void }) {
  const t = strings.dps;
  const [form, setForm] = useState<DpForm>(emptyDpForm);
  // Messages appear once OK was tried, or for an address as soon as it is typed.
  const [tried, setTried] = useState(false);
  const action = useDialogAction<DistributionPoint>(onClose);
  const issues = dpIssues(form);
  const shown = (field: DpField) => (tried || (field === "url" && form.url.trim() !== "") || field === "allowPlainHttp" ? issues[field] : undefined);
  const state = (field: DpField) => {
    const message = shown(field);
    return message ? { validationState: "error" as const, validationMessage: message } : {};
  };
  const change = (patch: Partial<DpForm>) => setForm((f) => ({ ...f, ...patch }));
  const ok = () => {
    setTried(true);
    if (Object.keys(issues).length === 0) void action.run(() => call("add_distribution_point", dpArgs(form)));
  };
  return (
    <OkCancelDialog title={t.addTitle} action={action} texts={t} onOk={ok} onClose={onClose}>
      <Field label={t.name} required {...state("name")}>
        <Input value={form.name} onChange={(_, d) => change({ name: d.value })} />
      </Field>
      <Field label={t.type}>
        <RadioGroup layout="horizontal" value={form.kind} onChange={(_, d) => change({ kind: d.value as DpForm["kind"] })}>
          <Radio value="Folder" label={t.typeFolder} />
          <Radio value="Remote" label={t.typeRemote} />
        </RadioGroup>
      </Field>
      {form.kind === "Folder" ? (
        <Field label={t.folder} hint={t.folderHint} required {...state("folder")}>
          <Input value={form.folder} onChange={(_, d) => change({ folder: d.value })} />
        </Field>
      ) : (
        <>
          <Field label={t.url} hint={t.urlHint} required {...state("url")}>
            <Input type="url" value={form.url} placeholder="https://" onChange={(_, d) => change({ url: d.value })} />
          </Field>
          {isPlainHttp(form.url) && (
            <Field {...state("allowPlainHttp")}>
              <Checkbox checked={form.allowPlainHttp} label={t.allowPlainHttp} onChange={(_, d) => change({ allowPlainHttp: d.checked === true })} />
            </Field>
          )}
          <Field label={t.token} hint={t.tokenHint} required {...state("token")}>
            <Input type="password" autoComplete="off" value={form.token} onChange={(_, d) => change({ token: d.value })} />
          </Field>
          <MutedText size={200}>{t.remoteNote}</MutedText>
        </>
      )}
    </OkCancelDialog>
  );
}

export function ContentSettingsDialog({ onClose }: { onClose(saved?: ContentSettings): void }) {
  const t = strings.dps;
  const [settings, setSettings] = useState<ContentSettings | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const action = useDialogAction<ContentSettings>(onClose);
  useEffect(() => {
    call("get_content_settings", {}).then(setSettings, (e: unknown) => setLoadFailure(toApiFailure(e)));
  }, []);
  return (
    <OkCancelDialog
      title={t.settingsTitle}
      action={action}
      texts={{ ...t, actionFailed: t.settingsFailed }}
      okDisabled={!settings}
      onOk={() => settings && void action.run(() => call("set_content_settings", settings))}
      onClose={onClose}
    >
      {loadFailure && <ErrorBar title={t.loadFailed} message={loadFailure.message} />}
      {settings ? (
        <>
          <Checkbox
            checked={settings.allowMicrosoftUpdateFallback}
            label={t.fallback}
            onChange={(_, d) => setSettings({ ...settings, allowMicrosoftUpdateFallback: d.checked === true })}
          />
          <MutedText size={200}>{t.fallbackHint}</MutedText>
        </>
      ) : (
        !loadFailure && <Spinner size="tiny" label={strings.loading} />
      )}
    </OkCancelDialog>
  );
}
