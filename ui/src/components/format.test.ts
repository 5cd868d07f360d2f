// One date format (the viewer's locale) for instants and wall-clock times, and counts that agree with their noun.
import { describe, expect, it } from "vitest";
import { countOf, formatDate, formatUtc, formatWallClock } from "./format";

const style = (timeZone?: string) => new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short", timeZone });

describe("dates", () => {
  it("a wall-clock time reads as written, in the locale's style, not as ISO", () => {
    expect(formatWallClock("2026-12-09T03:00")).toBe(style("UTC").format(new Date(Date.UTC(2026, 11, 9, 3, 0))));
    expect(formatWallClock("2026-12-09T03:00")).not.toContain("2026-12-09");
    expect(formatWallClock("not a time")).toBe("not a time");
  });

  it("an instant reads in the local zone or in UTC, in the same style as formatUtc", () => {
    const d = new Date("2026-12-09T02:00:00Z");
    expect(formatDate(d)).toBe(formatUtc("2026-12-09T02:00:00Z"));
    expect(formatDate(d, "utc")).toBe(formatWallClock("2026-12-09T02:00"));
  });
});

describe("counts", () => {
  it("one item, several items", () => {
    expect(countOf(1, "item")).toBe("1 item");
    expect(countOf(0, "item")).toBe("0 items");
    expect(countOf(2946, "item")).toBe(`${(2946).toLocaleString()} items`);
    expect(countOf(2, "policy", "policies")).toBe("2 policies");
  });
});
