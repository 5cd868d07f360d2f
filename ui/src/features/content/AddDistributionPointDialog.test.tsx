// Add Distribution Point against a mocked site: a remote server is sent with its address and
// token, nothing is sent while a check fails, and the site's refusal is shown as written.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { call } from "../../test/site";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { ApiFailure } = await import("../../api");
const { AddDistributionPointDialog } = await import("./dialogs");
const { strings: all } = await import("./strings");
const strings = () => all.dps.addIssues;
function open(onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <AddDistributionPointDialog onClose={onClose} />
    </FluentProvider>,
  );
  return onClose;
}

const type = (label: RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

afterEach(() => {
  cleanup();
  call.mockReset();
});

describe("Add Distribution Point", () => {
  it("adds a remote server with its address and token", async () => {
    const added = { id: 3, name: "Branch 01", kind: "Remote", location: "https://branch-01:8470", createdUtc: "" };
    call.mockResolvedValue(added);
    const onClose = open();
    type(/^Name/, "Branch 01");
    fireEvent.click(screen.getByRole("radio", { name: /Remote server/ }));
    expect(screen.queryByLabelText(/Folder path/)).toBeNull();
    type(/Server address/, "https://branch-01:8470/");
    type(/API token/, "t0k3n");
    fireEvent.click(screen.getByRole("button", { name: "OK" }));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledWith(added));
    expect(call).toHaveBeenCalledWith("add_distribution_point", {
      name: "Branch 01",
      kind: "Remote",
      location: "https://branch-01:8470",
      token: "t0k3n",
      allowPlainHttp: false,
    });
  });

  it("sends nothing while the token is missing or plain http is not allowed", async () => {
    open();
    type(/^Name/, "Branch 01");
    fireEvent.click(screen.getByRole("radio", { name: /Remote server/ }));
    type(/Server address/, "http://branch-01:8470");
    expect(screen.getByText(strings().plainHttp)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "OK" }));
    expect(screen.getByText(strings().tokenRequired)).toBeTruthy();
    expect(call).not.toHaveBeenCalled();
  });

  it("shows the site's refusal as written and stays open", async () => {
    const message = "'https://branch-01:8470' refused: a distribution point named 'Branch 01' exists already.";
    call.mockRejectedValue(new ApiFailure({ code: "Conflict", message }));
    const onClose = open();
    type(/^Name/, "Branch 01");
    fireEvent.click(screen.getByRole("radio", { name: /Remote server/ }));
    type(/Server address/, "https://branch-01:8470");
    type(/API token/, "t0k3n");
    fireEvent.click(screen.getByRole("button", { name: "OK" }));
    expect(await screen.findByText(message)).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });
});
