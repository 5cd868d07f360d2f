// Add Deployment (ADR-3) against a mocked site: the wizard saves the rule with one more
// deployment (its own collection and schedule), a site issue about it shows under its field
// on its page, and Cancel sends nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { AdrSpec, AutomaticDeploymentRule, FieldIssue } from "./types";
import { call } from "../../../test/site";

vi.mock("../../../api", async (importOriginal) => (await import("../../../test/site")).mockedApi(importOriginal));

const { AddDeploymentDialog } = await import("./AddDeploymentDialog");

const NOW = new Date("2026-11-29T05:42:17Z");
const TARGETS = [
  { id: 1, parentId: null, name: "All Computers", description: "", path: "All Computers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
  { id: 2, parentId: 1, name: "Pilot", description: "", path: "All Computers / Pilot", memberCount: 0, assignmentCount: 0, createdUtc: "" },
];
const FIRST = { targetGroupId: 1, availableAfter: null, deadlineAfter: { value: 7, unit: "Days" }, settings: { deploymentType: "Required" } };
const RULE = { id: 3, enabled: true, spec: { name: "Monthly", deployments: [FIRST] } } as unknown as AutomaticDeploymentRule;

function site(validate: (spec: AdrSpec) => FieldIssue[] = () => []) {
  call.mockImplementation((name: string, args: unknown) => {
    if (name === "list_target_groups") return Promise.resolve(TARGETS);
    if (name === "validate_adr") return Promise.resolve(validate((args as { spec: AdrSpec }).spec));
    if (name === "edit_adr") return Promise.resolve({ ...RULE, spec: (args as { spec: AdrSpec }).spec });
    return Promise.reject(new Error(`unexpected ${name}`));
  });
}

function open(onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <AddDeploymentDialog rule={RULE} onClose={onClose} now={() => NOW} />
    </FluentProvider>,
  );
  return onClose;
}

const button = (name: string) => screen.getByRole("button", { name });
const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
async function nextTo(h: string) {
  fireEvent.click(button("Next >"));
  await waitFor(() => expect(heading()).toMatch(h));
}

beforeEach(() => {
  call.mockReset();
});
afterEach(cleanup);

describe("Add Deployment", () => {
  it("saves the rule with one more deployment to the chosen collection", async () => {
    site();
    const onClose = open();
    fireEvent.click(await screen.findByRole("radio", { name: "Pilot" }));
    await nextTo("settings for this deployment");
    await nextTo("schedule for this deployment");
    fireEvent.click(screen.getByRole("radio", { name: "After a delay from the run" }));
    fireEvent.change(screen.getByRole("spinbutton", { name: /Software available time: Amount/ }), { target: { value: "2" } });
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    expect(screen.getByText("All Computers / Pilot")).toBeTruthy();
    expect(call.mock.calls.some(([n]) => n === "edit_adr")).toBe(false);
    await nextTo("was added");
    fireEvent.click(button("Close"));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const edit = call.mock.calls.find(([n]) => n === "edit_adr")?.[1] as { id: number; spec: AdrSpec };
    expect(edit.id).toBe(3);
    // Checked as an edit of rule 3: the rule's own name must not count as taken.
    const checked = call.mock.calls.filter(([n]) => n === "validate_adr").map(([, a]) => (a as { id: number }).id);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.every((id) => id === 3)).toBe(true);
    expect(edit.spec.deployments).toHaveLength(2);
    expect(edit.spec.deployments[0]).toEqual(FIRST);
    expect(edit.spec.deployments[1]).toMatchObject({ targetGroupId: 2, availableAfter: { value: 2, unit: "Hours" }, deadlineAfter: { value: 7, unit: "Days" } });
  }, 20_000);

  it("shows the site's issue about the new deployment under its field, and saves nothing", async () => {
    site(() => [{ field: "deployments[1].deadlineAfter", message: "The deadline is at most 1 year after the available time." }]);
    const onClose = open();
    fireEvent.click(await screen.findByRole("radio", { name: "Pilot" }));
    fireEvent.click(button("Summary"));
    expect(await screen.findByText("The deadline is at most 1 year after the available time.")).toBeTruthy();
    expect(heading()).toMatch("schedule for this deployment");
    expect(call.mock.calls.some(([n]) => n === "edit_adr")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onClose).toHaveBeenCalledWith();
  }, 20_000);

  it("names a problem of the rule itself in words, not by its field's key", async () => {
    site(() => [{ field: "name", message: "An automatic deployment rule named 'Monthly' already exists; choose another name." }]);
    open();
    fireEvent.click(await screen.findByRole("radio", { name: "Pilot" }));
    fireEvent.click(button("Next >"));
    expect(await screen.findByText("The rule cannot be saved as it is (change it in its Properties)")).toBeTruthy();
    expect(screen.queryByText("name")).toBeNull();
    expect(heading()).toMatch("collection for this deployment");
  }, 20_000);
});
