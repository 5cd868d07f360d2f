// A checkbox list of products or classifications (list_categories), products grouped under
// their family, as the wizard pages and the offered-categories section show them.
import { useMemo } from "react";
import { Badge, Checkbox, Text, makeStyles, shorthands, tokens } from "@fluentui/react-components";
import type { CategoryInfo } from "../../../api";

const useStyles = makeStyles({
  box: {
    ...shorthands.border(tokens.strokeWidthThin, "solid", tokens.colorNeutralStroke2),
    padding: tokens.spacingVerticalXS,
    overflowY: "auto",
    display: "flex",
    flexDirection: "column",
  },
  family: { fontWeight: tokens.fontWeightSemibold, paddingTop: tokens.spacingVerticalXS, paddingLeft: tokens.spacingHorizontalS },
  nested: { paddingLeft: tokens.spacingHorizontalL },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalS },
});

interface Section {
  title: string | null;
  items: CategoryInfo[];
}

/** Products under the title of their parent (family or company); classifications in one list. */
export function groupCategories(all: readonly CategoryInfo[], kind: "Product" | "UpdateClassification"): Section[] {
  const byId = new Map(all.map((c) => [c.categoryId, c]));
  const items = all.filter((c) => c.kind === kind).sort((a, b) => a.title.localeCompare(b.title));
  if (kind === "UpdateClassification") return [{ title: null, items }];
  const sections = new Map<string, Section>();
  for (const c of items) {
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    const key = parent?.title ?? "";
    const s = sections.get(key) ?? { title: parent ? parent.title : null, items: [] };
    s.items.push(c);
    sections.set(key, s);
  }
  return [...sections.values()].sort((a, b) => (a.title ?? "").localeCompare(b.title ?? ""));
}

export function CategoryChecklist(props: {
  ariaLabel: string;
  categories: readonly CategoryInfo[];
  kind: "Product" | "UpdateClassification";
  checked: readonly string[];
  onChange(ids: string[]): void;
  /** Ids marked with a badge (the defaults). */
  marked?: ReadonlySet<string>;
  markLabel?: string;
  emptyText: string;
  height?: string;
  disabled?: boolean;
}) {
  const styles = useStyles();
  const { categories, kind, checked, onChange, marked, markLabel } = props;
  const sections = useMemo(() => groupCategories(categories, kind), [categories, kind]);
  const set = new Set(checked);
  const flip = (id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    onChange([...next]);
  };
  const empty = sections.every((s) => s.items.length === 0);
  return (
    <div className={styles.box} style={{ height: props.height ?? "240px" }} role="group" aria-label={props.ariaLabel}>
      {empty && <Text className={styles.muted}>{props.emptyText}</Text>}
      {sections.map((s) => (
        <div key={s.title ?? ""}>
          {s.title && <div className={styles.family}>{s.title}</div>}
          <div className={s.title ? styles.nested : undefined}>
            {s.items.map((c) => (
              <div key={c.categoryId} className={styles.row}>
                <Checkbox
                  label={c.title}
                  checked={set.has(c.categoryId)}
                  disabled={props.disabled}
                  onChange={(_, d) => flip(c.categoryId, d.checked === true)}
                />
                {marked?.has(c.categoryId) && (
                  <Badge appearance="tint" size="small" color="informative">
                    {markLabel}
                  </Badge>
                )}
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
