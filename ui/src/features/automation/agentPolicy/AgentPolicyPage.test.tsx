// Update agent policies against a mocked site: the form shows every setting with its range
// and recommended value, refuses an out-of-range value naming the range (before asking the
// site), shows the site's own refusals inline, "Use recommended values" restores them, and
// the effective policy panel says where a group's settings come from.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, calls, command, press, renderPage, resetSite, sizeTheGrid, targetGroup as group, type Answer } from "../../../test/site";

vi.mock("../../../api", async (importOriginal) => (await import("../../../test/site")).mockedApi(importOriginal));

const { AgentPolicyPage } = await import("./AgentPolicyPage");
const { RECOMMENDED } = await import("./model");

sizeTheGrid();

const info = (field: string, label: string, range: [number, number] | null, unit: string | null, recommended: string) => ({
  field,
  label,
  description: `About ${label}.`,
  min: range ? range[0] : null,
  max: range ? range[1] : null,
  unit,
  recommended,
});
const INFO = [
  info("detectionFrequencyHours", "Update and application detection frequency (hours)", [8, 22], "hours", "8"),
  info("installBehavior", "Automatic or prompted installation", null, null, "Install automatically"),
  info("scheduledDay", "Scheduled day", null, null, "Every day"),
  info("scheduledTime", "Scheduled time", null, null, "03:00"),
  info("useAutomaticMaintenance", "Use Automatic Maintenance", null, null, "Yes"),
  info("allowImmediateInstall", "Allow immediate installation", null, null, "Allow"),
  info("restartDelayMinutes", "Restart delay (minutes)", [1, 30], "minutes", "15"),
  info("missedInstallDelayMinutes", "Missed installation delay (minutes)", [1, 60], "minutes", "5"),
  info("userControlsRestart", "User controls the restart", null, null, "Yes"),
  info("promptRestartForAgentUpdates", "Prompt to restart for agent updates", null, null, "Yes"),
  info("agentUpdateSchedule", "Agent update schedule", null, null, "Not configured"),
  info("restartPromptIntervalMinutes", "Wait between restart prompts (minutes)", [1, 1440], "minutes", "30"),
];
const POLICY = {
  id: 3,
  spec: { name: "Servers at night", description: "", settings: { ...RECOMMENDED, detectionFrequencyHours: 12 }, groupIds: [3] },
  createdUtc: "2026-11-01T00:00:00Z",
  modifiedUtc: "2026-11-02T00:00:00Z",
  createdBy: "admin",
};

const site = (overrides: Record<string, Answer> = {}) =>
  answerCalls(
    {
      list_target_groups: [group(1, null, "All Computers"), group(2, 1, "All Computers / Desktops"), group(3, 1, "All Computers / Servers")],
      list_agent_policies: [POLICY],
      agent_policy_settings_info: INFO,
      validate_agent_policy: [],
    },
    overrides,
  );

// As a person would: focus first, so the dialog's focus trap never finds focus outside it
// (it then hides the dialog from the accessibility tree, and from these queries).
const type = (el: HTMLElement, value: string) => {
  el.focus();
  fireEvent.change(el, { target: { value } });
};
const setting = (dialog: HTMLElement, field: string) => dialog.querySelector(`[data-setting="${field}"]`) as HTMLInputElement;

async function openEditor() {
  renderPage(<AgentPolicyPage />);
  await screen.findByText("Servers at night");
  await waitFor(() => expect(command("new").disabled).toBe(false));
  fireEvent.click(command("new"));
  return screen.findByRole("dialog");
}

afterEach(resetSite);

