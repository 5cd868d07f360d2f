// Saved searches of All Software Updates (LIB-2): pick one to apply its filters, save the
// current filters under a name (the same name replaces), delete the picked one.
import { useCallback, useEffect, useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Option,
  Tooltip,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { DeleteRegular, SaveRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type Commands } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { buildQuery, filtersFromQuery, pageQuery, type UpdateFilterState } from "./query";
import { strings } from "./strings";

type SavedSearch = Commands["list_saved_searches"]["result"][number];
const f = strings.filters;

const useStyles = makeStyles({
  row: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalXS },
  dropdown: { minWidth: "200px", maxWidth: "260px" },
});

export function SavedSearches(props: { filters: UpdateFilterState; onApply(filters: UpdateFilterState): void }) {
  const { filters, onApply } = props;
  const styles = useStyles();
  const [searches, setSearches] = useState<SavedSearch[]>([]);
  const [picked, setPicked] = useState<SavedSearch | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    call("list_saved_searches", {}).then(
      (list) => setSearches([...list].sort((a, b) => a.name.localeCompare(b.name))),
      (e: unknown) => setFailure(toApiFailure(e)),
    );
  }, []);
  useEffect(load, [load]);

  const remove = async () => {
    if (!picked) return;
    try {
      await call("delete_saved_search", { id: picked.id });
      setPicked(null);
      load();
    } catch (e) {
      setFailure(toApiFailure(e));
    }
  };

  return (
    <>
      <div className={styles.row}>
        <Field label={f.savedSearches} size="small">
          <Dropdown
            className={styles.dropdown}
            size="small"
            aria-label={f.savedSearches}
            placeholder={searches.length === 0 ? f.noSavedSearches : f.savedSearchPlaceholder}
            value={picked?.name ?? ""}
            selectedOptions={picked ? [String(picked.id)] : []}
            onOptionSelect={(_, d) => {
              const s = searches.find((x) => String(x.id) === d.optionValue) ?? null;
              setPicked(s);
              if (s) onApply(filtersFromQuery(s.query));
            }}
          >
            {searches.map((s) => (
              <Option key={s.id} value={String(s.id)}>
                {s.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Tooltip content={f.deleteSearch} relationship="label">
          <Button size="small" appearance="subtle" icon={<DeleteRegular />} disabled={!picked} onClick={remove} />
        </Tooltip>
        <Button size="small" icon={<SaveRegular />} onClick={() => setSaving(true)}>
          {f.saveSearch}
        </Button>
      </div>
      {failure && (
        <ErrorBar title={f.savedSearchFailed} message={failure.message} onDismiss={() => setFailure(null)} dismissLabel={strings.dismiss} />
      )}
      {saving && (
        <SaveSearchDialog
          filters={filters}
          initialName={picked?.name ?? ""}
          onClose={(saved) => {
            setSaving(false);
            if (saved) {
              setPicked(saved);
              load();
            }
          }}
        />
      )}
    </>
  );
}

function SaveSearchDialog(props: { filters: UpdateFilterState; initialName: string; onClose(saved: SavedSearch | null): void }) {
  const { filters, initialName, onClose } = props;
  const [name, setName] = useState(initialName);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (name.trim() === "") return;
    setBusy(true);
    try {
      onClose(await call("save_search", { name: name.trim(), query: pageQuery(buildQuery(filters, null), 0, 0) }));
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && onClose(null)}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{f.saveSearchTitle}</DialogTitle>
          <DialogContent>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              <Field label={f.saveSearchName} hint={f.saveSearchHint} required>
                <Input value={name} autoFocus onChange={(_, d) => setName(d.value)} />
              </Field>
            </form>
            {failure && <ErrorBar title={f.savedSearchFailed} message={failure.message} />}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy || name.trim() === ""} onClick={save}>
              {f.save}
            </Button>
            <Button onClick={() => onClose(null)}>{f.cancel}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
