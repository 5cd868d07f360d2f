// A deployment's Properties: the wizard's pages as tabs, each editable; OK/Apply check every
// tab (the console, then validate_deployment) and save with edit_deployment; a problem opens
// its tab; a role that may not save sees OK and Apply disabled with the reason.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { DeploymentSpec, FieldIssue } from "./types";
import { call } from "../../test/site";
import { deploymentOf } from "./fixtures";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { DeploymentProperties } = await import("./DeploymentProperties");
const { buildSpec, defaultForm } = await import("./model");

const NOW = new Date("2026-11-29T05:42:17Z");
const TARGETS = [
  { id: 1, parentId: null, name: "All Computers", description: "", path: "All Computers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
  { id: 2, parentId: 1, name: "Servers", description: "", path: "All Computers / Servers", memberCount: 0, assignmentCount: 0, createdUtc: "" },
];
const spec = buildSpec({ ...defaultForm({ updateIds: ["u1"], now: NOW }), name: "Patch Tuesday", targetGroupId: 2 }, NOW);
const DEPLOYMENT = deploymentOf(spec, { updateGroupName: "November" });

function site(opts: { validate?: (spec: DeploymentSpec) => FieldIssue[]; whoami?: unknown } = {}) {
  call.mockImplementation((name: string, args: unknown) => {
    switch (name) {
      case "list_update_groups":
        return Promise.resolve([{ id: 12, name: "November", description: "", memberCount: 2 }]);
      case "list_target_groups":
        return Promise.resolve(TARGETS);
      case "validate_deployment":
        return Promise.resolve(opts.validate?.(args as DeploymentSpec) ?? []);
      case "edit_deployment": {
        const { spec: s } = args as { id: number; spec: DeploymentSpec };
        return Promise.resolve({ ...DEPLOYMENT, name: s.name, description: s.description, settings: s.settings });
      }
      case "whoami":
        return opts.whoami ? Promise.resolve(opts.whoami) : Promise.reject(new Error("unknown"));
      default:
        return Promise.reject(new Error(`unexpected ${name}`));
    }
  });
}

function open(onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <DeploymentProperties deployment={DEPLOYMENT} onClose={onClose} now={() => NOW} />
    </FluentProvider>,
  );
  return onClose;
}

const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;
const edits = () => call.mock.calls.filter(([n]) => n === "edit_deployment");

beforeEach(() => {
  call.mockReset();
});
afterEach(cleanup);

describe("Deployment Properties", () => {
  it("shows the wizard's pages as tabs, not the wizard", async () => {
    site();
    open();
    const tabs = screen.getAllByRole("tab").map((t) => t.getAttribute("value"));
    expect(tabs).toEqual(["general", "deploymentSettings", "scheduling", "userExperience", "alerts", "downloadSettings"]);
    for (const name of ["General", "Deployment Settings", "Scheduling", "User Experience", "Alerts", "Download Settings"]) expect(screen.getByRole("tab", { name })).toBeTruthy();
    expect(screen.getByText("Patch Tuesday Properties")).toBeTruthy();
    expect(((await screen.findByRole("textbox", { name: /Deployment Name/ })) as HTMLInputElement).value).toBe("Patch Tuesday");
    expect(screen.queryByRole("button", { name: "Next >" })).toBeNull();
    expect(button("Apply").disabled).toBe(true);
  });

  it("Apply checks with the site and saves with edit_deployment, staying open; OK closes with what was saved", async () => {
    site();
    const onClose = open();
    fireEvent.change(await screen.findByRole("textbox", { name: /Deployment Name/ }), { target: { value: "Patch Wednesday" } });
    fireEvent.click(button("Apply"));
    await waitFor(() => expect(edits()).toHaveLength(1));
    expect(edits()[0][1]).toMatchObject({ id: 5, spec: { name: "Patch Wednesday", targetGroupId: 2 } });
    expect(call.mock.calls.some(([n]) => n === "validate_deployment")).toBe(true);
    expect(onClose).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByText("Patch Wednesday Properties")).toBeTruthy());
    fireEvent.click(screen.getByRole("tab", { name: "Alerts" }));
    fireEvent.click(button("OK"));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ name: "Patch Wednesday" })));
    expect(edits()).toHaveLength(1);
  });

  it("opens the tab holding the site's issue, with the issue on its field, and saves nothing", async () => {
    site({ validate: () => [{ field: "settings.userNotifications", message: "Not on this site." }] });
    open();
    fireEvent.change(await screen.findByRole("textbox", { name: /Description/ }), { target: { value: "Edited" } });
    fireEvent.click(button("OK"));
    await waitFor(() => expect(screen.getByRole("tab", { name: "User Experience" }).getAttribute("aria-selected")).toBe("true"));
    expect(within(screen.getByRole("tabpanel")).getByText("Not on this site.")).toBeTruthy();
    expect(edits()).toHaveLength(0);
  });

  it("Cancel saves nothing", async () => {
    site();
    const onClose = open();
    fireEvent.change(await screen.findByRole("textbox", { name: /Deployment Name/ }), { target: { value: "Other" } });
    fireEvent.click(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith(undefined);
    expect(edits()).toHaveLength(0);
  });

  it("a role without edit_deployment sees OK and Apply disabled, with the reason", async () => {
    site({ whoami: { role: "Read-only Analyst", scope: null, permissions: [], commands: [{ name: "edit_deployment", permission: "Modify deployments", reach: "Site" }] } });
    open();
    expect(await screen.findByTestId("denied-note")).toBeTruthy();
    expect(button("OK").disabled).toBe(true);
    expect(button("Apply").disabled).toBe(true);
  });
});
