// Software Update Point Properties against a mocked site: Cancel saves nothing, Apply only
// when something changed, a refusal keeps the dialog open with the site's message.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { SyncSettings } from "../../../api";

const call = vi.fn();
vi.mock("../../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api")>();
  return { ...actual, call: (name: string, args: unknown) => call(name, args) };
});

const { ApiFailure } = await import("../../../api");
const { SupPropertiesDialog } = await import("./SupPropertiesDialog");

const STORED: SyncSettings = {
  source: "MicrosoftUpdate",
  upstreamUrl: "",
  allowPlainHttp: false,
  productIds: [],
  classificationIds: [],
  languages: ["en"],
  schedule: { kind: "Weekly", everyHours: 24, dayOfWeek: 6, timeUtc: "02:00" },
  cleanupSupersededDays: 30,
  proxyUrl: "",
  caCertificateFile: "",
};

function site(setResult: (s: SyncSettings) => Promise<SyncSettings>) {
  call.mockImplementation((name: string, args: unknown) => {
    switch (name) {
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
const setCalls = () => call.mock.calls.filter(([name]) => name === "set_sync_settings");

async function chooseUpstream(url: string) {
  fireEvent.click(await screen.findByRole("radio", { name: "Upstream update server" }));
  fireEvent.change(screen.getByRole("textbox", { name: /Upstream server address/ }), { target: { value: url } });
}

beforeEach(() => {
  call.mockReset(); // (a function returned from beforeEach would be run as its cleanup)
});
afterEach(cleanup);

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
});
