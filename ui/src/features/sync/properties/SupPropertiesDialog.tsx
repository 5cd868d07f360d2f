// Software Update Point Properties (SYNC-1..3, SYNC-8): the component's tabs over the
// synchronization settings, and the Clients tab over the client service settings (how
// Windows Update Agents connect). OK saves what changed and closes, Apply saves and stays,
// Cancel closes and saves nothing. The site's issues with the client settings are shown on
// their fields (validate_client_service_settings, asked before anything is saved); a refusal
// from a save is shown above the tabs; either way the dialog stays open with what was typed.
import { useEffect, useMemo, useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Tab,
  TabList,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure, type CategoryInfo, type SyncSettings } from "../../../api";
import { DeniedNote, useDenied } from "../../../components/DeniedNote";
import { ErrorBar } from "../../../components/ErrorBar";
import {
  formFromSettings,
  isDirty,
  settingsFromForm,
  validateForm,
  type FormField,
  type SyncForm,
} from "../settingsForm";
import { strings } from "../strings";
import { ClientsTab } from "./ClientsTab";
import { ClassificationsTab, LanguagesTab, ProductsTab, ScheduleTab, SyncSettingsTab } from "./tabs";
import { useClientService } from "./useClientService";

const p = strings.properties;
type TabId = keyof typeof p.tabs;
const TABS: TabId[] = ["syncSettings", "classifications", "products", "schedule", "languages", "clients"];
const TAB_OF_FIELD: Record<FormField, TabId> = {
  upstreamUrl: "syncSettings",
  languages: "languages",
  everyHours: "schedule",
  timeUtc: "schedule",
};

