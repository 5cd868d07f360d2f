// Which pages a visible row range needs, and a bounded cache of the pages already fetched.

/** Page numbers covering rows `first..=last` (clamped to `rowCount` when known). */
export function pagesForRange(first: number, last: number, pageSize: number, rowCount?: number | null): number[] {
  if (pageSize <= 0) throw new Error("pageSize must be positive");
  let end = last;
  if (rowCount !== undefined && rowCount !== null) end = Math.min(end, rowCount - 1);
  const start = Math.max(0, first);
  if (end < start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor(end / pageSize); p++) pages.push(p);
  return pages;
}

/**
 * Pages of rows by page number, least recently used evicted past `maxPages`, plus the
 * pages in flight so the same page is never requested twice at once.
 */
export class PageCache<T> {
  private readonly pages = new Map<number, readonly T[]>();
  private readonly inFlight = new Set<number>();

  constructor(
    readonly pageSize: number,
    readonly maxPages = 60,
  ) {}

  /** The row at `index`, or undefined while its page is not loaded. */
  row(index: number): T | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  isLoading(page: number): boolean {
    return this.inFlight.has(page);
  }

  /** Pages of the range that are neither cached nor in flight; touches the cached ones. */
  missing(first: number, last: number, rowCount?: number | null): number[] {
    const out: number[] = [];
    for (const p of pagesForRange(first, last, this.pageSize, rowCount)) {
      const rows = this.pages.get(p);
      if (rows) {
        this.pages.delete(p);
        this.pages.set(p, rows); // most recently used goes last
      } else if (!this.inFlight.has(p)) {
        out.push(p);
      }
    }
    return out;
  }

  markLoading(page: number): void {
    this.inFlight.add(page);
  }

  /** The request for `page` failed: forget it so a later range asks again. */
  fail(page: number): void {
    this.inFlight.delete(page);
  }

  store(page: number, rows: readonly T[]): void {
    this.inFlight.delete(page);
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
  }

  clear(): void {
    this.pages.clear();
    this.inFlight.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}
