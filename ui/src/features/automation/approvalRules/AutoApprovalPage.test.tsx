// Auto-approval rules against a mocked site: the wizard's Cancel sends nothing, its Summary
// shows every choice and Finish sends exactly them; Run Selected reports what it approved;
// the offered categories show the defaults marked and save the choice.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, calls, command, press, renderPage, resetSite, sizeTheGrid, targetGroup as group, type Answer } from "../../../test/site";

vi.mock("../../../api", async (importOriginal) => (await import("../../../test/site")).mockedApi(importOriginal));

const { AutoApprovalPage } = await import("./AutoApprovalPage");

sizeTheGrid();

const category = (categoryId: string, title: string, kind: string, parentId: string | null = null) => ({
  categoryId,
  title,
  kind,
  parentId,
  synced: true,
  updateCount: 1,
  firstSeenUtc: null,
  isNew: false,
});
const CATEGORIES = [
  category("fam", "Windows", "ProductFamily"),
  category("w11", "Windows 11", "Product", "fam"),
  category("w10", "Windows 10", "Product", "fam"),
  category("crit", "Critical Updates", "UpdateClassification"),
  category("sec", "Security Updates", "UpdateClassification"),
  category("drv", "Drivers", "UpdateClassification"),
];
const RULE = {
  id: 5,
  enabled: true,
  spec: { name: "Critical to pilots", description: "", productIds: [], classificationIds: ["crit"], groupIds: [2], deadlineDays: 3 },
  approvalsMade: 12,
  lastAppliedUtc: "2026-11-20T10:00:00Z",
  createdUtc: "2026-11-01T00:00:00Z",
  modifiedUtc: "2026-11-01T00:00:00Z",
  createdBy: "admin",
};

const site = (overrides: Record<string, Answer> = {}) =>
  answerCalls(
    {
      list_categories: CATEGORIES,
      list_target_groups: [group(1, null, "All Computers"), group(2, 1, "All Computers / Pilots"), group(3, 1, "All Computers / Servers")],
      list_approval_rules: [RULE],
      get_offered_categories: { productIds: ["w11"], classificationIds: ["crit", "sec"], isDefault: true },
    },
    overrides,
  );

async function openPage() {
  renderPage(<AutoApprovalPage />);
  await screen.findByText("Critical to pilots");
}

const WRITES = ["create_approval_rule", "edit_approval_rule", "run_approval_rules", "set_offered_categories", "delete_approval_rule"];

afterEach(resetSite);

async function fillWizard(wizard: HTMLElement) {
  const w = within(wizard);
  fireEvent.change(w.getByRole("textbox", { name: /Name/ }), { target: { value: "Security to servers" } });
  press(w.getByRole("button", { name: "Next >" }));
  press(await w.findByRole("checkbox", { name: "Windows 11" }));
  press(w.getByRole("button", { name: "Next >" }));
  press(await w.findByRole("checkbox", { name: "Security Updates" }));
  press(w.getByRole("button", { name: "Next >" }));
  const select = await w.findByRole("combobox", { name: "Computer group" });
  await waitFor(() => expect(within(select).getAllByRole("option").length).toBe(3));
  fireEvent.change(select, { target: { value: "3" } });
  press(w.getByRole("button", { name: "Add" }));
  fireEvent.click(w.getByRole("checkbox", { name: /Enforce an installation deadline/ }));
  fireEvent.change(w.getByRole("combobox", { name: /Installation deadline/ }), { target: { value: "14" } });
  press(w.getByRole("button", { name: "Next >" }));
}

