import { describe, expect, it } from "vitest";
import { ariaSort, nextSort } from "./sort";

describe("sort header cycling", () => {
  it("goes ascending, descending, then back to unsorted", () => {
    let s = nextSort(null, "title");
    expect(s).toEqual({ columnId: "title", descending: false });
    expect(ariaSort(s, "title")).toBe("ascending");
    s = nextSort(s, "title");
    expect(s).toEqual({ columnId: "title", descending: true });
    expect(ariaSort(s, "title")).toBe("descending");
    s = nextSort(s, "title");
    expect(s).toBeNull();
    expect(ariaSort(s, "title")).toBe("none");
  });

  it("starts ascending when another column is clicked", () => {
    const s = nextSort({ columnId: "title", descending: true }, "size");
    expect(s).toEqual({ columnId: "size", descending: false });
    expect(ariaSort(s, "title")).toBe("none");
  });
});