const useStyles = makeStyles({
  surface: { width: "min(900px, 95vw)", maxWidth: "95vw", height: "min(720px, 90vh)" },
  body: { height: "100%", gridTemplateRows: "auto minmax(0, 1fr) auto" },
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minHeight: 0, overflow: "hidden", padding: 0 },
  tabs: { flexShrink: 0 },
  panel: { overflow: "auto", minHeight: 0, flexGrow: 1, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}` },
});

export interface SupPropertiesDialogProps {
  onClose(): void;
  /** After each successful save (OK or Apply), with what the site stored. */
  onSaved?(settings: SyncSettings): void;
  /** The clock the schedule's local-time hint uses (tests pass a fixed one). */
  now?: Date;
}

export function SupPropertiesDialog({ onClose, onSaved, now }: SupPropertiesDialogProps) {
  const styles = useStyles();
  const [stored, setStored] = useState<SyncSettings | null>(null);
  const [form, setForm] = useState<SyncForm | null>(null);
  const [categories, setCategories] = useState<CategoryInfo[]>([]);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const [categoriesFailure, setCategoriesFailure] = useState<ApiFailure | null>(null);
  const [saveFailure, setSaveFailure] = useState<ApiFailure | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [saving, setSaving] = useState(false);
  const [tab, setTab] = useState<TabId>("syncSettings");
  const denied = useDenied("set_sync_settings");
  const [attempt, setAttempt] = useState(0);
  const clock = useMemo(() => now ?? new Date(), [now]);
  const clients = useClientService(attempt);

  useEffect(() => {
    let live = true;
    setLoadFailure(null);
    call("get_sync_settings", {}).then(
      (s) => {
        if (!live) return;
        setStored(s);
        setForm(formFromSettings(s));
      },
      (e: unknown) => live && setLoadFailure(toApiFailure(e)),
    );
    call("list_categories", {}).then(
      (list) => {
        if (!live) return;
        setCategories(list);
        setCategoriesFailure(null);
      },
      (e: unknown) => live && setCategoriesFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const errors = useMemo(() => (form ? validateForm(form) : {}), [form]);
  const hasErrors = Object.keys(errors).length > 0;
  const dirty = form !== null && stored !== null && isDirty(form, stored);

  const change = (patch: Partial<SyncForm>) => setForm((f) => (f ? { ...f, ...patch } : f));

  /** Saves the form; true when the site accepted it (or there was nothing to save). */
  const save = async (): Promise<boolean> => {
    if (!form || !stored) return false;
    if (hasErrors) {
      setShowErrors(true);
      const first = Object.keys(errors)[0] as FormField;
      setTab(TAB_OF_FIELD[first]);
      return false;
    }
    if (clients.hasFormErrors) {
      setShowErrors(true);
      setTab("clients");
      return false;
    }
    if (!dirty && !clients.dirty) return true;
    setSaving(true);
    setSaveFailure(null);
    try {
      if (clients.dirty && !(await clients.check())) {
        setTab("clients");
        return false;
      }
      if (dirty) {
        const saved = await call("set_sync_settings", settingsFromForm(form, stored));
        setStored(saved);
        setForm(formFromSettings(saved));
        onSaved?.(saved);
      }
      if (clients.dirty) await clients.save();
      setShowErrors(false);
      return true;
    } catch (e) {
      setSaveFailure(toApiFailure(e));
      return false;
    } finally {
      setSaving(false);
    }
  };

  const ok = async () => {
    if (await save()) onClose();
  };

  const tabProps = form && stored ? { form, stored, errors, onChange: change } : null;

  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && !saving && onClose()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <DialogBody className={styles.body}>
          <DialogTitle>{p.title}</DialogTitle>
          <DialogContent className={styles.content}>
            <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabId)}>
              {TABS.map((t) => (
                <Tab key={t} value={t}>
                  {p.tabs[t]}
                </Tab>
              ))}
            </TabList>
            {loadFailure && (
              <ErrorBar
                title={p.loadFailed}
                message={loadFailure.message}
                onRetry={() => setAttempt((a) => a + 1)}
                retryLabel={strings.retry}
              />
            )}
            {saveFailure && (
              <ErrorBar
                title={p.saveFailed}
                message={saveFailure.message}
                onDismiss={() => setSaveFailure(null)}
                dismissLabel={strings.dismiss}
              />
            )}
            {showErrors && (hasErrors || clients.hasFormErrors) && !saveFailure && <ErrorBar title={p.saveFailed} message={p.fixErrors} />}
            {clients.loadFailure && tab === "clients" && (
              <ErrorBar
                title={p.clientsLoadFailed}
                message={clients.loadFailure.message}
                onRetry={() => setAttempt((a) => a + 1)}
                retryLabel={strings.retry}
              />
            )}
            {categoriesFailure && (tab === "products" || tab === "classifications") && (
              <ErrorBar
                title={p.categoriesFailed}
                message={categoriesFailure.message}
                onRetry={() => setAttempt((a) => a + 1)}
                retryLabel={strings.retry}
              />
            )}
            <div role="tabpanel" aria-label={p.tabs[tab]} className={styles.panel}>
              {!tabProps && !loadFailure && <Spinner label={strings.loading} />}
              {tabProps && (
                <>
                  {tab === "syncSettings" && <SyncSettingsTab {...tabProps} />}
                  {tab === "classifications" && <ClassificationsTab {...tabProps} categories={categories} />}
                  {tab === "products" && <ProductsTab {...tabProps} categories={categories} />}
                  {tab === "schedule" && <ScheduleTab {...tabProps} now={clock} />}
                  {tab === "languages" && <LanguagesTab {...tabProps} />}
                  {tab === "clients" && clients.form && <ClientsTab form={clients.form} errors={clients.errors} onChange={clients.change} />}
                  {tab === "clients" && !clients.form && !clients.loadFailure && <Spinner label={strings.loading} />}
                </>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            {saving && <Spinner size="tiny" label={p.saving} />}
            <DeniedNote reason={denied} />
            <Button appearance="primary" disabled={!form || saving || !!denied} onClick={() => void ok()}>
              {p.ok}
            </Button>
            <Button disabled={saving} onClick={onClose}>
              {p.cancel}
            </Button>
            <Button disabled={!(dirty || clients.dirty) || saving || !!denied} onClick={() => void save()}>
              {p.apply}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
