// Moving the console to another node from inside a feature (e.g. a "see it in Monitoring"
// link). The shell provides the function; features name the target by workspace and node id
// (see navigation.tsx), and never import the shell or the node map themselves. A link may
// carry parameters (the overview's "filtered view" links): the page at the node reads them
// with useNodeParams(); pages that have no use for them ignore them.
import { createContext, useContext } from "react";

export type NavigateTo = (workspaceId: string, nodeId: string, params?: Record<string, string>) => void;

export const NavigateContext = createContext<NavigateTo>(() => {
  /* outside the console shell (unit tests): nowhere to go */
});

export function useNavigateTo(): NavigateTo {
  return useContext(NavigateContext);
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** The parameters the node in view was opened with; empty when opened from the tree. */
export const NodeParamsContext = createContext<Readonly<Record<string, string>>>(NO_PARAMS);

export function useNodeParams(): Readonly<Record<string, string>> {
  return useContext(NodeParamsContext);
}

/**
 * The id of the node in view: the key under which the console remembers its layout (column
 * widths and picks, the details pane's height). Null outside the console shell (unit tests).
 */
export const NodeIdContext = createContext<string | null>(null);

/** Where the node in view remembers the layout of its `part` (its grid, its details pane). */
export function useLayoutKey(part: string): string | undefined {
  const nodeId = useContext(NodeIdContext);
  return nodeId === null ? undefined : `${nodeId}.${part}`;
}

/**
 * A console route as the site writes it ("<workspace>/<nodeId>" optionally followed by
 * "?" and a URL query) split into navigateTo's arguments; null when it is not one.
 */
export function parseRoute(link: string): { workspace: string; node: string; params: Record<string, string> } | null {
  const [path, query = ""] = link.split("?", 2);
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) return null;
  const params: Record<string, string> = {};
  new URLSearchParams(query).forEach((value, key) => {
    params[key] = value;
  });
  return { workspace: path.slice(0, slash), node: path.slice(slash + 1), params };
}

/** Node ids that features link to. */
export const nodeIds = {
  syncStatus: { workspace: "monitoring", node: "monitoring.supSync" },
  allUpdates: { workspace: "library", node: "library.allUpdates" },
} as const;
