// Search box (debounced, server-side) and the classification / product / state filters.
import { useEffect, useMemo, useState } from "react";
import { Checkbox, Dropdown, Field, Input, Option, SearchBox, makeStyles, tokens } from "@fluentui/react-components";
import type { CategoryInfo, CategoryKind } from "../../api";
import { parseMinRequired, type UpdateFilterState } from "./query";
import { SavedSearches } from "./SavedSearches";
import { strings } from "./strings";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "flex-end",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalS}`,
  },
  search: { width: "320px", maxWidth: "100%" },
  dropdown: { minWidth: "200px", maxWidth: "260px" },
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

  return (
    <div className={styles.root} role="search" aria-label={strings.filters.label}>
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
      <CategoryFilter
        label={strings.filters.classification}
        options={classifications}
        selected={filters.classificationIds}
        onChange={(ids) => onChange({ ...filters, classificationIds: ids })}
      />
      <CategoryFilter
        label={strings.filters.product}
        options={products}
        selected={filters.productIds}
        onChange={(ids) => onChange({ ...filters, productIds: ids })}
      />
      <Checkbox
        label={strings.filters.hideSuperseded}
        checked={filters.hideSuperseded}
        onChange={(_, d) => onChange({ ...filters, hideSuperseded: d.checked === true })}
      />
      <Checkbox
        label={strings.filters.includeExpired}
        checked={filters.includeExpired}
        onChange={(_, d) => onChange({ ...filters, includeExpired: d.checked === true })}
      />
      <Checkbox
        label={strings.filters.declined}
        title={strings.filters.declinedHint}
        checked={filters.declined}
        onChange={(_, d) => onChange({ ...filters, declined: d.checked === true })}
      />
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
      <SavedSearches filters={filters} onApply={onChange} />
    </div>
  );
}
