// The mocked site the page tests run against: one `call` mock that a test file puts in the
// api's place (`vi.mock(<path to ui/src/api>, mockedApi)`), its answers by command name, the
// grid's viewport given a size (jsdom lays nothing out), the page rendered in Fluent's
// provider, and the small moves the tests share. Only tests import this.
import type { ReactNode } from "react";
import { vi } from "vitest";
import { cleanup, fireEvent, render } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { SyncSettings, UpdateRow } from "../api";
import { NodeParamsContext } from "../app/navigate";

export const call = vi.fn();

/** vi.mock's factory for ui/src/api: the real module with `call` answered by the mock (and `also`, e.g. `subscribe`). */
export async function mockedApi(importOriginal: () => Promise<unknown>, also: object = {}) {
  const actual = (await importOriginal()) as object;
  return { ...actual, call: (name: string, args: unknown) => call(name, args), ...also };
}

/** An answer: the value resolved, or a function of the command's arguments. */
export type Answer = ((args: unknown) => unknown) | object | string | number | boolean | null;

/**
 * Answers `call` by command name from `answers`, then `overrides` (a test's own); a command in
 * neither is refused as unexpected, unless `otherwise` answers it.
 */
export function answerCalls(answers: Record<string, Answer>, overrides: Record<string, Answer> = {}, otherwise?: Answer) {
  call.mockImplementation((name: string, args: unknown) => {
    const answer = name in overrides ? overrides[name] : name in answers ? answers[name] : otherwise;
    if (answer === undefined) return Promise.reject(new Error(`unexpected ${name}`));
    return typeof answer === "function" ? Promise.resolve(answer(args)) : Promise.resolve(answer);
  });
}

/** The arguments of every call of `name`, in order. */
export const calls = (name: string) => call.mock.calls.filter(([n]) => n === name).map(([, a]) => a);

/** Gives the grid's viewport a size, so the virtualizer draws rows. */
export function sizeTheGrid() {
  Element.prototype.scrollTo ??= function () {};
  vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(600);
  vi.spyOn(Element.prototype, "clientWidth", "get").mockReturnValue(1000);
}

/** Unmounts the page and forgets the calls and answers: for `afterEach`. */
export function resetSite() {
  cleanup();
  call.mockReset();
}

export const renderPage = (page: ReactNode) => render(<FluentProvider theme={webLightTheme}>{page}</FluentProvider>);

/** The page as a link opens it: with the link's parameters ("?id=7" as { id: "7" }). */
export const renderLinked = (params: Record<string, string>, page: ReactNode) => renderPage(<NodeParamsContext.Provider value={params}>{page}</NodeParamsContext.Provider>);

/** A command bar's button, by the command's id. */
export const command = (id: string) => document.querySelector(`[data-command="${id}"]`) as HTMLButtonElement;

// A real click focuses what it clicks: without that, the field that had focus leaves with its
// page and the dialog's focus trap, finding focus outside, hides the dialog from queries.
export const press = (el: HTMLElement) => {
  el.focus();
  fireEvent.click(el);
};

/** An update row as list_updates answers it: nothing set but what `over` says. */
export const updateRow = (over: Partial<UpdateRow> = {}): UpdateRow => ({
  updateId: "u",
  revision: 1,
  title: "t",
  articleId: null,
  bulletinId: null,
  classification: null,
  products: null,
  severity: null,
  releaseDate: null,
  size: 0,
  isBundle: false,
  superseded: false,
  expired: false,
  declined: false,
  languages: "",
  requiredCount: 0,
  installedCount: 0,
  notRequiredCount: 0,
  deployed: false,
  ...over,
});

/** A target group (collection) as list_target_groups answers it. */
export const targetGroup = (id: number, parentId: number | null, path: string) => ({
  id,
  parentId,
  name: path.split(" / ").pop() ?? path,
  description: "",
  path,
  memberCount: 0,
  assignmentCount: 0,
  createdUtc: "2026-11-01T00:00:00.000Z",
});

/** The synchronization settings of a site never configured (the site's defaults). */
export const siteDefaultSyncSettings = (overrides: Partial<SyncSettings> = {}): SyncSettings => ({
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
  ...overrides,
});
