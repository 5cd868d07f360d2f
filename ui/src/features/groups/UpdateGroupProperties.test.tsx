// Properties of a software update group against a mocked site: Cancel sends nothing; OK sends
// one edit holding the new name and the members marked for removal; a refusal is shown.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { updateRow } from "../../test/site";

const call = vi.fn();
vi.mock("../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api")>();
  return { ...actual, call: (name: string, args: unknown) => call(name, args) };
});

const { ApiFailure } = await import("../../api");
const { UpdateGroupProperties } = await import("./UpdateGroupProperties");

const member = (id: string, title: string) => updateRow({ updateId: id, title, classification: "Security Updates", languages: "en" });

const INFO = {
  id: 7,
  name: "Patch Tuesday",
  description: "October",
  createdUtc: "2026-11-01T00:00:00.000Z",
  memberCount: 2,
  deploymentCount: 0,
  compliance: { required: 0, installed: 0, notRequired: 0, failed: 0, unknown: 0 },
};

function site(edit: (args: unknown) => Promise<unknown>) {
  call.mockImplementation((name: string, args: unknown) => {
    if (name === "get_update_group") return Promise.resolve({ info: INFO, members: [member("a", "First"), member("b", "Second")] });
    if (name === "edit_update_group") return edit(args);
    return Promise.reject(new Error(`unexpected ${name}`));
  });
}

function open(onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <UpdateGroupProperties groupId={7} onClose={onClose} />
    </FluentProvider>,
  );
  return onClose;
}

const edits = () => call.mock.calls.filter(([name]) => name === "edit_update_group");

afterEach(() => {
  cleanup();
  call.mockReset();
});

describe("UpdateGroupProperties", () => {
  it("Cancel after changes sends nothing", async () => {
    site(() => Promise.reject(new Error("must not be called")));
    const onClose = open();
    fireEvent.change(await screen.findByDisplayValue("Patch Tuesday"), { target: { value: "Renamed" } });
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onClose).toHaveBeenCalledWith(false);
    expect(edits()).toHaveLength(0);
  });

  it("OK sends one edit with the new name and the members marked for removal", async () => {
    site(() => Promise.resolve({ ...INFO, name: "Renamed", memberCount: 1 }));
    const onClose = open();
    fireEvent.change(await screen.findByDisplayValue("Patch Tuesday"), { target: { value: " Renamed " } });
    fireEvent.click(screen.getByRole("tab", { name: "Software Updates" }));
    fireEvent.click(await screen.findByRole("checkbox", { name: "Select Second" }));
    fireEvent.click(screen.getByRole("button", { name: "Remove from Group" }));
    expect(screen.getByText("1 update will be removed when you apply.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "OK" }));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    expect(edits()).toEqual([["edit_update_group", { id: 7, name: "Renamed", description: null, add: [], remove: ["b"] }]]);
  });

  it("a refusal keeps the dialog open with the site's message", async () => {
    site(() => Promise.reject(new ApiFailure({ code: "Conflict", message: "A group named 'Renamed' already exists." })));
    const onClose = open();
    fireEvent.change(await screen.findByDisplayValue("Patch Tuesday"), { target: { value: "Renamed" } });
    fireEvent.click(screen.getByRole("button", { name: "OK" }));
    expect(await screen.findByText("A group named 'Renamed' already exists.")).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });
});
