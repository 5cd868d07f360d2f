import { describe, expect, it } from "vitest";
import { PageCache, pagesForRange } from "./paging";

describe("pagesForRange", () => {
  it("covers a range inside one page", () => {
    expect(pagesForRange(0, 40, 100)).toEqual([0]);
    expect(pagesForRange(100, 199, 100)).toEqual([1]);
  });

  it("covers a range across page boundaries", () => {
    expect(pagesForRange(95, 205, 100)).toEqual([0, 1, 2]);
  });

  it("clamps to the row count and to zero", () => {
    expect(pagesForRange(-10, 50, 100, 30)).toEqual([0]);
    expect(pagesForRange(499_950, 500_100, 100, 500_000)).toEqual([4999]);
    expect(pagesForRange(0, 10, 100, 0)).toEqual([]);
  });

  it("reaches the last page of a 500,000-row list", () => {
    expect(pagesForRange(499_990, 499_999, 100, 500_000)).toEqual([4999]);
  });
});

describe("PageCache", () => {
  const rows = (page: number, n = 100) => Array.from({ length: n }, (_, i) => `r${page * 100 + i}`);

  it("returns rows of stored pages only", () => {
    const cache = new PageCache<string>(100);
    cache.store(2, rows(2));
    expect(cache.row(250)).toBe("r250");
    expect(cache.row(150)).toBeUndefined();
  });

  it("lists missing pages, skipping cached and in-flight ones", () => {
    const cache = new PageCache<string>(100);
    cache.store(0, rows(0));
    cache.markLoading(1);
    expect(cache.missing(50, 350)).toEqual([2, 3]);
    expect(cache.isLoading(1)).toBe(true);
  });

  it("asks again for a page whose request failed", () => {
    const cache = new PageCache<string>(100);
    cache.markLoading(4);
    expect(cache.missing(400, 450)).toEqual([]);
    cache.fail(4);
    expect(cache.missing(400, 450)).toEqual([4]);
  });

  it("evicts the least recently used page past its bound", () => {
    const cache = new PageCache<string>(100, 3);
    cache.store(0, rows(0));
    cache.store(1, rows(1));
    cache.store(2, rows(2));
    cache.missing(0, 10); // touch page 0: page 1 is now the oldest
    cache.store(3, rows(3));
    expect(cache.size).toBe(3);
    expect(cache.has(1)).toBe(false);
    expect(cache.has(0)).toBe(true);
  });

  it("keeps a short last page", () => {
    const cache = new PageCache<string>(100);
    cache.store(29, rows(29, 9));
    expect(cache.row(2908)).toBe("r2908");
    expect(cache.row(2909)).toBeUndefined();
  });

  it("forgets everything on clear", () => {
    const cache = new PageCache<string>(100);
    cache.store(0, rows(0));
    cache.markLoading(1);
    cache.clear();
    expect(cache.missing(0, 199)).toEqual([0, 1]);
  });
});
