// Search box (debounced, server-side) and the classification / product / state filters, on
// one row: filters that do not fit (least used first) wait behind "More filters", which
// counts those of them in use and opens them in a second row.
import { useEffect, useMemo, useState, type ReactElement } from "react";
import {
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Overflow,
  OverflowItem,
  SearchBox,
  ToggleButton,
  makeStyles,
  tokens,
  useOverflowMenu,
} from "@fluentui/react-components";
import { FilterRegular } from "@fluentui/react-icons";
import type { CategoryInfo, CategoryKind } from "../../api";
import { parseMinRequired, type UpdateFilterState } from "./query";
import { SavedSearches } from "./SavedSearches";
import { strings } from "./strings";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexWrap: "nowrap",
    alignItems: "flex-end",
    minWidth: 0,
    overflow: "hidden",
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalS}`,
  },
  more: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "flex-end",
    gap: tokens.spacingHorizontalM,
    padding: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalS}`,
  },
  // The space after an item is its own padding, not the row's gap: the overflow measures
  // items, not the gaps between them.
  item: { flexShrink: 0, paddingRight: tokens.spacingHorizontalM },
  search: { width: "280px", maxWidth: "100%" },
  dropdown: { minWidth: "180px", maxWidth: "260px" },
  count: { width: "110px" },
  deployed: { minWidth: "130px" },
});

const SEARCH_DEBOUNCE_MS = 300;

function byKind(categories: readonly CategoryInfo[], kind: CategoryKind): CategoryInfo[] {
  return categories.filter((c) => c.kind === kind).sort((a, b) => a.title.localeCompare(b.title));
}

