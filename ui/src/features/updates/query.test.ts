import { describe, expect, it } from "vitest";
import { buildQuery, initialFilters, pageQuery } from "./query";

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
