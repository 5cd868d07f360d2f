// Moving the console to another node from inside a feature (e.g. a "see it in Monitoring"
// link). The shell provides the function; features name the target by workspace and node id
// (see navigation.tsx), and never import the shell or the node map themselves.
import { createContext, useContext } from "react";

export type NavigateTo = (workspaceId: string, nodeId: string) => void;

export const NavigateContext = createContext<NavigateTo>(() => {
  /* outside the console shell (unit tests): nowhere to go */
});

export function useNavigateTo(): NavigateTo {
  return useContext(NavigateContext);
}

/** Node ids that features link to. */
export const nodeIds = {
  syncStatus: { workspace: "monitoring", node: "monitoring.supSync" },
  allUpdates: { workspace: "library", node: "library.allUpdates" },
} as const;
