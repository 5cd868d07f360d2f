// get_update for one update id, with the failure kept for display.
import { useEffect, useState } from "react";
import { call, toApiFailure, type ApiFailure, type UpdateDetails } from "../../api";

export interface UpdateDetailsState {
  details: UpdateDetails | null;
  failure: ApiFailure | null;
  loading: boolean;
}

/** `delayMs` lets a details pane wait until the focused row stops moving. */
export function useUpdateDetails(updateId: string | null, delayMs = 0): UpdateDetailsState {
  const [state, setState] = useState<UpdateDetailsState>({ details: null, failure: null, loading: false });
  useEffect(() => {
    if (!updateId) {
      setState({ details: null, failure: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ details: s.details?.row.updateId.toLowerCase() === updateId.toLowerCase() ? s.details : null, failure: null, loading: true }));
    const timer = setTimeout(() => {
      call("get_update", { updateId }).then(
        (details) => live && setState({ details, failure: null, loading: false }),
        (e: unknown) => live && setState({ details: null, failure: toApiFailure(e), loading: false }),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [updateId, delayMs]);
  return state;
}
