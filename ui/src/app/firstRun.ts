// Opening the first-run configuration wizard from inside a feature (All Software Updates'
// empty state, Administration): the shell provides the function and shows the wizard over
// every page, so features never import the shell.
import { createContext, useContext } from "react";

export const FirstRunContext = createContext<() => void>(() => {
  /* outside the console shell (unit tests): nothing to open */
});

export function useOpenFirstRun(): () => void {
  return useContext(FirstRunContext);
}