function CategoryFilter(props: {
  label: string;
  options: CategoryInfo[];
  selected: string[];
  onChange(ids: string[]): void;
}) {
  const styles = useStyles();
  const { label, options, selected, onChange } = props;
  const text =
    selected.length === 0
      ? strings.filters.any
      : selected.length === 1
        ? (options.find((o) => o.categoryId === selected[0])?.title ?? strings.filters.selectedCount(1))
        : strings.filters.selectedCount(selected.length);
  return (
    <Field label={label} size="small">
      <Dropdown
        className={styles.dropdown}
        size="small"
        multiselect
        value={text}
        selectedOptions={selected}
        onOptionSelect={(_, data) => onChange(data.selectedOptions)}
        aria-label={label}
      >
        {options.map((o) => (
          <Option key={o.categoryId} value={o.categoryId} text={o.title}>
            {`${o.title} (${o.updateCount.toLocaleString()})`}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

export function UpdateFilters(props: {
  filters: UpdateFilterState;
  categories: readonly CategoryInfo[];
  onChange(next: UpdateFilterState): void;
}) {
  const { filters, categories, onChange } = props;
  const styles = useStyles();
  const [text, setText] = useState(filters.search);
  const classifications = useMemo(() => byKind(categories, "UpdateClassification"), [categories]);
  const products = useMemo(() => byKind(categories, "Product"), [categories]);
  const [minText, setMinText] = useState(filters.minRequired === null ? "" : String(filters.minRequired));
  // A saved search applied from outside changes the criterion: show it.
  useEffect(() => setMinText(filters.minRequired === null ? "" : String(filters.minRequired)), [filters.minRequired]);
  useEffect(() => setText(filters.search), [filters.search]);

  // Debounce typing; the latest filters are read through the closure of this render.
  useEffect(() => {
    if (text === filters.search) return;
    const timer = setTimeout(() => onChange({ ...filters, search: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filters, onChange]);

  useEffect(() => {
    const value = parseMinRequired(minText);
    if (value === filters.minRequired) return;
    const timer = setTimeout(() => onChange({ ...filters, minRequired: value }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [minText, filters, onChange]);

  const deployedOptions = [
    { value: "any", text: strings.filters.deployedAny },
    { value: "yes", text: strings.filters.deployedYes },
    { value: "no", text: strings.filters.deployedNo },
  ];
  const deployedValue = filters.deployed === null ? "any" : filters.deployed ? "yes" : "no";

  const categoryItem = (
    id: string,
    priority: number,
    key: "classificationIds" | "productIds",
    label: string,
    options: CategoryInfo[],
  ): FilterItem => ({
    id,
    priority,
    active: filters[key].length > 0,
    node: <CategoryFilter label={label} options={options} selected={filters[key]} onChange={(ids) => onChange({ ...filters, [key]: ids })} />,
  });
  const checkboxItem = (key: "declined" | "hideSuperseded" | "includeExpired", priority: number, label: string, title?: string): FilterItem => ({
    id: key,
    priority,
    active: filters[key],
    node: <Checkbox label={label} title={title} checked={filters[key]} onChange={(_, d) => onChange({ ...filters, [key]: d.checked === true })} />,
  });

  // In the row's order; a higher priority leaves the row later.
  const items: FilterItem[] = [
    {
      id: "search",
      priority: 10,
      active: filters.search !== "",
      node: (
        <Field label={strings.filters.search} size="small">
          <SearchBox
            className={styles.search}
            size="small"
            placeholder={strings.filters.searchPlaceholder}
            value={text}
            onChange={(_, d) => setText(d.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") onChange({ ...filters, search: text });
            }}
            aria-label={strings.filters.search}
          />
        </Field>
      ),
    },
    categoryItem("classification", 9, "classificationIds", strings.filters.classification, classifications),
    categoryItem("product", 8, "productIds", strings.filters.product, products),
    {
      id: "minRequired",
      priority: 7,
      active: filters.minRequired !== null,
      node: (
        <Field
          label={strings.filters.minRequired}
          size="small"
          validationState={minText.trim() !== "" && parseMinRequired(minText) === null ? "error" : "none"}
        >
          <Input
            className={styles.count}
            size="small"
            inputMode="numeric"
            placeholder={strings.filters.minRequiredHint}
            value={minText}
            onChange={(_, d) => setMinText(d.value)}
            aria-label={strings.filters.minRequired}
          />
        </Field>
      ),
    },
    {
      id: "deployed",
      priority: 6,
      active: filters.deployed !== null,
      node: (
        <Field label={strings.filters.deployed} size="small">
          <Dropdown
            className={styles.deployed}
            size="small"
            aria-label={strings.filters.deployed}
            value={deployedOptions.find((o) => o.value === deployedValue)?.text ?? ""}
            selectedOptions={[deployedValue]}
            onOptionSelect={(_, d) =>
              onChange({ ...filters, deployed: d.optionValue === "yes" ? true : d.optionValue === "no" ? false : null })
            }
          >
            {deployedOptions.map((o) => (
              <Option key={o.value} value={o.value}>
                {o.text}
              </Option>
            ))}
          </Dropdown>
        </Field>
      ),
    },
    checkboxItem("declined", 5, strings.filters.declined, strings.filters.declinedHint),
    checkboxItem("hideSuperseded", 4, strings.filters.hideSuperseded),
    checkboxItem("includeExpired", 3, strings.filters.includeExpired),
    { id: "savedSearches", priority: 2, active: false, node: <SavedSearches filters={filters} onApply={onChange} /> },
  ];

  const [moreOpen, setMoreOpen] = useState(false);
  const [visible, setVisible] = useState<Readonly<Record<string, boolean>>>({});
  const hidden = items.filter((item) => visible[item.id] === false);
  return (
    <div role="search" aria-label={strings.filters.label}>
      <Overflow padding={32} onOverflowChange={(_, d) => setVisible(d.itemVisibility)}>
        <div className={styles.root}>
          {items.map((item) => (
            <OverflowItem key={item.id} id={item.id} priority={item.priority}>
              <div className={styles.item}>{item.node}</div>
            </OverflowItem>
          ))}
          <MoreFilters inUse={hidden.filter((item) => item.active).length} open={moreOpen} onToggle={() => setMoreOpen(!moreOpen)} />
        </div>
      </Overflow>
      {/* A row, not a popup, so a dialog opened from one of them (Save Search) stays open. */}
      {moreOpen && hidden.length > 0 && (
        <div className={styles.more} role="group" aria-label={strings.filters.moreLabel}>
          {hidden.map((item) => (
            <div key={item.id}>{item.node}</div>
          ))}
        </div>
      )}
    </div>
  );
}

interface FilterItem {
  id: string;
  priority: number;
  /** Narrows the list now: counted on the More filters button while out of the row. */
  active: boolean;
  node: ReactElement;
}

/** The toggle at the row's end, shown when filters left the row; it says how many of those are in use. */
function MoreFilters({ inUse, open, onToggle }: { inUse: number; open: boolean; onToggle(): void }) {
  const styles = useStyles();
  const { ref, isOverflowing } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <ToggleButton ref={ref} className={styles.item} size="small" icon={<FilterRegular />} checked={open} aria-expanded={open} onClick={onToggle}>
      {strings.filters.more(inUse)}
    </ToggleButton>
  );
}
