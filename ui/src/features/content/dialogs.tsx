// Small dialogs of the content nodes: create a package, distribute one, add a distribution
// point (a folder or another patchdeck server) and content settings (CNT-2).
import { useEffect, useState, type ReactNode } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { FormDialog } from "../../components/FormDialog";
import { dpArgs, dpIssues, emptyDpForm, isPlainHttp, type DpField, type DpForm } from "./dpForm";
import { strings } from "./strings";
import type { ContentPackage, ContentSettings, DistributionPoint, DistributionStatus } from "./types";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  hint: { color: tokens.colorNeutralForeground3 },
});

function Shell(props: { title: string; children: ReactNode; busy: boolean; okLabel: string; cancelLabel: string; okDisabled?: boolean; onOk(): void; onCancel(): void }) {
  const styles = useStyles();
  return (
    <FormDialog
      title={props.title}
      busy={props.busy}
      onClose={props.onCancel}
      contentClassName={styles.content}
      actions={
        <>
          {props.busy && <Spinner size="tiny" />}
          <Button appearance="primary" disabled={props.busy || props.okDisabled} onClick={props.onOk}>
            {props.okLabel}
          </Button>
          <Button disabled={props.busy} onClick={props.onCancel}>
            {props.cancelLabel}
          </Button>
        </>
      }
    >
      {props.children}
    </FormDialog>
  );
}

/** Runs `action`; keeps the dialog open with the site's message when it is refused. */
function useAction<T>(onDone: (value: T) => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const run = async (action: () => Promise<T>) => {
    setBusy(true);
    setFailure(null);
    try {
      onDone(await action());
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, run };
}

export function CreatePackageDialog({ onClose }: { onClose(created?: ContentPackage): void }) {
  const p = strings.packages;
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const action = useAction<ContentPackage>(onClose);
  return (
    <Shell
      title={p.createTitle}
      busy={action.busy}
      okLabel={p.ok}
      cancelLabel={p.cancel}
      okDisabled={!name.trim()}
      onOk={() => void action.run(() => call("create_package", { name: name.trim(), description: description.trim() }))}
      onCancel={() => onClose()}
    >
      {action.failure && <ErrorBar title={p.actionFailed} message={action.failure.message} />}
      <Field label={p.create_name} required>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label={p.create_description}>
        <Textarea value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
    </Shell>
  );
}

export function DistributeDialog({ pkg, onClose }: { pkg: ContentPackage; onClose(result?: DistributionStatus[]): void }) {
  const p = strings.packages;
  const styles = useStyles();
  const [dps, setDps] = useState<DistributionPoint[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const action = useAction<DistributionStatus[]>(onClose);
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
    <Shell
      title={p.distributeTitle(pkg.name)}
      busy={action.busy}
      okLabel={p.distributeNow}
      cancelLabel={p.cancel}
      okDisabled={!dps || chosen.size === 0}
      onOk={() => void action.run(() => call("distribute_package", { packageId: pkg.id, dpIds: [...chosen] }))}
      onCancel={() => onClose()}
    >
      {loadFailure && <ErrorBar title={strings.dps.loadFailed} message={loadFailure.message} />}
      {action.failure && <ErrorBar title={p.actionFailed} message={action.failure.message} />}
      <Field label={p.distributeTo}>
        {!dps ? (
          <Spinner size="tiny" label={strings.loading} />
        ) : dps.length === 0 ? (
          <Text className={styles.hint}>{p.noDps}</Text>
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
      </Field>
    </Shell>
  );
}

export function AddDistributionPointDialog({ onClose }: { onClose(added?: DistributionPoint): void }) {
  const t = strings.dps;
  const styles = useStyles();
  const [form, setForm] = useState<DpForm>(emptyDpForm);
  // Messages appear once OK was tried, or for an address as soon as it is typed.
  const [tried, setTried] = useState(false);
  const action = useAction<DistributionPoint>(onClose);
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
    <Shell title={t.addTitle} busy={action.busy} okLabel={t.ok} cancelLabel={t.cancel} onOk={ok} onCancel={() => onClose()}>
      {action.failure && <ErrorBar title={t.actionFailed} message={action.failure.message} />}
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
          <Text size={200} className={styles.hint}>
            {t.remoteNote}
          </Text>
        </>
      )}
    </Shell>
  );
}

export function ContentSettingsDialog({ onClose }: { onClose(saved?: ContentSettings): void }) {
  const t = strings.dps;
  const styles = useStyles();
  const [settings, setSettings] = useState<ContentSettings | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const action = useAction<ContentSettings>(onClose);
  useEffect(() => {
    call("get_content_settings", {}).then(setSettings, (e: unknown) => setLoadFailure(toApiFailure(e)));
  }, []);
  return (
    <Shell
      title={t.settingsTitle}
      busy={action.busy}
      okLabel={t.ok}
      cancelLabel={t.cancel}
      okDisabled={!settings}
      onOk={() => settings && void action.run(() => call("set_content_settings", settings))}
      onCancel={() => onClose()}
    >
      {loadFailure && <ErrorBar title={t.loadFailed} message={loadFailure.message} />}
      {action.failure && <ErrorBar title={t.settingsFailed} message={action.failure.message} />}
      {settings ? (
        <>
          <Checkbox
            checked={settings.allowMicrosoftUpdateFallback}
            label={t.fallback}
            onChange={(_, d) => setSettings({ ...settings, allowMicrosoftUpdateFallback: d.checked === true })}
          />
          <Text size={200} className={styles.hint}>
            {t.fallbackHint}
          </Text>
        </>
      ) : (
        !loadFailure && <Spinner size="tiny" label={strings.loading} />
      )}
    </Shell>
  );
}
