// Classifications and products for the filters (list_categories), fetched once per page view.
import { useEffect, useState } from "react";
import { call, toApiFailure, type ApiFailure, type CategoryInfo } from "../../api";

export function useCategories(): { categories: CategoryInfo[]; failure: ApiFailure | null; reload(): void } {
  const [categories, setCategories] = useState<CategoryInfo[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    call("list_categories", {}).then(
      (list) => {
        if (!live) return;
        setCategories(list);
        setFailure(null);
      },
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { categories, failure, reload: () => setAttempt((a) => a + 1) };
}
