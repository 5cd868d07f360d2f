// The Devices search box (debounced, searched by the site) and the collection it lists.
import { useEffect, useState } from "react";
import { Checkbox, Field, SearchBox, Select, makeStyles, tokens } from "@fluentui/react-components";
import type { TargetGroup } from "../groups/types";
import { strings } from "./strings";

export interface DeviceFilterState {
  search: string;
  /** Members of this collection; null: every device. */
  groupId: number | null;
  includeSubgroups: boolean;
}

const SEARCH_DEBOUNCE_MS = 300;
const f = strings.filters;

const useStyles = makeStyles({
  root: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM, marginLeft: "auto" },
  search: { width: "260px", maxWidth: "100%" },
  select: { minWidth: "200px" },
});

export function DeviceFilters(props: { filters: DeviceFilterState; groups: readonly TargetGroup[]; onChange(f: DeviceFilterState): void }) {
  const styles = useStyles();
  const { filters, onChange } = props;
  const [text, setText] = useState(filters.search);
  useEffect(() => {
    if (text === filters.search) return;
    const t = setTimeout(() => onChange({ ...filters, search: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, filters, onChange]);
  return (
    <div className={styles.root} role="search" aria-label={f.label}>
      <Field label={f.search} size="small">
        <SearchBox
          className={styles.search}
          size="small"
          placeholder={f.searchPlaceholder}
          value={text}
          onChange={(_, d) => setText(d.value)}
        />
      </Field>
      <Field label={f.collection} size="small">
        <Select
          className={styles.select}
          size="small"
          value={filters.groupId === null ? "" : String(filters.groupId)}
          onChange={(_, d) => onChange({ ...filters, groupId: d.value === "" ? null : Number(d.value) })}
        >
          <option value="">{f.allCollections}</option>
          {props.groups.map((g) => (
            <option key={g.id} value={String(g.id)}>
              {g.path}
            </option>
          ))}
        </Select>
      </Field>
      <Checkbox
        label={f.subgroups}
        checked={filters.includeSubgroups}
        disabled={filters.groupId === null}
        onChange={(_, d) => onChange({ ...filters, includeSubgroups: d.checked === true })}
      />
    </div>
  );
}
