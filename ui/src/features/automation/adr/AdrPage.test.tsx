// Automatic Deployment Rules against a mocked site: the grid's commands on a selected rule
// (Run Now, Delete with what stays, Properties with the future-runs note), the details pane
// and its link to the run log in Monitoring, and re-reading on RuleRunChanged.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { SiteEvent } from "../../../api";
import { NavigateContext } from "../../../app/navigate";
import { answerCalls, call, resetSite } from "../../../test/site";
import type { AutomaticDeploymentRule } from "./types";

let emit: (e: SiteEvent) => void = () => undefined;
const subscribe = (h: (e: SiteEvent) => void) => {
  emit = h;
  return () => undefined;
};
vi.mock("../../../api", async (importOriginal) => (await import("../../../test/site")).mockedApi(importOriginal, { subscribe }));

const { AdrPage } = await import("./AdrPage");

const RULE = {
  id: 3,
  enabled: true,
  spec: {
    name: "Monthly servers",
    description: "",
    groupMode: "NewGroupEachRun",
    existingUpdateGroupId: null,
    criteria: { classificationIds: ["c-sec"], productIds: [], severities: [], titleContains: "Cumulative", releasedWithin: null, revisedWithin: null, superseded: false, includeExpired: false, minRequired: null, languages: [] },
    evaluation: { kind: "AfterSync", timeUtc: "02:00", dayOfWeek: 0, daysAfterPatchTuesday: 0 },
    deployments: [
      {
        targetGroupId: 2,
        availableAfter: { value: 4, unit: "Hours" },
        deadlineAfter: { value: 7, unit: "Days" },
        settings: { deploymentType: "Required", alertDaysAfterDeadline: null, alertBelowPercent: 90 },
      },
    ],
    package: { kind: "NoPackage" },
    downloadSource: { kind: "Upstream" },
    languages: [],
    distributionPointIds: [],
  },
  updateGroupId: 44,
  updateGroupName: "Monthly servers 2026-11-29 05:00",
  packageId: null,
  deploymentIds: [5],
  lastRun: { runId: 9, ruleId: 3, ruleName: "Monthly servers", trigger: "Manual", state: "Succeeded", startedUtc: "2026-11-29T05:00:00Z", endedUtc: null, selected: 1, added: 1, downloaded: 0, deployments: 1, updateGroupId: 44, error: null },
  nextEvaluationUtc: null,
  createdUtc: "2026-11-28T05:00:00Z",
  modifiedUtc: "2026-11-28T05:00:00Z",
  createdBy: "admin",
} as unknown as AutomaticDeploymentRule;

const CATEGORIES = [{ categoryId: "c-sec", title: "Security Updates", kind: "UpdateClassification", parentId: null, synced: true, updateCount: 1, firstSeenUtc: null, isNew: false }];
const TARGETS = [{ id: 2, parentId: null, name: "Servers", description: "", path: "All Computers / Servers", memberCount: 0, assignmentCount: 0, createdUtc: "" }];

let RULE_NOW: AutomaticDeploymentRule = RULE;

beforeEach(() => {
  RULE_NOW = { ...RULE };
  Element.prototype.scrollTo ??= () => undefined;
  answerCalls(
    {
      list_adrs: () => [RULE_NOW],
      list_categories: CATEGORIES,
      list_target_groups: TARGETS,
      run_adr: { ...RULE.lastRun, runId: 10, state: "Running" },
      delete_adr: {},
    },
    {},
    [],
  );
});
afterEach(resetSite);

function open(navigate = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <NavigateContext.Provider value={navigate}>
        <AdrPage />
      </NavigateContext.Provider>
    </FluentProvider>,
  );
  return navigate;
}

// jsdom lays out no rows, so the grid is driven from the keyboard, as a user may.
async function selectRule() {
  await screen.findByText("1 item");
  fireEvent.keyDown(screen.getByRole("grid", { name: "Automatic deployment rules" }), { key: "ArrowDown" });
  await waitFor(() => expect((screen.getByRole("button", { name: "Run Now" }) as HTMLButtonElement).disabled).toBe(false));
}

const commandButton = (name: string) => screen.getByRole("button", { name });

describe("Automatic Deployment Rules", () => {
  it("shows the selected rule's criteria and last run, linked to its log in Monitoring", async () => {
    const navigate = open();
    await selectRule();
    const criteria = await screen.findByTestId("criteria-summary");
    expect(criteria.textContent).toMatch("Classification: Security Updates");
    expect(criteria.textContent).toMatch('Title or KB contains "Cumulative"');
    fireEvent.click(screen.getByText("View the run log in Monitoring"));
    expect(navigate).toHaveBeenCalledWith("monitoring", "monitoring.ruleRuns");
  });

  it("Run Now runs the rule and offers its run in Monitoring", async () => {
    open();
    await selectRule();
    fireEvent.click(commandButton("Run Now"));
    expect(await screen.findByTestId("run-result")).toBeTruthy();
    expect(call).toHaveBeenCalledWith("run_adr", { id: 3 });
    expect(screen.getByTestId("run-result").textContent).toMatch('Run of the rule "Monthly servers": Running.');
    RULE_NOW.lastRun = { ...RULE.lastRun!, runId: 10, state: "Succeeded" };
    act(() => emit({ type: "ruleRunChanged", ruleId: 3, runId: 10, state: "Succeeded" }));
    await waitFor(() => expect(screen.getByTestId("run-result").textContent).toMatch('Run of the rule "Monthly servers": Succeeded.'));
  });

  it("Delete asks first and says what stays", async () => {
    open();
    await selectRule();
    fireEvent.click(commandButton("Delete"));
    expect(await screen.findByText(/The software update groups, deployment packages and deployments its runs created stay/)).toBeTruthy();
    expect(call.mock.calls.some(([n]) => n === "delete_adr")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Yes" }));
    await waitFor(() => expect(call).toHaveBeenCalledWith("delete_adr", { id: 3 }));
  });

  it("Properties opens the wizard with the future-runs note", async () => {
    open();
    await selectRule();
    fireEvent.click(commandButton("Properties"));
    expect(await screen.findByText("Changes apply to future runs; groups and deployments created by earlier runs stay.")).toBeTruthy();
    expect(screen.getByText("Monthly servers Properties")).toBeTruthy();
  });

  it("re-reads the rules when a rule run changes", async () => {
    open();
    await screen.findByText("1 item");
    const reads = () => call.mock.calls.filter(([n]) => n === "list_adrs").length;
    const before = reads();
    act(() => emit({ type: "ruleRunChanged", ruleId: 3, runId: 10, state: "Running" }));
    act(() => emit({ type: "syncChanged", runId: 1, state: "Running" } as SiteEvent));
    await waitFor(() => expect(reads()).toBe(before + 1));
  });
});
