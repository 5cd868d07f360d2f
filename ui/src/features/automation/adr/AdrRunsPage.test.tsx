// Monitoring > Automatic Deployment Rule Runs against a mocked site: the runs, the newest
// run's log with its levels, the link to the group it filled, and the state filter.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { NavigateContext } from "../../../app/navigate";
import { answerCalls, call, renderLinked, resetSite } from "../../../test/site";
import type { AdrRunInfo, RuleRunLogEntry } from "./types";

vi.mock("../../../api", async (importOriginal) => (await import("../../../test/site")).mockedApi(importOriginal, { subscribe: () => () => undefined }));

const { AdrRunsPage } = await import("./AdrRunsPage");

const run = (over: Partial<AdrRunInfo>): AdrRunInfo => ({
  runId: 1,
  ruleId: 3,
  ruleName: "Monthly servers",
  trigger: "Manual",
  state: "Succeeded",
  startedUtc: "2026-11-29T05:00:00Z",
  endedUtc: "2026-11-29T05:00:04Z",
  selected: 12,
  added: 12,
  downloaded: 0,
  deployments: 1,
  updateGroupId: 44,
  error: null,
  ...over,
});
const RUNS = [run({ runId: 9 }), run({ runId: 8, state: "Failed", updateGroupId: null, error: "The collection was deleted." })];
const LOGS: Record<number, RuleRunLogEntry[]> = {
  9: [
    { atUtc: "2026-11-29T05:00:01Z", level: "Info", message: "12 software updates match the criteria." },
    { atUtc: "2026-11-29T05:00:02Z", level: "Warning", message: "No deployment package: nothing downloaded." },
    { atUtc: "2026-11-29T05:00:04Z", level: "Info", message: "Deployment created for All Computers / Servers." },
  ],
  8: [{ atUtc: "2026-11-28T05:00:01Z", level: "Error", message: "The collection was deleted." }],
};

beforeEach(() => {
  // jsdom lays nothing out: the grid's scrolling has nowhere to go.
  Element.prototype.scrollTo ??= () => undefined;
  answerCalls({ list_adr_runs: RUNS, get_adr_run_log: (args) => LOGS[(args as { id: number }).id] ?? [] });
});
afterEach(resetSite);

function open(navigate = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <NavigateContext.Provider value={navigate}>
        <AdrRunsPage />
      </NavigateContext.Provider>
    </FluentProvider>,
  );
  return navigate;
}

describe("Automatic Deployment Rule Runs", () => {
  it("shows the newest run's log with each line's level, and links to its group", async () => {
    const navigate = open();
    expect(await screen.findByText("2 runs")).toBeTruthy();
    const log = await screen.findByRole("table", { name: "Run log" });
    const rows = within(log).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.querySelector("[data-level]")?.getAttribute("data-level"))).toEqual(["Info", "Warning", "Info"]);
    expect(within(rows[1]).getByText("No deployment package: nothing downloaded.")).toBeTruthy();
    expect(within(rows[1]).getByText("Warning")).toBeTruthy();
    expect(call).toHaveBeenCalledWith("get_adr_run_log", { id: 9 });
    fireEvent.click(screen.getByTestId("run-group-link"));
    expect(navigate).toHaveBeenCalledWith("library", "library.updateGroups");
  });

  it("filters by state, and shows the failed run's error and log", async () => {
    open();
    await screen.findByText("2 runs");
    fireEvent.click(screen.getByRole("combobox", { name: /State/ }));
    fireEvent.click(await screen.findByRole("option", { name: "Failed" }));
    await waitFor(() => expect(screen.getByTestId("item-count").textContent).toBe("1 run"));
    const log = await screen.findByRole("table", { name: "Run log" });
    expect(within(log).getByText("Error")).toBeTruthy();
    expect(screen.getByText("This run created or changed no software update group.")).toBeTruthy();
  });

  it("opens filtered on the state a link names (the overview's failed rules)", async () => {
    renderLinked({ state: "Failed" }, <AdrRunsPage />);
    await waitFor(() => expect(screen.getByTestId("item-count").textContent).toBe("1 run"));
    const log = await screen.findByRole("table", { name: "Run log" });
    expect(within(log).getByText("The collection was deleted.")).toBeTruthy();
  });

  it("opens on the run an alert's link names (?run=), selected, with its log", async () => {
    renderLinked({ run: "8" }, <AdrRunsPage />);
    await screen.findByText("2 runs");
    await waitFor(() => expect(call).toHaveBeenCalledWith("get_adr_run_log", { id: 8 }));
    const log = await screen.findByRole("table", { name: "Run log" });
    await waitFor(() => expect(within(log).getByText("The collection was deleted.")).toBeTruthy());
    expect(screen.getByText(/Monthly servers — Failed —/)).toBeTruthy();
  });
});
