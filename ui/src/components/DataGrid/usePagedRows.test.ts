import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { usePagedRows, type Page } from "./usePagedRows";

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const page = (offset: number, limit: number, total: number, tag = "r"): Page<string> => ({
  total,
  rows: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => `${tag}${offset + i}`),
});

describe("usePagedRows", () => {
  it("loads the first page, then only the pages of the visible range", async () => {
    const fetchPage = vi.fn(async (offset: number, limit: number) => page(offset, limit, 500_000));
    const { result } = renderHook(() => usePagedRows(fetchPage, "q", 100, 0));
    await waitFor(() => expect(result.current.total).toBe(500_000));
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(result.current.getRow(99)).toBe("r99");

    act(() => result.current.onRangeChange(499_950, 499_999));
    await waitFor(() => expect(result.current.getRow(499_999)).toBe("r499999"));
    expect(fetchPage.mock.calls.map((c) => c[0])).toEqual([0, 499_900]);

    // Cached pages are not asked for again.
    act(() => result.current.onRangeChange(0, 50));
    await new Promise((r) => setTimeout(r, 10));
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it("ignores answers to a previous query", async () => {
    const slow = deferred<Page<string>>();
    const fetchPage = vi.fn((offset: number, limit: number) =>
      fetchPage.mock.calls.length === 1 ? slow.promise : Promise.resolve(page(offset, limit, 3, "new")),
    );
    const { result, rerender } = renderHook(({ key }) => usePagedRows(fetchPage, key, 100, 0), {
      initialProps: { key: "old" },
    });
    rerender({ key: "new" });
    await waitFor(() => expect(result.current.total).toBe(3));
    slow.resolve(page(0, 100, 999, "old"));
    await new Promise((r) => setTimeout(r, 10));
    expect(result.current.total).toBe(3);
    expect(result.current.getRow(0)).toBe("new0");
  });

  it("keeps the failure and retries the page on the next range", async () => {
    let fail = true;
    const fetchPage = vi.fn(async (offset: number, limit: number) => {
      if (fail) throw new Error("down");
      return page(offset, limit, 10);
    });
    const { result } = renderHook(() => usePagedRows(fetchPage, "q", 100, 0));
    await waitFor(() => expect(result.current.error).toBeInstanceOf(Error));
    expect(result.current.total).toBe(0);
    fail = false;
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.total).toBe(10));
    expect(result.current.error).toBeNull();
  });
});
