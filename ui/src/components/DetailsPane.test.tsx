// The details pane's splitter: moved from the keyboard (the pointer drag is the browser
// test's), kept between the least pane and the least grid, remembered for the node.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen } from "@testing-library/react";
import { NodeIdContext } from "../app/navigate";
import { renderPage, resetSite, sizeTheGrid } from "../test/site";
import { DetailsPane, splitterLabel } from "./DetailsPane";

sizeTheGrid(); // every element 600 px high: the pane's parent too

beforeEach(() => {
  localStorage.clear();
  // jsdom lays nothing out: the pane is as high as its style says, 200 px while a percentage.
  vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
    const px = parseFloat((this as HTMLElement).style?.height ?? "");
    const height = (this as HTMLElement).style?.height?.endsWith("px") ? px : 200;
    return { x: 0, y: 0, top: 0, left: 0, right: 0, bottom: height, width: 0, height, toJSON: () => ({}) } as DOMRect;
  });
});
afterEach(resetSite);

const pane = (node = "n1") =>
  renderPage(
    <NodeIdContext.Provider value={node}>
      <DetailsPane ariaLabel="Details" height="40%" tabs={[{ id: "s", label: "Summary", render: () => "text" }]} />
    </NodeIdContext.Provider>,
  );
const section = () => screen.getByRole("region", { name: "Details" });
const splitter = () => screen.getByRole("separator", { name: splitterLabel });

describe("DetailsPane splitter", () => {
  it("grows and shrinks the pane, within bounds, and the node remembers its height", () => {
    const { unmount } = pane();
    expect(section().style.height).toBe("40%");
    fireEvent.keyDown(splitter(), { key: "ArrowUp" });
    expect(section().style.height).toBe("224px");
    expect(localStorage.getItem("patchdeck.n1.details")).toBe("224");
    for (let i = 0; i < 30; i++) fireEvent.keyDown(splitter(), { key: "ArrowUp" });
    // The grid keeps 160 px of the 600.
    expect(section().style.height).toBe("440px");
    for (let i = 0; i < 30; i++) fireEvent.keyDown(splitter(), { key: "ArrowDown" });
    expect(section().style.height).toBe("96px");
    fireEvent.keyDown(splitter(), { key: "ArrowUp" });

    unmount();
    pane();
    expect(section().style.height).toBe("120px");
    expect(splitter().getAttribute("aria-valuenow")).toBe("120");
  });

  it("keeps each node's height apart", () => {
    const { unmount } = pane("n1");
    fireEvent.keyDown(splitter(), { key: "ArrowUp" });
    unmount();
    pane("n2");
    expect(section().style.height).toBe("40%");
  });
});
