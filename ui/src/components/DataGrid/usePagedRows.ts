// Rows of a server-paged list, fetched page by page for the range the grid shows.
import { useCallback, useEffect, useRef, useState } from "react";
import { PageCache } from "./paging";

export interface Page<T> {
  /** Rows matching the query, all pages together. */
  total: number;
  rows: readonly T[];
}

export type FetchPage<T> = (offset: number, limit: number) => Promise<Page<T>>;

export interface PagedRows<T> {
  /** Null until the first page of the current query arrives. */
  total: number | null;
  getRow(index: number): T | undefined;
  /** Tell the source which rows are on screen (inclusive). */
  onRangeChange(first: number, last: number): void;
  /** The last failure of a page request, cleared by the next success. */
  error: unknown;
  /** Changes whenever a page arrives, so memoised consumers re-render. */
  version: number;
  /** Drops cached pages and fetches the visible ones again, keeping the scroll position. */
  refresh(): void;
}

/**
 * `queryKey` identifies the query (sort, search, filters): when it changes the cache is
 * dropped and the total is forgotten. Requests of an older query are ignored on arrival.
 */
export function usePagedRows<T>(fetchPage: FetchPage<T>, queryKey: string, pageSize = 100, debounceMs = 40): PagedRows<T> {
  const cache = useRef(new PageCache<T>(pageSize));
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const range = useRef<[number, number]>([0, pageSize - 1]);
  const totalRef = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [total, setTotalState] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  const setTotal = (t: number | null) => {
    totalRef.current = t;
    setTotalState(t);
  };

  const load = useCallback(
    (pages: number[]) => {
      const gen = generation.current;
      for (const p of pages) {
        cache.current.markLoading(p);
        fetchRef.current(p * pageSize, pageSize).then(
          (page) => {
            if (gen !== generation.current) return;
            cache.current.store(p, page.rows);
            setTotal(page.total);
            setError(null);
            setVersion((v) => v + 1);
          },
          (e: unknown) => {
            if (gen !== generation.current) return;
            cache.current.fail(p);
            setError(e);
            // A failed first page still ends "loading": show zero rows and the error.
            if (totalRef.current === null) setTotal(0);
          },
        );
      }
    },
    [pageSize],
  );

  const loadVisible = useCallback(() => {
    const [first, last] = range.current;
    load(cache.current.missing(first, last, totalRef.current));
  }, [load]);

  // A new query: forget everything and start from the top.
  useEffect(() => {
    generation.current++;
    cache.current.clear();
    setTotal(null);
    setError(null);
    range.current = [0, pageSize - 1];
    load([0]);
    return () => clearTimeout(timer.current);
  }, [queryKey, pageSize, load]);

  const onRangeChange = useCallback(
    (first: number, last: number) => {
      range.current = [first, last];
      // Dragging the scrollbar across a huge list passes many ranges: ask only for where it stops.
      clearTimeout(timer.current);
      timer.current = setTimeout(loadVisible, debounceMs);
    },
    [loadVisible, debounceMs],
  );

  const refresh = useCallback(() => {
    generation.current++;
    cache.current.clear();
    setError(null);
    setVersion((v) => v + 1);
    const [first, last] = range.current;
    const pages = cache.current.missing(first, last, null);
    load(pages.length > 0 ? pages : [0]);
  }, [load]);

  const getRow = useCallback((index: number) => cache.current.row(index), []);

  return { total, getRow, onRangeChange, error, version, refresh };
}