// Whole-page renders with Fluent dialogs: seconds each when the machine is busy.
describe("AgentPolicyPage", () => {
  it("shows every setting with its label, range and recommended value", async () => {
    site();
    const dialog = await openEditor();
    for (const i of INFO) expect(within(dialog).getAllByText(i.label).length).toBeGreaterThan(0);
    expect(dialog.textContent).toContain("From 8 to 22 hours.");
    expect(dialog.textContent).toContain("Recommended: 8");
    expect(dialog.textContent).toContain("From 1 to 1440 minutes.");
    expect(setting(dialog, "detectionFrequencyHours").value).toBe("8");
  });

  it("refuses an out-of-range value with its range, and Use recommended values restores it", async () => {
    site();
    const dialog = await openEditor();
    type(within(dialog).getByRole("textbox", { name: /^Name/ }), "Desktops");
    type(setting(dialog, "detectionFrequencyHours"), "30");
    type(setting(dialog, "restartDelayMinutes"), "0");
    expect(await within(dialog).findByText("Update and application detection frequency must be a whole number from 8 to 22 hours.")).toBeTruthy();
    expect(within(dialog).getByText("Restart delay must be a whole number from 1 to 30 minutes.")).toBeTruthy();
    press(within(dialog).getByRole("button", { name: "Save" }));
    await within(dialog).findByText("Correct the values marked before saving.");
    // The first field in error is brought into view and focused.
    await waitFor(() => expect(document.activeElement).toBe(setting(dialog, "detectionFrequencyHours")));
    expect(calls("validate_agent_policy")).toEqual([]);
    expect(calls("create_agent_policy")).toEqual([]);

    press(within(dialog).getByRole("button", { name: "Use recommended values" }));
    expect(setting(dialog, "detectionFrequencyHours").value).toBe("8");
    expect(setting(dialog, "restartDelayMinutes").value).toBe("15");
    expect(within(dialog).queryByText(/must be a whole number/)).toBeNull();
  });

  it("shows the site's refusal beside its setting and saves nothing", async () => {
    site({
      validate_agent_policy: () =>
        Promise.resolve([{ field: "missedInstallDelayMinutes", message: "Delay before missed scheduled installations must be from 1 to 60 minutes." }]),
    });
    const dialog = await openEditor();
    type(within(dialog).getByRole("textbox", { name: /^Name/ }), "Desktops");
    press(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText("Delay before missed scheduled installations must be from 1 to 60 minutes.")).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(setting(dialog, "missedInstallDelayMinutes")));
    expect(calls("create_agent_policy")).toEqual([]);
  });

  it("saves the values and groups chosen", async () => {
    site({ create_agent_policy: (args) => Promise.resolve({ ...POLICY, id: 4, spec: args }) });
    const dialog = await openEditor();
    type(within(dialog).getByRole("textbox", { name: /^Name/ }), "Desktops");
    type(setting(dialog, "detectionFrequencyHours"), "22");
    const item = await waitFor(() => {
      const el = dialog.querySelector('[data-group="All Computers / Desktops"]');
      if (!el) throw new Error("no group");
      return el as HTMLElement;
    });
    press(within(item).getAllByRole("checkbox", { hidden: true })[0]);
    press(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls("create_agent_policy").length).toBe(1));
    expect(calls("create_agent_policy")[0]).toEqual({
      name: "Desktops",
      description: "",
      settings: { ...RECOMMENDED, detectionFrequencyHours: 22 },
      groupIds: [2],
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("Delete says the computers return to the operating system's defaults", async () => {
    site({ delete_agent_policy: () => Promise.resolve({}) });
    renderPage(<AgentPolicyPage />);
    fireEvent.click(await screen.findByText("Servers at night"));
    fireEvent.click(command("delete"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("Computers in its groups return to the operating system's defaults.");
    press(within(dialog).getByRole("button", { name: "Yes" }));
    await waitFor(() => expect(calls("delete_agent_policy")).toEqual([{ id: 3 }]));
  });

  it("effective policy: the policy and its source group, or the operating system defaults", async () => {
    site({
      effective_agent_policy: (args) => {
        const ids = (args as { groupIds: number[] }).groupIds;
        return Promise.resolve(
          ids[0] === 3
            ? { settings: POLICY.spec.settings, policyId: 3, policyName: "Servers at night", sourceGroupId: 3, sourceGroupPath: "All Computers / Servers" }
            : { settings: null, policyId: null, policyName: null, sourceGroupId: null, sourceGroupPath: null },
        );
      },
    });
    renderPage(<AgentPolicyPage />);
    const panel = within(await screen.findByTestId("effective-policy"));
    const select = panel.getByRole("combobox", { name: "Computer group" });
    await waitFor(() => expect(within(select).getAllByRole("option").length).toBe(4));
    fireEvent.change(select, { target: { value: "3" } });
    expect(await panel.findByText('From the policy "Servers at night" deployed to All Computers / Servers.')).toBeTruthy();
    expect(panel.getByText("12 hours")).toBeTruthy();
    fireEvent.change(select, { target: { value: "2" } });
    expect(await panel.findByText("Operating system defaults")).toBeTruthy();
    expect(calls("effective_agent_policy")).toContainEqual({ computerId: null, groupIds: [2] });
  });
});
