// The wizard against a mocked site: page by page to Completion, the site's FieldIssues shown
// on the page holding the field, and Cancel sending nothing that changes the site.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { Deployment, DeploymentSpec, FieldIssue } from "./types";
import { call } from "../../test/site";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { DeployWizard } = await import("./DeployWizard");

const NOW = new Date("2026-11-29T05:42:17Z");
const TARGETS = [
  { id: 1, parentId: null, name: "All Computers", description: "", path: "All Computers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
  { id: 2, parentId: 1, name: "Servers", description: "", path: "All Computers / Servers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
];

function site(validate: (spec: DeploymentSpec) => FieldIssue[] = () => []) {
  call.mockImplementation((name: string, args: unknown) => {
    switch (name) {
      case "list_update_groups":
        return Promise.resolve([]);
      case "list_target_groups":
        return Promise.resolve(TARGETS);
      case "validate_deployment":
        return Promise.resolve(validate(args as DeploymentSpec));
      case "create_deployment": {
        const spec = args as DeploymentSpec;
        return Promise.resolve({ id: 1, name: spec.name, settings: spec.settings } as unknown as Deployment);
      }
      default:
        return Promise.reject(new Error(`unexpected ${name}`));
    }
  });
}

function open(onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <DeployWizard mode={{ kind: "create", updateIds: ["u1", "u2"] }} onClose={onClose} now={() => NOW} />
    </FluentProvider>,
  );
  return onClose;
}

const button = (name: string) => screen.getByRole("button", { name });
const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const changing = () => call.mock.calls.filter(([n]) => !["list_update_groups", "list_target_groups", "validate_deployment"].includes(n as string));

async function fillGeneral() {
  fireEvent.change(await screen.findByRole("textbox", { name: /Deployment Name/ }), { target: { value: "Patch Tuesday" } });
  fireEvent.click(await screen.findByRole("radio", { name: "Servers" }));
}

beforeEach(() => {
  call.mockReset();
});
afterEach(cleanup);

describe("Deploy Software Updates wizard", () => {
  it("goes page by page to Completion and creates what the Summary listed", async () => {
    site();
    const onClose = open();
    await fillGeneral();
    const expected = ["Specify the settings", "Specify the schedule", "Specify the user experience", "Specify alert options", "Specify software update download", "Confirm the settings"];
    for (const h of expected) {
      fireEvent.click(button("Next >"));
      await waitFor(() => expect(heading()).toMatch(h));
    }
    expect(screen.getByText("All Computers / Servers")).toBeTruthy();
    expect(changing()).toEqual([]);
    fireEvent.click(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("completed"));
    const created = changing();
    expect(created).toHaveLength(1);
    const spec = created[0][1] as DeploymentSpec;
    expect(spec).toMatchObject({ name: "Patch Tuesday", updateIds: ["u1", "u2"], targetGroupId: 2, updateGroupId: null });
    expect(spec.settings.deadlineUtc).toBe("2026-11-29T05:42:00Z");
    expect(screen.getByText('The deployment "Patch Tuesday" was created.')).toBeTruthy();
    fireEvent.click(button("Close"));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ id: 1 }));
  }, 20_000);

  it("does not leave General without a name and a collection, and says why", async () => {
    site();
    open();
    await screen.findByRole("radio", { name: "Servers" });
    fireEvent.click(button("Next >"));
    expect(await screen.findByText("Enter a name for the deployment.")).toBeTruthy();
    expect(screen.getByText("Choose the target collection.")).toBeTruthy();
    expect(heading()).toMatch("general information");
    expect(call.mock.calls.some(([n]) => n === "validate_deployment")).toBe(false);
  });

  it("shows the site's issue on the Scheduling page when a deadline comes before the available time", async () => {
    site((spec) => (spec.settings.deadlineUtc && spec.settings.deadlineUtc < spec.settings.availableUtc ? [{ field: "deadlineUtc", message: "The deadline is before the available time." }] : []));
    open();
    await fillGeneral();
    fireEvent.click(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify the settings"));
    fireEvent.click(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify the schedule"));
    // Specific times: available on the 10th, deadline on the 9th.
    const [availableSpecific, deadlineSpecific] = screen.getAllByRole("radio", { name: "Specific time" });
    fireEvent.click(availableSpecific);
    fireEvent.click(deadlineSpecific);
    const [available, deadline] = screen.getAllByLabelText(/date and time/);
    fireEvent.change(available, { target: { value: "2026-12-10T10:00" } });
    fireEvent.change(deadline, { target: { value: "2026-12-09T10:00" } });
    fireEvent.click(button("Next >"));
    // The console's own check refuses it first.
    expect(await screen.findByText("The installation deadline cannot be before the software available time.")).toBeTruthy();
    expect(heading()).toMatch("Specify the schedule");
  }, 20_000);

  it("sends a site issue about an earlier field back to that page", async () => {
    site((spec) => (spec.name === "Taken" ? [{ field: "name", message: "A deployment named Taken exists." }] : []));
    open();
    await fillGeneral();
    fireEvent.change(screen.getByRole("textbox", { name: /Deployment Name/ }), { target: { value: "Taken" } });
    fireEvent.click(button("Next >"));
    expect(await screen.findByText("A deployment named Taken exists.")).toBeTruthy();
    expect(heading()).toMatch("general information");
  });

  it("Cancel closes without changing anything, from any page", async () => {
    site();
    // From the first page, before anything is filled in.
    const early = open();
    await waitFor(() => expect(heading()).toMatch("general information"));
    fireEvent.click(button("Cancel"));
    expect(early).toHaveBeenCalledWith();
    cleanup();
    // From the Summary, with every page filled in.
    const late = open();
    await fillGeneral();
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    fireEvent.click(button("Cancel"));
    expect(late).toHaveBeenCalledWith();
    expect(changing()).toEqual([]);
  });

  it("shows the site's refusal on Completion, and Previous goes back to the Summary", async () => {
    site();
    call.mockImplementation((name: string) =>
      name === "list_target_groups"
        ? Promise.resolve(TARGETS)
        : name === "create_deployment"
          ? Promise.reject({ code: "Conflict", message: "The collection was deleted." })
          : Promise.resolve([]),
    );
    const onClose = open();
    await fillGeneral();
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    fireEvent.click(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("did not complete"));
    expect(screen.getByText("The collection was deleted.")).toBeTruthy();
    fireEvent.click(button("< Previous"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    fireEvent.click(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith();
  });
});
