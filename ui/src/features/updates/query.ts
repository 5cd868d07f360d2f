// What the page's controls mean as an UpdateQuery (the list_updates arguments).
import type { UpdateColumn, UpdateQuery } from "../../api";
import type { SortState } from "../../components/DataGrid";

export interface UpdateFilterState {
  search: string;
  classificationIds: string[];
  productIds: string[];
  hideSuperseded: boolean;
  includeExpired: boolean;
  /** Only declined updates (LIB-4); otherwise declined ones are hidden. */
  declined: boolean;
  /** Only updates required on more than this many computers; null: no such criterion. */
  minRequired: number | null;
  /** Only deployed (true) / not deployed (false) updates; null: both. */
  deployed: boolean | null;
  /** Only members of this software update group; null: every update. */
  updateGroupId: number | null;
}

export const initialFilters: UpdateFilterState = {
  search: "",
  classificationIds: [],
  productIds: [],
  hideSuperseded: false,
  includeExpired: false,
  declined: false,
  minRequired: null,
  deployed: null,
  updateGroupId: null,
};

const SORTABLE: readonly UpdateColumn[] = [
  "title",
  "articleId",
  "bulletinId",
  "classification",
  "products",
  "severity",
  "releaseDate",
  "size",
  "revision",
];

export function isSortableColumn(id: string): id is UpdateColumn {
  return (SORTABLE as readonly string[]).includes(id);
}

/** The query without offset/limit; its JSON is the cache key of the grid's pages. */
export function buildQuery(filters: UpdateFilterState, sort: SortState | null): Omit<UpdateQuery, "offset" | "limit"> {
  const search = filters.search.trim();
  return {
    sort: sort && isSortableColumn(sort.columnId) ? { column: sort.columnId, descending: sort.descending } : null,
    search: search === "" ? null : search,
    classificationIds: [...filters.classificationIds].sort(),
    productIds: [...filters.productIds].sort(),
    hideSuperseded: filters.hideSuperseded,
    includeExpired: filters.includeExpired,
    declined: filters.declined,
    minRequired: filters.minRequired,
    updateGroupId: filters.updateGroupId,
    deployed: filters.deployed,
  };
}

/** The filters a saved search holds (its sort is not part of the filters). */
export function filtersFromQuery(q: Omit<UpdateQuery, "offset" | "limit">): UpdateFilterState {
  return {
    search: q.search ?? "",
    classificationIds: [...q.classificationIds],
    productIds: [...q.productIds],
    hideSuperseded: q.hideSuperseded,
    includeExpired: q.includeExpired,
    declined: q.declined,
    minRequired: q.minRequired,
    deployed: q.deployed,
    updateGroupId: q.updateGroupId,
  };
}

/** A "required on more than N" box's text as the criterion; null when empty or not a count. */
export function parseMinRequired(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) return null;
  return Number(t);
}

export function pageQuery(base: Omit<UpdateQuery, "offset" | "limit">, offset: number, limit: number): UpdateQuery {
  return { ...base, offset, limit };
}

/**
 * The filters a console link opens the page with (e.g. the overview's
 * "?minRequired=0&deployed=false"): minRequired, deployed, declined and classificationIds
 * (comma-separated). Anything absent or unreadable keeps its initial value.
 */
export function filtersFromParams(params: Readonly<Record<string, string>>): UpdateFilterState {
  const filters: UpdateFilterState = { ...initialFilters };
  if (params.minRequired !== undefined) filters.minRequired = parseMinRequired(params.minRequired);
  if (params.deployed === "true" || params.deployed === "false") filters.deployed = params.deployed === "true";
  if (params.declined === "true" || params.declined === "false") filters.declined = params.declined === "true";
  if (params.classificationIds) filters.classificationIds = params.classificationIds.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return filters;
}
