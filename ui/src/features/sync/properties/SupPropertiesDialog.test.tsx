// Software Update Point Properties against a mocked site: Cancel saves nothing, Apply only
// when something changed, a refusal keeps the dialog open with the site's message; the
// Clients tab's warning, its site issues on their fields, and what it saves.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { SyncSettings } from "../../../api";
import { siteDefaultSyncSettings } from "../../../test/site";
import type { ClientServiceSettings, FieldIssue } from "../clientsForm";

const call = vi.fn();
vi.mock("../../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api")>();
  return { ...actual, call: (name: string, args: unknown) => call(name, args) };
});

const { ApiFailure } = await import("../../../api");
const { SupPropertiesDialog } = await import("./SupPropertiesDialog");

const STORED: SyncSettings = siteDefaultSyncSettings();

const CLIENTS: ClientServiceSettings = {
  enabled: false,
  httpPort: 8530,
  httpsPort: 8531,
  requireSsl: false,
  certificateFile: "",
  privateKeyFile: "",
};

function site(setResult: (s: SyncSettings) => Promise<SyncSettings>, clientIssues: (s: ClientServiceSettings) => FieldIssue[] = () => []) {
  call.mockImplementation((name: string, args: unknown) => {
    switch (name) {
      case "get_client_service_settings":
        return Promise.resolve(CLIENTS);
      case "validate_client_service_settings":
        return Promise.resolve(clientIssues(args as ClientServiceSettings));
      case "set_client_service_settings":
        return Promise.resolve(args);
      case "get_sync_settings":
        return Promise.resolve(STORED);
      case "list_categories":
        return Promise.resolve([]);
      case "set_sync_settings":
        return setResult(args as SyncSettings);
      default:
        return Promise.reject(new Error(`unexpected ${name}`));
    }
  });
}

function open(onClose = vi.fn(), onSaved = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <SupPropertiesDialog onClose={onClose} onSaved={onSaved} now={new Date("2026-11-23T10:00:00Z")} />
    </FluentProvider>,
  );
  return { onClose, onSaved };
}

const input = (el: HTMLElement) => el as HTMLInputElement;
const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;
const setCalls = (name = "set_sync_settings") => call.mock.calls.filter(([n]) => n === name);

async function openClientsTab() {
  await screen.findByRole("radio", { name: "Microsoft Update" });
  fireEvent.click(screen.getByRole("tab", { name: "Clients" }));
  return screen.findByRole("checkbox", { name: "Accept connections from Windows Update Agents" });
}

async function chooseUpstream(url: string) {
  fireEvent.click(await screen.findByRole("radio", { name: "Upstream update server" }));
  fireEvent.change(screen.getByRole("textbox", { name: /Upstream server address/ }), { target: { value: url } });
}

beforeEach(() => {
  call.mockReset(); // (a function returned from beforeEach would be run as its cleanup)
});
afterEach(cleanup);

