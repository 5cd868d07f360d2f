// The auto-approval rule wizard on its own against a mocked site: the one wizard's pages,
// Summary, then Progress while the rule is saved, then Completion; a refusal shown on
// Completion, Previous back to the Summary.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";

const call = vi.fn();
vi.mock("../../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api")>();
  return { ...actual, call: (name: string, args: unknown) => call(name, args) };
});

const { ApiFailure } = await import("../../../api");
const { ApprovalRuleWizard } = await import("./ApprovalRuleWizard");

const CATEGORIES = [
  { categoryId: "w11", title: "Windows 11", kind: "Product", parentId: null, synced: true, updateCount: 1, firstSeenUtc: null, isNew: false },
  { categoryId: "sec", title: "Security Updates", kind: "UpdateClassification", parentId: null, synced: true, updateCount: 1, firstSeenUtc: null, isNew: false },
];
const GROUPS = [
  { id: 1, parentId: null, name: "All Computers", description: "", path: "All Computers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
  { id: 2, parentId: 1, name: "Pilots", description: "", path: "All Computers / Pilots", memberCount: 0, assignmentCount: 0, createdUtc: "" },
];
const RULE = {
  id: 5,
  enabled: true,
  spec: { name: "Critical to pilots", description: "", productIds: ["w11"], classificationIds: ["sec"], groupIds: [2], deadlineDays: 3 },
  approvalsMade: 0,
  lastAppliedUtc: null,
  createdUtc: "",
  modifiedUtc: "",
  createdBy: "admin",
};

function open(edit: (args: unknown) => Promise<unknown>, onClose = vi.fn()) {
  call.mockImplementation((name: string, args: unknown) => {
    if (name === "list_target_groups") return Promise.resolve(GROUPS);
    if (name === "edit_approval_rule") return edit(args);
    return Promise.reject(new Error(`unexpected ${name}`));
  });
  render(
    <FluentProvider theme={webLightTheme}>
      <ApprovalRuleWizard rule={RULE as never} categories={CATEGORIES as never} onClose={onClose} />
    </FluentProvider>,
  );
  return onClose;
}

const step = () => document.querySelector('[aria-current="step"]')?.textContent;
const button = (name: string) => screen.getByRole("button", { name });

afterEach(() => {
  cleanup();
  call.mockReset();
});

describe("ApprovalRuleWizard", () => {
  it("lists its pages with Summary, Progress and Completion, and goes through them", async () => {
    let answer: (v: unknown) => void = () => undefined;
    const onClose = open(() => new Promise((resolve) => (answer = resolve)));
    const pages = [...document.querySelectorAll("ol[aria-label='Wizard pages'] li")].map((li) => li.textContent);
    expect(pages).toEqual(["General", "Product categories", "Update classifications", "Deployment", "Summary", "Progress", "Completion"]);
    await screen.findByRole("textbox", { name: /Name/ });
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(step()).toBe("Summary"));
    const summary = within(screen.getByRole("group", { name: "Summary" }));
    expect(summary.getByText("Windows 11")).toBeTruthy();
    expect(summary.getByText("3 days")).toBeTruthy();
    fireEvent.click(button("Finish"));
    await waitFor(() => expect(step()).toBe("Progress"));
    answer(RULE);
    await waitFor(() => expect(step()).toBe("Completion"));
    expect(screen.getByText("The rule was saved.")).toBeTruthy();
    fireEvent.click(button("Close"));
    expect(onClose).toHaveBeenCalledWith(true);
  });

  it("shows the site's refusal on Completion; Previous goes back to the Summary and Cancel saves nothing", async () => {
    const onClose = open(() => Promise.reject(new ApiFailure({ code: "Conflict", message: "A rule with this name exists." })));
    await screen.findByRole("textbox", { name: /Name/ });
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(step()).toBe("Summary"));
    fireEvent.click(button("Finish"));
    expect(await screen.findByText("A rule with this name exists.")).toBeTruthy();
    expect(step()).toBe("Completion");
    expect(screen.queryByRole("button", { name: "Close" })).toBeNull();
    fireEvent.click(button("< Previous"));
    await waitFor(() => expect(step()).toBe("Summary"));
    fireEvent.click(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith(false);
  });
});
