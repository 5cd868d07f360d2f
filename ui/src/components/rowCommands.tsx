// The commands a list page offers on its selected row, built from the page's state so each
// page declares only what differs: its labels, its command group and what the command does.
// A row command is off with no row (or several) selected; `idle` ones also while an action of
// the page runs. The labels come from the feature's strings.ts.
import type { ReactElement } from "react";
import { ArrowClockwiseRegular, CheckmarkCircleRegular, DeleteRegular, DismissCircleRegular, InfoRegular } from "@fluentui/react-icons";
import type { Command } from "./CommandBar/CommandBar";
import type { ListPageState } from "./useListPage";

type RowPage<T> = Pick<ListPageState<T>, "selected" | "working">;

export interface RowCommandSpec<T> {
  id: string;
  label: string;
  icon?: ReactElement;
  description?: string;
  /** The site command it runs (see Command.needs). */
  needs?: Command["needs"];
  group: string;
  /** Also off while an action of the page runs. */
  idle?: boolean;
  /** Off for a row this refuses. */
  allows?(row: T): boolean;
  run(row: T): void;
}

/** A command on the one selected row. */
export function rowCommand<T>(page: RowPage<T>, spec: RowCommandSpec<T>): Command {
  const { selected: row, working } = page;
  const { idle, allows, run, ...command } = spec;
  return {
    ...command,
    disabled: !row || (idle === true && working) || (allows !== undefined && !allows(row)),
    run: () => row && run(row),
  };
}

/** Refresh: reads the rows again. */
export function refreshCommand(label: string, page: Pick<ListPageState<unknown>, "load">): Command {
  return { id: "refresh", label, icon: <ArrowClockwiseRegular />, group: "view", run: page.load };
}

/**
 * Enable and Disable (a rule, a deployment): each offered when the selected row is in the
 * other state; the change runs through the page's `act`, so its failure shows on the page.
 */
export function enableCommands<T extends { enabled: boolean }>(
  page: Pick<ListPageState<T>, "selected" | "working" | "act">,
  labels: { enable: string; disable: string },
  group: string,
  setEnabled: (row: T, enabled: boolean) => Promise<unknown>,
  needs?: Command["needs"],
): Command[] {
  const toggle = (id: "enable" | "disable", icon: ReactElement, enabled: boolean) =>
    rowCommand(page, { id, label: labels[id], icon, group, needs, idle: true, allows: (row) => row.enabled !== enabled, run: (row) => void page.act(() => setEnabled(row, enabled)) });
  return [toggle("enable", <CheckmarkCircleRegular />, true), toggle("disable", <DismissCircleRegular />, false)];
}

/**
 * Properties: opens the row's properties (a wizard prefilled, usually). `needs` names the
 * command saving them when Properties is that command's wizard.
 */
export function propertiesCommand<T>(page: RowPage<T>, spec: Pick<RowCommandSpec<T>, "label" | "description" | "group" | "idle" | "run" | "needs">): Command {
  return rowCommand(page, { id: "properties", icon: <InfoRegular />, ...spec });
}

/** Delete (or Remove): asks first, through `useConfirmedRowAction`'s `ask`. */
export function deleteCommand<T>(page: RowPage<T>, spec: Pick<RowCommandSpec<T>, "label" | "description" | "group" | "idle" | "needs"> & { ask(row: T): void; id?: string }): Command {
  const { ask, id = "delete", ...rest } = spec;
  return rowCommand(page, { id, icon: <DeleteRegular />, ...rest, run: ask });
}
