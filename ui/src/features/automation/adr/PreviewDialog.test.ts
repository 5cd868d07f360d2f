// The Preview's title column gets the room: every other column is sized, the title stays on one line with its tooltip.
import { describe, expect, it } from "vitest";
import { previewColumns } from "./PreviewDialog";

describe("Preview columns", () => {
  it("size every column but the title, which is cut on one line with the whole title as tooltip", () => {
    const columns = previewColumns("one-line");
    const [title, ...rest] = columns;
    expect(title.id).toBe("title");
    expect(title.width).toBeUndefined();
    expect(title.className?.({} as never)).toBe("one-line");
    expect(title.title?.({ title: "A long title" } as never)).toBe("A long title");
    for (const column of rest) expect(column.width, column.id).toMatch(/px$/);
  });
});
