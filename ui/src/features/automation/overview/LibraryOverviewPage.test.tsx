// The Software Library overview against a mocked site: "New updates to approve" shows only
// when there are some, and each item's link moves the console to its view with the link's
// filter as parameters.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { NavigateContext, parseRoute } from "../../../app/navigate";

const call = vi.fn();
vi.mock("../../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api")>();
  return { ...actual, call: (name: string, args: unknown) => call(name, args) };
});

const { LibraryOverviewPage } = await import("./LibraryOverviewPage");

const TO_APPROVE = {
  kind: "newUpdatesToApprove",
  title: "New updates to approve",
  detail: "3 updates are required by managed computers and not approved or deployed to any group.",
  count: 3,
  link: "library/library.allUpdates?minRequired=0&deployed=false",
};
const FAILED = {
  kind: "failedRules",
  title: "Automatic deployment rules failed",
  detail: "The last run of 1 rule failed: Patch Tuesday.",
  count: 1,
  link: "monitoring/monitoring.ruleRuns?state=Failed",
};
const SYNC = {
  runId: 4,
  startedUtc: "2026-11-29T08:00:00Z",
  endedUtc: "2026-11-29T08:01:00Z",
  state: "Failed",
  upstream: "http://parent:8530",
  error: "The upstream refused the connection.",
  anchor: null,
  newCount: 12,
  changedCount: 2,
  expiredCount: 0,
  removedCount: 1,
  fetchedCount: 14,
  progressDone: 0,
  progressTotal: 0,
  progressMessage: "",
};

function site(overview: Record<string, unknown>) {
  call.mockImplementation((name: string) =>
    name === "library_overview"
      ? Promise.resolve({
          newUpdatesToApprove: 0,
          lastSync: null,
          failedRules: [],
          deploymentsBelowAlert: [],
          items: [],
          managedComputers: 5,
          ...overview,
        })
      : Promise.reject(new Error(`unexpected ${name}`)),
  );
}

function open() {
  const navigate = vi.fn();
  render(
    <FluentProvider theme={webLightTheme}>
      <NavigateContext.Provider value={navigate}>
        <LibraryOverviewPage />
      </NavigateContext.Provider>
    </FluentProvider>,
  );
  return navigate;
}

afterEach(() => {
  cleanup();
  call.mockReset();
});

describe("LibraryOverviewPage", () => {
  it("hides New updates to approve when there are none", async () => {
    site({ newUpdatesToApprove: 0, items: [FAILED] });
    open();
    expect(await screen.findByText("Automatic deployment rules failed")).toBeTruthy();
    expect(screen.queryByText("New updates to approve")).toBeNull();
    expect(screen.getByTestId("overview-managedComputers").textContent).toContain("5");
  });

  it("says so when nothing needs attention, and shows the last synchronization", async () => {
    site({ lastSync: SYNC });
    open();
    expect(await screen.findByText("Nothing needs your attention.")).toBeTruthy();
    const sync = screen.getByTestId("overview-lastSync");
    expect(sync.textContent).toContain("Failed");
    expect(sync.textContent).toContain("12 new, 2 changed, 0 expired, 1 removed");
    expect(sync.textContent).toContain("The upstream refused the connection.");
  });

  it("New updates to approve links to All Software Updates with its filter", async () => {
    site({ newUpdatesToApprove: 3, items: [TO_APPROVE, FAILED] });
    const navigate = open();
    expect((await screen.findByTestId("overview-newUpdatesToApprove")).textContent).toContain("3");
    fireEvent.click(screen.getByRole("link", { name: "View: New updates to approve" }));
    expect(navigate).toHaveBeenCalledWith("library", "library.allUpdates", { minRequired: "0", deployed: "false" });
    fireEvent.click(screen.getByRole("link", { name: "View: Automatic deployment rules failed" }));
    expect(navigate).toHaveBeenLastCalledWith("monitoring", "monitoring.ruleRuns", { state: "Failed" });
  });
});

describe("parseRoute", () => {
  it("splits a console route into workspace, node and parameters", () => {
    expect(parseRoute("monitoring/monitoring.deployments")).toEqual({ workspace: "monitoring", node: "monitoring.deployments", params: {} });
    expect(parseRoute("library/library.allUpdates?minRequired=0&classificationIds=a%2Cb")).toEqual({
      workspace: "library",
      node: "library.allUpdates",
      params: { minRequired: "0", classificationIds: "a,b" },
    });
    expect(parseRoute("nowhere")).toBeNull();
    expect(parseRoute("/x")).toBeNull();
  });
});
