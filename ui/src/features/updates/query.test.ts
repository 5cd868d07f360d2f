import { describe, expect, it } from "vitest";
import { buildQuery, filtersFromQuery, initialFilters, pageQuery, parseMinRequired } from "./query";
import * as queryModule from "./query";

describe("buildQuery", () => {
  it("maps grid sort and filters to list_updates arguments", () => {
    const q = buildQuery(
      { ...initialFilters, search: "  2267602 ", classificationIds: ["b", "a"] },
      { columnId: "releaseDate", descending: true },
    );
    expect(q).toEqual({
      sort: { column: "releaseDate", descending: true },
      search: "2267602",
      classificationIds: ["a", "b"],
      productIds: [],
      hideSuperseded: false,
      includeExpired: false,
      declined: false,
      minRequired: null,
      updateGroupId: null,
      deployed: null,
    });
    expect(pageQuery(q, 300, 100)).toMatchObject({ offset: 300, limit: 100 });
  });

  it("sends no sort for a column the server cannot sort on, and null for blank search", () => {
    const q = buildQuery({ ...initialFilters, search: "   " }, { columnId: "superseded", descending: false });
    expect(q.sort).toBeNull();
    expect(q.search).toBeNull();
  });
});

describe("saved searches and criteria", () => {
  it("a saved search's query gives back the filters it was saved from", () => {
    const filters = {
      ...initialFilters,
      search: "defender",
      classificationIds: ["c"],
      declined: true,
      minRequired: 50,
      deployed: false,
    };
    const saved = pageQuery(buildQuery(filters, { columnId: "title", descending: false }), 0, 0);
    expect(filtersFromQuery(saved)).toEqual(filters);
  });

  it("required on more than N accepts a whole count only", () => {
    expect(parseMinRequired(" 50 ")).toBe(50);
    expect(parseMinRequired("0")).toBe(0);
    expect(parseMinRequired("")).toBeNull();
    expect(parseMinRequired("-3")).toBeNull();
    expect(parseMinRequired("ten")).toBeNull();
  });
});

describe("filtersFromParams", () => {
  it("reads the overview link's criteria and leaves the rest as a plain visit", () => {
    const { filtersFromParams } = queryModule;
    expect(filtersFromParams({ minRequired: "0", deployed: "false" })).toEqual({ ...initialFilters, minRequired: 0, deployed: false });
    expect(filtersFromParams({ declined: "true", classificationIds: "c1, c2" })).toEqual({
      ...initialFilters,
      declined: true,
      classificationIds: ["c1", "c2"],
    });
    expect(filtersFromParams({ minRequired: "many", deployed: "perhaps" })).toEqual(initialFilters);
    expect(filtersFromParams({})).toEqual(initialFilters);
  });
});
