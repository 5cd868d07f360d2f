// The charts through Fluent UI's charting package: every bar named with its category, series
// and value, and the same figures readable as a table.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { DataVizPalette } from "@fluentui/react-charts";
import { BarChart, chartData } from "./BarChart";

afterEach(cleanup);

const series = [
  { id: "new", label: "New", color: DataVizPalette.success, values: [1200, 3] },
  { id: "expired", label: "Expired", color: DataVizPalette.error, values: [0, 41] },
];

describe("chartData", () => {
  it("labels each bar with its formatted value and resolves the palette to colours", () => {
    const data = chartData(["#1", "#2"], series, (v) => v.toLocaleString("en-US"));
    expect(data.map((g) => g.name)).toEqual(["#1", "#2"]);
    expect(data[0]?.series.map((p) => [p.legend, p.data, p.barLabel])).toEqual([
      ["New", 1200, "1,200"],
      ["Expired", 0, "0"],
    ]);
    const [green, red] = data[1]?.series.map((p) => p.color) ?? [];
    expect(green).toMatch(/^#[0-9a-f]{6}$/i);
    expect(red).toMatch(/^#[0-9a-f]{6}$/i);
    expect(green).not.toBe(red);
  });

  it("draws a missing value as zero", () => {
    const data = chartData(["#1", "#2", "#3"], series, String);
    expect(data[2]?.series.map((p) => p.data)).toEqual([0, 0]);
  });
});

describe("BarChart", () => {
  const draw = () =>
    render(
      <FluentProvider theme={webLightTheme}>
        <BarChart ariaLabel="Software updates per synchronization" categoryLabel="Run" categories={["#1", "#2"]} series={series} />
      </FluentProvider>,
    );

  it("names the figure by its caption and each bar by category, series and value", () => {
    draw();
    const figure = screen.getByRole("figure", { name: "Software updates per synchronization" });
    const bars = within(figure).getAllByRole("option").map((b) => b.getAttribute("aria-label"));
    expect(bars).toEqual(expect.arrayContaining(["#1, New: 1,200", "#2, New: 3", "#2, Expired: 41"]));
  });

  it("shows the same figures as a table on request, and the chart again", () => {
    draw();
    fireEvent.click(screen.getByRole("button", { name: "Show as a table" }));
    const table = screen.getByRole("table", { name: "Software updates per synchronization" });
    const rows = within(table)
      .getAllByRole("row")
      .map((r) => within(r).queryAllByRole("cell").map((c) => c.textContent));
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Run", "New", "Expired"]);
    expect(rows.filter((r) => r.length > 0)).toEqual([
      ["#1", "1,200", "0"],
      ["#2", "3", "41"],
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Hide the table" }));
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getAllByRole("option").length).toBeGreaterThan(0);
  });
});
