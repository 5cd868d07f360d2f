// Software Update Groups against a mocked site: Deploy and Download start from the selected
// group (an empty group offers neither), and the details pane's Deployments tab lists only
// the focused group's deployments.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, command, renderPage, resetSite, sizeTheGrid } from "../../test/site";
import { groupActionSource } from "./groupActions";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { UpdateGroupsPage } = await import("./UpdateGroupsPage");

sizeTheGrid();

const none = { required: 0, installed: 0, notRequired: 0, failed: 0, unknown: 0 };
const group = (id: number, name: string, memberCount: number) => ({
  id,
  name,
  description: "",
  createdUtc: "2026-11-01T00:00:00.000Z",
  memberCount,
  deploymentCount: 0,
  compliance: none,
});
const GROUPS = [group(7, "Patch Tuesday", 2), group(8, "Empty", 0)];
const deployment = (id: number, name: string, updateGroupId: number) => ({
  id,
  name,
  description: "",
  updateGroupId,
  updateGroupName: "",
  updateCount: 2,
  targetGroupId: 2,
  targetGroupPath: "All Computers / Servers",
  enabled: true,
  settings: { deploymentType: "Required", timeBasis: "Utc", availableUtc: "2026-11-01T00:00:00.000Z", deadlineUtc: "2026-11-08T00:00:00.000Z" },
  createdUtc: "",
  modifiedUtc: "",
  createdBy: "",
  counts: { compliant: 0, inProgress: 0, error: 0, requirementsNotMet: 0, unknown: 0 },
});

const site = () =>
  answerCalls({
    list_update_groups: GROUPS,
    list_deployments: [deployment(1, "Servers Tuesday", 7), deployment(2, "Someone else's", 9)],
    list_target_groups: [],
    list_packages: [],
    get_sync_settings: { languages: [] },
  });

async function openPage() {
  site();
  renderPage(<UpdateGroupsPage />);
  await screen.findByText("2 items");
}

const selectRow = async (name: string) => fireEvent.click(await screen.findByText(name));

afterEach(resetSite);

describe("groupActionSource", () => {
  it("starts from the group, and not at all without a group or with an empty one", () => {
    expect(groupActionSource(undefined)).toEqual({ disabled: true, updateGroupId: null });
    expect(groupActionSource(GROUPS[0])).toEqual({ disabled: false, updateGroupId: 7, groupName: "Patch Tuesday" });
    expect(groupActionSource(GROUPS[1]).disabled).toBe(true);
  });
});

describe("Software Update Groups", () => {
  it("enables Deploy and Download on a group with updates only", async () => {
    await openPage();
    expect(command("deploy").disabled).toBe(true);
    expect(command("download").disabled).toBe(true);
    await selectRow("Patch Tuesday");
    expect(command("deploy").disabled).toBe(false);
    expect(command("download").disabled).toBe(false);
    await selectRow("Empty");
    expect(command("deploy").disabled).toBe(true);
  });

  it("opens the Deploy wizard on the selected group", async () => {
    await openPage();
    await selectRow("Patch Tuesday");
    fireEvent.click(command("deploy"));
    const wizard = await screen.findByRole("dialog");
    // The group is chosen already (the picker shows it), not a copy of its members.
    const picker = await within(wizard).findByRole("combobox", { name: /software update group/i });
    await waitFor(() => expect(picker.textContent).toContain("Patch Tuesday"));
  });

  it("opens the Download wizard on the selected group", async () => {
    await openPage();
    await selectRow("Patch Tuesday");
    fireEvent.click(command("download"));
    expect(await screen.findByRole("dialog")).toBeTruthy();
  });

  it("lists only the focused group's deployments", async () => {
    await openPage();
    await selectRow("Patch Tuesday");
    fireEvent.click(screen.getByRole("tab", { name: "Deployments" }));
    const panel = screen.getByRole("tabpanel", { name: "Deployments" });
    expect(await within(panel).findByText("Servers Tuesday")).toBeTruthy();
    expect(within(panel).queryByText("Someone else's")).toBeNull();
  });
});
