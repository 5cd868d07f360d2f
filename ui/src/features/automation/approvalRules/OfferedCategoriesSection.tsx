// APR-4: the products and classifications offered to computers. Until an administrator
// saves a choice the site answers its defaults (isDefault), shown preset and marked.
import { useEffect, useMemo, useState } from "react";
import { Button, MessageBar, MessageBarBody, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { SaveRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type CategoryInfo } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { CategoryChecklist } from "./CategoryChecklist";
import { strings } from "./strings";
import type { OfferedCategories } from "./types";

const o = strings.offered;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  columns: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(280px, 1fr))", gap: tokens.spacingHorizontalL },
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
});

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function OfferedCategoriesSection({ categories, categoriesFailure }: { categories: readonly CategoryInfo[]; categoriesFailure: ApiFailure | null }) {
  const styles = useStyles();
  const [saved, setSaved] = useState<OfferedCategories | null>(null);
  const [draft, setDraft] = useState<{ productIds: string[]; classificationIds: string[] } | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saveFailure, setSaveFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    call("get_offered_categories", {}).then(
      (v) => {
        if (!live) return;
        setSaved(v);
        setDraft({ productIds: v.productIds, classificationIds: v.classificationIds });
        setFailure(null);
      },
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  // The defaults are known only while nothing was saved: then every preset choice is one.
  const defaults = useMemo(
    () => new Set(saved?.isDefault ? [...saved.productIds, ...saved.classificationIds] : []),
    [saved],
  );
  const dirty = saved !== null && draft !== null && !(sameSet(saved.productIds, draft.productIds) && sameSet(saved.classificationIds, draft.classificationIds));

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    setSaveFailure(null);
    setJustSaved(false);
    try {
      const v = await call("set_offered_categories", { ...draft, isDefault: false });
      setSaved(v);
      setDraft({ productIds: v.productIds, classificationIds: v.classificationIds });
      setJustSaved(true);
    } catch (e) {
      setSaveFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const count = (kind: string, ids: readonly string[]) => {
    const all = categories.filter((c) => c.kind === kind);
    return o.count(all.filter((c) => ids.includes(c.categoryId)).length, all.length);
  };

  return (
    <section className={styles.root} aria-labelledby="offered-heading">
      <Subtitle2 as="h2" id="offered-heading">
        {o.heading}
      </Subtitle2>
      <Text className={styles.muted}>{o.intro}</Text>
      {failure && <ErrorBar title={o.loadFailed} message={failure.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />}
      {categoriesFailure && <ErrorBar title={o.categoriesFailed} message={categoriesFailure.message} />}
      {saved?.isDefault && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{o.defaultsNote}</MessageBarBody>
        </MessageBar>
      )}
      {draft === null ? (
        !failure && <Spinner size="tiny" label={o.loading} />
      ) : (
        <div className={styles.columns}>
          <div className={styles.column}>
            <Text weight="semibold">{o.products}</Text>
            <CategoryChecklist
              ariaLabel={o.products}
              categories={categories}
              kind="Product"
              checked={draft.productIds}
              onChange={(ids) => {
                setJustSaved(false);
                setDraft({ ...draft, productIds: ids });
              }}
              marked={defaults}
              markLabel={o.defaultBadge}
              emptyText={o.none}
              disabled={busy}
            />
            <Text size={200} className={styles.muted}>
              {count("Product", draft.productIds)}
            </Text>
          </div>
          <div className={styles.column}>
            <Text weight="semibold">{o.classifications}</Text>
            <CategoryChecklist
              ariaLabel={o.classifications}
              categories={categories}
              kind="UpdateClassification"
              checked={draft.classificationIds}
              onChange={(ids) => {
                setJustSaved(false);
                setDraft({ ...draft, classificationIds: ids });
              }}
              marked={defaults}
              markLabel={o.defaultBadge}
              emptyText={o.none}
              disabled={busy}
            />
            <Text size={200} className={styles.muted}>
              {count("UpdateClassification", draft.classificationIds)}
            </Text>
          </div>
        </div>
      )}
      {saveFailure && <ErrorBar title={o.saveFailed} message={saveFailure.message} />}
      {justSaved && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>{o.saved}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={<SaveRegular />}
          disabled={draft === null || busy || (!dirty && !saved?.isDefault)}
          onClick={() => void save()}
        >
          {busy ? o.saving : o.save}
        </Button>
      </div>
    </section>
  );
}
