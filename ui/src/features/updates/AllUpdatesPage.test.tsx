// All Software Updates opened through a console link: the link's criteria are the page's
// first query (and show in its filters), so the overview's counts match the rows listed.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { NodeParamsContext } from "../../app/navigate";

const call = vi.fn();
vi.mock("../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api")>();
  return { ...actual, call: (name: string, args: unknown) => call(name, args), subscribe: () => () => {} };
});

const { AllUpdatesPage } = await import("./AllUpdatesPage");

Element.prototype.scrollTo ??= function () {};

function site() {
  call.mockImplementation((name: string) => {
    switch (name) {
      case "list_updates":
        return Promise.resolve({ total: 0, rows: [] });
      case "list_categories":
      case "list_saved_searches":
        return Promise.resolve([]);
      default:
        return Promise.reject(new Error(`unexpected ${name}`));
    }
  });
}

const listQueries = () => call.mock.calls.filter(([name]) => name === "list_updates").map(([, args]) => args);

afterEach(() => {
  cleanup();
  call.mockReset();
});

describe("AllUpdatesPage link parameters", () => {
  it("starts with the link's filter", async () => {
    site();
    render(
      <FluentProvider theme={webLightTheme}>
        <NodeParamsContext.Provider value={{ minRequired: "0", deployed: "false" }}>
          <AllUpdatesPage />
        </NodeParamsContext.Provider>
      </FluentProvider>,
    );
    await waitFor(() => expect(listQueries().length).toBeGreaterThan(0));
    for (const q of listQueries()) expect(q).toMatchObject({ minRequired: 0, deployed: false, declined: false });
    expect((screen.getByRole("textbox", { name: "Required on more than" }) as HTMLInputElement).value).toBe("0");
  });

  it("opened from the tree, filters nothing", async () => {
    site();
    render(
      <FluentProvider theme={webLightTheme}>
        <AllUpdatesPage />
      </FluentProvider>,
    );
    await waitFor(() => expect(listQueries().length).toBeGreaterThan(0));
    expect(listQueries()[0]).toMatchObject({ minRequired: null, deployed: null });
  });
});
