// The Create Automatic Deployment Rule wizard against a mocked site: page by page to
// Completion, the site's FieldIssues shown on the page holding the field, the live preview
// count, Cancel sending nothing, and Properties saying that changes apply to future runs.
import { formatWallClock } from "../../../components/format";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { AdrSpec, AutomaticDeploymentRule, FieldIssue, RuleCriteria } from "./types";
import { call } from "../../../test/site";

vi.mock("../../../api", async (importOriginal) => (await import("../../../test/site")).mockedApi(importOriginal));

const { AdrWizard } = await import("./AdrWizard");

const NOW = new Date("2026-11-29T05:42:17Z");
const TARGETS = [
  { id: 1, parentId: null, name: "All Computers", description: "", path: "All Computers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
  { id: 2, parentId: 1, name: "Servers", description: "", path: "All Computers / Servers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
];
const CATEGORIES = [
  { categoryId: "c-sec", title: "Security Updates", kind: "UpdateClassification", parentId: null, synced: true, updateCount: 10, firstSeenUtc: null, isNew: false },
  { categoryId: "p-w11", title: "Windows 11", kind: "Product", parentId: null, synced: true, updateCount: 10, firstSeenUtc: null, isNew: false },
];
const READS = ["list_update_groups", "list_target_groups", "list_categories", "list_packages", "list_distribution_points", "validate_adr", "preview_rule_criteria"];

function site(opts: { validate?: (spec: AdrSpec) => FieldIssue[]; previewTotal?: (c: RuleCriteria) => number } = {}) {
  call.mockImplementation((name: string, args: unknown) => {
    switch (name) {
      case "list_update_groups":
      case "list_packages":
      case "list_distribution_points":
        return Promise.resolve([]);
      case "list_target_groups":
        return Promise.resolve(TARGETS);
      case "list_categories":
        return Promise.resolve(CATEGORIES);
      case "validate_adr":
        return Promise.resolve(opts.validate?.((args as { spec: AdrSpec }).spec) ?? []);
      case "preview_rule_criteria": {
        const { criteria } = args as { criteria: RuleCriteria };
        return Promise.resolve({ total: opts.previewTotal?.(criteria) ?? 0, updates: [], evaluatedUtc: "2026-11-29T05:42:17Z" });
      }
      case "create_adr":
      case "edit_adr": {
        const spec = (name === "edit_adr" ? (args as { spec: AdrSpec }).spec : args) as AdrSpec;
        return Promise.resolve({ id: 7, enabled: true, spec } as unknown as AutomaticDeploymentRule);
      }
      default:
        return Promise.reject(new Error(`unexpected ${name}`));
    }
  });
}

function open(mode: Parameters<typeof AdrWizard>[0]["mode"] = { kind: "create" }, onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <AdrWizard mode={mode} onClose={onClose} now={() => NOW} />
    </FluentProvider>,
  );
  return onClose;
}

const button = (name: string) => screen.getByRole("button", { name });
const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const changing = () => call.mock.calls.filter(([n]) => !READS.includes(n as string));

async function fillGeneral(name = "Patch Tuesday servers") {
  fireEvent.change(await screen.findByRole("textbox", { name: /^Name/ }), { target: { value: name } });
  fireEvent.click(await screen.findByRole("radio", { name: "Servers" }));
}

async function nextTo(h: string) {
  fireEvent.click(button("Next >"));
  await waitFor(() => expect(heading()).toMatch(h));
}

beforeEach(() => {
  call.mockReset();
});
afterEach(cleanup);

describe("Create Automatic Deployment Rule wizard", () => {
  it("goes page by page to Completion and creates the rule the pages describe", async () => {
    site({ previewTotal: () => 12 });
    const onClose = open();
    await fillGeneral();
    await nextTo("settings for this deployment");
    await nextTo("property filters");
    fireEvent.click(screen.getByRole("checkbox", { name: "Security Updates" }));
    fireEvent.click(screen.getByRole("checkbox", { name: /released within the last/ }));
    await nextTo("recurring schedule");
    fireEvent.click(screen.getByRole("radio", { name: /Monthly, a number of days after Patch Tuesday/ }));
    // December 2026: the second Tuesday is the 8th; one day after, at 02:00 UTC.
    expect(screen.getByTestId("next-evaluation").textContent).toMatch(`${formatWallClock("2026-12-09T02:00")} UTC`);
    await nextTo("schedule for this deployment");
    await nextTo("user experience");
    await nextTo("alert options");
    await nextTo("deployment package");
    await nextTo("download settings");
    await nextTo("Confirm the settings");
    expect(screen.getByText("All Computers / Servers")).toBeTruthy();
    expect(changing()).toEqual([]);
    await nextTo("completed");
    const created = changing();
    expect(created.map(([n]) => n)).toEqual(["create_adr"]);
    const spec = created[0][1] as AdrSpec;
    expect(spec).toMatchObject({
      name: "Patch Tuesday servers",
      groupMode: "NewGroupEachRun",
      criteria: { classificationIds: ["c-sec"], releasedWithin: { value: 1, unit: "Months" }, superseded: false },
      evaluation: { kind: "MonthlyAfterPatchTuesday", timeUtc: "02:00", daysAfterPatchTuesday: 1 },
      package: { kind: "NoPackage" },
    });
    expect(spec.deployments).toHaveLength(1);
    expect(spec.deployments[0]).toMatchObject({ targetGroupId: 2, availableAfter: null, deadlineAfter: { value: 7, unit: "Days" } });
    expect(call.mock.calls.filter(([n]) => n === "validate_adr").every(([, a]) => (a as { id: number | null }).id === null)).toBe(true);
    expect(screen.getByText('The automatic deployment rule "Patch Tuesday servers" was created.')).toBeTruthy();
    fireEvent.click(button("Close"));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ id: 7 }));
  }, 30_000);

  it("shows the site's criteria issue on the Software Updates page, not before", async () => {
    const issue = { field: "criteria.releasedWithin", message: "Released within is at most 10 years." };
    site({ validate: () => [issue] });
    open();
    await fillGeneral();
    // The issue belongs to a later page: General and Deployment Settings pass.
    await nextTo("settings for this deployment");
    expect(screen.queryByText(issue.message)).toBeNull();
    await nextTo("property filters");
    expect(screen.queryByText(issue.message)).toBeNull();
    fireEvent.click(button("Next >"));
    expect(await screen.findByText(issue.message)).toBeTruthy();
    expect(heading()).toMatch("property filters");
    expect(screen.getByText("Correct the values marked on this page to continue.")).toBeTruthy();
  }, 20_000);

  it("sends a site issue about an earlier page's field back to that page", async () => {
    site({ validate: (spec) => (spec.evaluation.kind === "Daily" ? [{ field: "deployments[0].targetGroupId", message: "The collection was deleted." }] : []) });
    open();
    await fillGeneral();
    await nextTo("settings for this deployment");
    await nextTo("property filters");
    await nextTo("recurring schedule");
    fireEvent.click(screen.getByRole("radio", { name: "Daily" }));
    fireEvent.click(button("Next >"));
    expect(await screen.findByText("The collection was deleted.")).toBeTruthy();
    expect(heading()).toMatch("settings for this automatic deployment rule");
  }, 20_000);

  it("checks the evaluation time itself before asking the site", async () => {
    site();
    open();
    await fillGeneral();
    await nextTo("settings for this deployment");
    await nextTo("property filters");
    await nextTo("recurring schedule");
    fireEvent.click(screen.getByRole("radio", { name: "Daily" }));
    fireEvent.change(screen.getByRole("textbox", { name: /Time \(UTC/ }), { target: { value: "25:00" } });
    const validations = call.mock.calls.filter(([n]) => n === "validate_adr").length;
    fireEvent.click(button("Next >"));
    expect(await screen.findByText("Enter a time as HH:MM (24-hour, UTC).")).toBeTruthy();
    expect(call.mock.calls.filter(([n]) => n === "validate_adr").length).toBe(validations);
  }, 20_000);

  it("shows the live count of matching updates for the criteria, and the Preview list", async () => {
    site({ previewTotal: (c) => (c.classificationIds.includes("c-sec") ? 42 : 3000) });
    open();
    await fillGeneral();
    await nextTo("settings for this deployment");
    await nextTo("property filters");
    await waitFor(() => expect(screen.getByTestId("live-count").textContent).toBe("3,000 software updates match these criteria now."));
    fireEvent.click(screen.getByRole("checkbox", { name: "Security Updates" }));
    await waitFor(() => expect(screen.getByTestId("live-count").textContent).toBe("42 software updates match these criteria now."));
    const asked = call.mock.calls.filter(([n]) => n === "preview_rule_criteria").map(([, a]) => a as { criteria: RuleCriteria; limit: number });
    expect(asked[asked.length - 1]).toMatchObject({ criteria: { classificationIds: ["c-sec"], superseded: false }, limit: 1 });
    fireEvent.click(button("Preview…"));
    const dialog = await screen.findByTestId("adr-preview");
    await waitFor(() => expect(within(dialog).getByTestId("preview-count").textContent).toMatch("42 matching software updates"));
    expect(changing()).toEqual([]);
  }, 20_000);

  it("Cancel closes without changing anything", async () => {
    site();
    const onClose = open();
    await fillGeneral();
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    fireEvent.click(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith();
    expect(changing()).toEqual([]);
  });

  it("Properties shows the future-runs note and saves with edit_adr, keeping added deployments", async () => {
    site();
    const spec: AdrSpec = {
      name: "Monthly",
      description: "",
      groupMode: "AddToExistingGroup",
      existingUpdateGroupId: null,
      criteria: {
        classificationIds: ["c-sec"],
        productIds: [],
        severities: [],
        titleContains: null,
        releasedWithin: { value: 1, unit: "Months" },
        revisedWithin: null,
        superseded: false,
        includeExpired: false,
        minRequired: null,
        languages: [],
      },
      evaluation: { kind: "Weekly", timeUtc: "03:30", dayOfWeek: 2, daysAfterPatchTuesday: 0 },
      deployments: [0, 1].map((i) => ({
        targetGroupId: 2 - i,
        availableAfter: null,
        deadlineAfter: { value: 2, unit: "Days" as const },
        settings: {
          deploymentType: "Required" as const,
          wakeOnLan: false,
          verbosity: "AllMessages" as const,
          timeBasis: "Utc" as const,
          availableUtc: "2026-11-29T05:42:00Z",
          deadlineUtc: "2026-11-29T05:42:00Z",
          userNotifications: "DisplayAll" as const,
          installOutsideMaintenanceWindow: false,
          restartOutsideMaintenanceWindow: false,
          suppressRestartServers: false,
          suppressRestartWorkstations: false,
          alertDaysAfterDeadline: null,
          alertBelowPercent: 90,
          slowNetwork: "DoNotInstall" as const,
          fallbackToMicrosoftUpdate: false,
          allowMeteredDownload: false,
        },
      })),
      package: { kind: "NoPackage" },
      downloadSource: { kind: "Upstream" },
      languages: [],
      distributionPointIds: [],
    };
    const rule = { id: 7, enabled: true, spec } as unknown as AutomaticDeploymentRule;
    open({ kind: "edit", rule });
    expect(await screen.findByText("Changes apply to future runs; groups and deployments created by earlier runs stay.")).toBeTruthy();
    expect((screen.getByRole("textbox", { name: /^Name/ }) as HTMLInputElement).value).toBe("Monthly");
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    expect(screen.getByText("Every Tuesday at 03:30 UTC")).toBeTruthy();
    await nextTo("properties were saved");
    const saved = changing();
    expect(saved.map(([n]) => n)).toEqual(["edit_adr"]);
    const args = saved[0][1] as { id: number; spec: AdrSpec };
    expect(args.id).toBe(7);
    // The site checks the pages against the rule being edited, so its own name is no clash.
    const checked = call.mock.calls.filter(([n]) => n === "validate_adr").map(([, a]) => (a as { id: number | null }).id);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.every((id) => id === 7)).toBe(true);
    expect(args.spec.deployments.map((d) => d.targetGroupId)).toEqual([2, 1]);
    expect(args.spec.evaluation).toEqual(spec.evaluation);
  }, 20_000);
});