// Whole-page renders with Fluent dialogs: seconds each when the machine is busy.
describe("AutoApprovalPage", () => {
  it("the wizard's Cancel, after every page is filled in, sends nothing", async () => {
    site();
    await openPage();
    fireEvent.click(command("new"));
    const wizard = await screen.findByTestId("approval-rule-wizard");
    await fillWizard(wizard);
    await within(wizard).findByRole("group", { name: "Summary" });
    fireEvent.click(within(wizard).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByTestId("approval-rule-wizard")).toBeNull());
    for (const w of WRITES) expect(calls(w)).toEqual([]);
  });

  it("Summary shows the choices and Finish sends exactly them", async () => {
    let created: unknown = null;
    site({ create_approval_rule: (args) => ((created = args), Promise.resolve({ ...RULE, id: 6, spec: args })) });
    await openPage();
    fireEvent.click(command("new"));
    const wizard = await screen.findByTestId("approval-rule-wizard");
    await fillWizard(wizard);
    const summary = within(await within(wizard).findByRole("group", { name: "Summary" }));
    expect(summary.getByText("Security to servers")).toBeTruthy();
    expect(summary.getByText("Windows 11")).toBeTruthy();
    expect(summary.getByText("Security Updates")).toBeTruthy();
    expect(summary.getByText("All Computers / Servers")).toBeTruthy();
    expect(summary.getByText("14 days")).toBeTruthy();
    expect(summary.getAllByText(/applies to updates that arrive after it is created/).length).toBeGreaterThan(0);
    expect(calls("create_approval_rule")).toEqual([]);
    fireEvent.click(within(wizard).getByRole("button", { name: "Finish" }));
    await within(wizard).findByText("The rule was created.");
    expect(created).toEqual({
      name: "Security to servers",
      description: "",
      productIds: ["w11"],
      classificationIds: ["sec"],
      groupIds: [3],
      deadlineDays: 14,
    });
  });

  it("will not leave General without a name", async () => {
    site();
    await openPage();
    fireEvent.click(command("new"));
    const w = within(await screen.findByTestId("approval-rule-wizard"));
    press(w.getByRole("button", { name: "Next >" }));
    expect(await w.findByText("Give the rule a name.")).toBeTruthy();
    expect(w.getByRole("group", { name: "General" })).toBeTruthy();
  });

  it("Run Selected applies the rule and reports the approvals", async () => {
    site({ run_approval_rules: () => Promise.resolve({ updates: 4, approvals: 7 }) });
    await openPage();
    fireEvent.click(screen.getByText("Critical to pilots"));
    fireEvent.click(command("run"));
    expect((await screen.findByTestId("run-report")).textContent).toContain("7 approvals for 4 updates.");
    expect(calls("run_approval_rules")).toEqual([{ ids: [5] }]);
  });

  it("Delete asks first and says the approvals stay", async () => {
    site({ delete_approval_rule: () => Promise.resolve({}) });
    await openPage();
    fireEvent.click(screen.getByText("Critical to pilots"));
    fireEvent.click(command("delete"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("The approvals this rule made stay.");
    expect(calls("delete_approval_rule")).toEqual([]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Yes" }));
    await waitFor(() => expect(calls("delete_approval_rule")).toEqual([{ id: 5 }]));
  });

  it("offered categories: defaults preset and marked, Save sends the choice", async () => {
    site({ set_offered_categories: (args) => Promise.resolve(args) });
    await openPage();
    const products = within(screen.getByRole("group", { name: "Product categories" }));
    expect((products.getByRole("checkbox", { name: "Windows 11" }) as HTMLInputElement).checked).toBe(true);
    expect((products.getByRole("checkbox", { name: "Windows 10" }) as HTMLInputElement).checked).toBe(false);
    expect(screen.getAllByText("Default").length).toBe(3);
    fireEvent.click(products.getByRole("checkbox", { name: "Windows 10" }));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls("set_offered_categories").length).toBe(1));
    const sent = calls("set_offered_categories")[0] as { productIds: string[]; classificationIds: string[] };
    expect([...sent.productIds].sort()).toEqual(["w10", "w11"]);
    expect([...sent.classificationIds].sort()).toEqual(["crit", "sec"]);
    expect(await screen.findByText(/computers are offered these products/)).toBeTruthy();
  });
});
