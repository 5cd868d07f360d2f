// The Approve Updates wizard against a mocked site: Cancel sends nothing; Finish sends one
// approval per ticked group with its own action and deadline; a refusal is shown and the
// wizard stays where it was.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { call } from "../../test/site";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { ApiFailure } = await import("../../api");
const { ApproveWizard } = await import("./ApproveWizard");
const { targetGroup: group } = await import("../../test/site");


function site(approve: (args: unknown) => Promise<unknown>) {
  call.mockImplementation((name: string, args: unknown) => {
    switch (name) {
      case "list_target_groups":
        return Promise.resolve([
          group(1, null, "All Computers"),
          group(2, 1, "All Computers / Desktops"),
          group(3, 2, "All Computers / Desktops / Berlin"),
          group(4, 1, "All Computers / Servers"),
        ]);
      case "list_approvals":
        return Promise.resolve([]);
      case "approve_updates":
        return approve(args);
      default:
        return Promise.reject(new Error(`unexpected ${name}`));
    }
  });
}

function open(onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <ApproveWizard updateIds={["u1", "u2"]} titles={["First", "Second"]} onClose={onClose} />
    </FluentProvider>,
  );
  return onClose;
}

async function tick(path: string) {
  const item = await waitFor(() => {
    const el = document.querySelector(`[data-group="${path}"]`);
    if (!el) throw new Error(`no group ${path}`);
    return el as HTMLElement;
  });
  fireEvent.click(within(item).getAllByRole("checkbox")[0]);
}

const approveCalls = () => call.mock.calls.filter(([name]) => name === "approve_updates");

afterEach(() => {
  cleanup();
  call.mockReset();
});

describe("ApproveWizard", () => {
  it("Cancel after choosing groups and actions sends nothing", async () => {
    site(() => Promise.reject(new Error("must not be called")));
    const onClose = open();
    await tick("All Computers / Desktops");
    fireEvent.click(screen.getByRole("button", { name: "Next >" }));
    fireEvent.change(await screen.findByRole("combobox", { name: "Approval: All Computers / Desktops" }), {
      target: { value: "Uninstall" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onClose).toHaveBeenCalledWith(false);
    expect(approveCalls()).toHaveLength(0);
  });

  it("Next needs a group; Finish sends each group's action and deadline and shows the report", async () => {
    site(() => Promise.resolve({ approvals: 4, undeclined: 1 }));
    const onClose = open();
    fireEvent.click(await screen.findByRole("button", { name: "Next >" }));
    expect(await screen.findByText("Select at least one group.")).toBeTruthy();
    await tick("All Computers / Desktops");
    await tick("All Computers / Servers");
    fireEvent.click(screen.getByRole("button", { name: "Next >" }));
    fireEvent.change(await screen.findByRole("combobox", { name: "Deadline: All Computers / Desktops" }), {
      target: { value: "TwoWeeks" },
    });
    fireEvent.change(screen.getByRole("combobox", { name: "Approval: All Computers / Servers" }), {
      target: { value: "DoNotInstall" },
    });
    expect((screen.getByRole("combobox", { name: "Deadline: All Computers / Servers" }) as HTMLSelectElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Finish" }));
    expect(await screen.findByText(/4 approvals written; 1 declined update is approved again/)).toBeTruthy();
    expect(approveCalls()).toEqual([
      [
        "approve_updates",
        {
          updateIds: ["u1", "u2"],
          approvals: [
            { groupId: 2, action: "Required", deadline: "TwoWeeks", customDeadlineUtc: null },
            { groupId: 4, action: "DoNotInstall", deadline: "None", customDeadlineUtc: null },
          ],
        },
      ],
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(onClose).toHaveBeenCalledWith(true);
  });

  it("a refusal is shown as the site wrote it and the wizard stays on its page", async () => {
    const refusal = "KB5009423 declined because it expired upstream; it cannot be approved.";
    site(() => Promise.reject(new ApiFailure({ code: "Validation", message: refusal })));
    open();
    await tick("All Computers");
    fireEvent.click(screen.getByRole("button", { name: "Next >" }));
    fireEvent.click(await screen.findByRole("button", { name: "Finish" }));
    expect(await screen.findByText(refusal)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Finish" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Close" })).toBeNull();
  });

  it("shows the Summary, then Progress while saving, then Completion", async () => {
    let answer: (report: unknown) => void = () => undefined;
    site(() => new Promise((resolve) => (answer = resolve)));
    open();
    const step = () => document.querySelector('[aria-current="step"]')?.textContent;
    expect([...document.querySelectorAll("ol[aria-label='Wizard pages'] li")].map((li) => li.textContent)).toEqual([
      "Select Groups",
      "Deployment Action",
      "Summary",
      "Progress",
      "Completion",
    ]);
    await tick("All Computers / Servers");
    fireEvent.click(screen.getByRole("button", { name: "Next >" }));
    await screen.findByRole("combobox", { name: "Approval: All Computers / Servers" });
    fireEvent.click(screen.getByRole("button", { name: "Summary" }));
    await waitFor(() => expect(step()).toBe("Summary"));
    expect(within(screen.getByRole("group", { name: "Summary" })).getByText("All Computers / Servers")).toBeTruthy();
    expect(screen.getByText("Required install; deadline: None")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Finish" }));
    await waitFor(() => expect(step()).toBe("Progress"));
    expect(approveCalls()).toHaveLength(1);
    answer({ approvals: 2, undeclined: 0 });
    await waitFor(() => expect(step()).toBe("Completion"));
    expect(screen.getByText("2 approvals written.")).toBeTruthy();
  });
});