// The first test renders the dialog cold (Fluent styles, the tabs); on a loaded machine that
// alone can pass vitest's 5 s default.
describe("Software Update Point Properties", () => {
  it("shows the stored settings; Apply is off until something changes", async () => {
    site((s) => Promise.resolve(s));
    open();
    expect(input(await screen.findByRole("radio", { name: "Microsoft Update" })).checked).toBe(true);
    expect(input(screen.getByRole("textbox", { name: /Upstream server address/ })).disabled).toBe(true);
    expect(button("Apply").disabled).toBe(true);
    await chooseUpstream("https://up.example:8531");
    expect(button("Apply").disabled).toBe(false);
    fireEvent.click(screen.getByRole("radio", { name: "Microsoft Update" }));
    fireEvent.change(screen.getByRole("textbox", { name: /Upstream server address/ }), { target: { value: "" } });
    expect(button("Apply").disabled).toBe(true); // back to what is stored
  });

  it("Cancel closes and saves nothing", async () => {
    site((s) => Promise.resolve(s));
    const { onClose, onSaved } = open();
    await chooseUpstream("https://up.example:8531");
    fireEvent.click(screen.getByRole("checkbox", { name: /Allow plain HTTP/ }));
    fireEvent.click(button("Cancel"));
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onSaved).not.toHaveBeenCalled();
    expect(setCalls()).toHaveLength(0);
  });

  it("a refusal from the site is shown and the dialog stays open", async () => {
    const message = "The upstream address uses plain HTTP, where update metadata can be altered on the way.";
    site(() => Promise.reject(new ApiFailure({ code: "Validation", message })));
    const { onClose, onSaved } = open();
    await chooseUpstream("http://parent:8530");
    fireEvent.click(button("OK"));
    await screen.findByText(message);
    expect(onClose).not.toHaveBeenCalled();
    expect(onSaved).not.toHaveBeenCalled();
    expect(input(screen.getByRole("textbox", { name: /Upstream server address/ })).value).toBe("http://parent:8530");
    expect(button("Apply").disabled).toBe(false); // still dirty: nothing was stored
  });

  it("OK sends the form as settings and closes", async () => {
    site((s) => Promise.resolve(s));
    const { onClose, onSaved } = open();
    await chooseUpstream(" http://parent:8530 ");
    fireEvent.click(screen.getByRole("checkbox", { name: /Allow plain HTTP/ }));
    screen.getByText(/can be read and altered on the way/);
    fireEvent.click(button("OK"));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(setCalls()).toHaveLength(1);
    expect(setCalls()[0][1]).toEqual({ ...STORED, source: "UpstreamServer", upstreamUrl: "http://parent:8530", allowPlainHttp: true });
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it("OK with nothing changed closes without saving", async () => {
    site((s) => Promise.resolve(s));
    const { onClose } = open();
    await screen.findByRole("radio", { name: "Microsoft Update" });
    fireEvent.click(button("OK"));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(setCalls()).toHaveLength(0);
  });

  it("a form error is caught before sending: the tab holding it is shown", async () => {
    site((s) => Promise.resolve(s));
    const { onClose } = open();
    await screen.findByRole("radio", { name: "Microsoft Update" });
    fireEvent.click(screen.getByRole("tab", { name: "Languages" }));
    fireEvent.click(screen.getByRole("checkbox", { name: /English/ }));
    expect(screen.getAllByText("Choose at least one language.").length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole("tab", { name: "Sync Settings" }));
    fireEvent.click(button("OK"));
    await screen.findByRole("tabpanel", { name: "Languages" });
    expect(onClose).not.toHaveBeenCalled();
    expect(setCalls()).toHaveLength(0);
  });

  it("the schedule tab shows the UTC time's local equivalent", async () => {
    site((s) => Promise.resolve(s));
    open();
    await screen.findByRole("radio", { name: "Microsoft Update" });
    fireEvent.click(screen.getByRole("tab", { name: "Sync Schedule" }));
    expect(input(screen.getByRole("checkbox", { name: "Enable synchronization on a schedule" })).checked).toBe(true);
    expect(screen.getByTestId("schedule-local-time").textContent).toMatch(/^= Saturday \d\d:\d\d local time$|^= (Friday|Sunday) \d\d:\d\d local time$/);
    expect(input(screen.getByRole("combobox", { name: "Day (UTC)" })).value).toBe("6");
  });

  it("Clients: the stored ports, a warning about plain HTTP once enabled without SSL, and the restart note", async () => {
    site((s) => Promise.resolve(s));
    open();
    const enable = await openClientsTab();
    expect(input(enable).checked).toBe(false);
    expect(input(screen.getByRole("textbox", { name: /^Port number/ })).value).toBe("8530");
    expect(input(screen.getByRole("textbox", { name: /^SSL port number/ })).value).toBe("8531");
    screen.getByText(/Windows Update Agents are not served/);
    screen.getByText(/Changes apply when the site next starts/);
    expect(screen.queryByText(/over plain HTTP on port/)).toBeNull();
    fireEvent.click(enable);
    screen.getByText(/over plain HTTP on port 8530\. Anyone on the network .* can read the update metadata and the computers' reports, and alter them/);
    expect(button("Apply").disabled).toBe(false);
    fireEvent.click(screen.getByRole("checkbox", { name: /Require SSL communication/ }));
    expect(screen.queryByText(/over plain HTTP on port/)).toBeNull();
  });

  it("Clients: the site's issue is shown on its field and nothing is saved", async () => {
    const message = "The certificate file /nowhere/sup.pem cannot be read: No such file or directory (os error 2).";
    site((s) => Promise.resolve(s), (s) => (s.certificateFile ? [{ field: "certificateFile", message }] : []));
    const { onClose } = open();
    fireEvent.click(await openClientsTab());
    fireEvent.change(screen.getByRole("textbox", { name: /^Certificate file/ }), { target: { value: " /nowhere/sup.pem " } });
    fireEvent.change(screen.getByRole("textbox", { name: /^Private key file/ }), { target: { value: "/nowhere/sup.key" } });
    fireEvent.click(button("OK"));
    const shown = await screen.findByText(message);
    // On the field: Fluent links the validation message to its input.
    expect(screen.getByRole("textbox", { name: /^Certificate file/ }).getAttribute("aria-describedby")).toContain(shown.id);
    expect(setCalls("validate_client_service_settings")[0][1]).toEqual({ ...CLIENTS, enabled: true, certificateFile: "/nowhere/sup.pem", privateKeyFile: "/nowhere/sup.key" });
    expect(setCalls("set_client_service_settings")).toHaveLength(0);
    expect(onClose).not.toHaveBeenCalled();
    // Changing the form takes the site's issue away until the next check.
    fireEvent.change(screen.getByRole("textbox", { name: /^Certificate file/ }), { target: { value: "/etc/sup.pem" } });
    expect(screen.queryByText(message)).toBeNull();
  });

  it("Clients: a port that is not a port is caught before asking the site", async () => {
    site((s) => Promise.resolve(s));
    open();
    await openClientsTab();
    fireEvent.change(screen.getByRole("textbox", { name: /^Port number/ }), { target: { value: "80a" } });
    fireEvent.click(screen.getByRole("tab", { name: "Sync Settings" }));
    fireEvent.click(button("OK"));
    await screen.findByRole("tabpanel", { name: "Clients" });
    screen.getByText("Enter a port number from 1 to 65535.");
    expect(setCalls("validate_client_service_settings")).toHaveLength(0);
  });

  it("Clients: OK saves only the client settings when only they changed, as numbers", async () => {
    site((s) => Promise.resolve(s));
    const { onClose, onSaved } = open();
    fireEvent.click(await openClientsTab());
    fireEvent.change(screen.getByRole("textbox", { name: /^Port number/ }), { target: { value: " 8080 " } });
    fireEvent.click(button("OK"));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(setCalls("set_client_service_settings")).toHaveLength(1);
    expect(setCalls("set_client_service_settings")[0][1]).toEqual({ ...CLIENTS, enabled: true, httpPort: 8080 });
    expect(setCalls()).toHaveLength(0);
    expect(onSaved).not.toHaveBeenCalled();
  });
});
