// The target groups as the site holds them, reloaded on demand.
import { useCallback, useEffect, useMemo, useState } from "react";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { buildGroupTree, type GroupNode } from "./tree";
import type { TargetGroup } from "./types";

export interface TargetGroups {
  groups: TargetGroup[] | null;
  tree: GroupNode[];
  failure: ApiFailure | null;
  reload(): void;
  byId(id: number): TargetGroup | undefined;
}

export function useTargetGroups(): TargetGroups {
  const [groups, setGroups] = useState<TargetGroup[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    call("list_target_groups", {}).then(
      (list) => {
        if (!live) return;
        setGroups(list);
        setFailure(null);
      },
      (e: unknown) => {
        if (!live) return;
        setFailure(toApiFailure(e));
        setGroups((g) => g ?? []);
      },
    );
    return () => {
      live = false;
    };
  }, [generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const tree = useMemo(() => buildGroupTree(groups ?? []), [groups]);
  const index = useMemo(() => new Map((groups ?? []).map((g) => [g.id, g])), [groups]);
  const byId = useCallback((id: number) => index.get(id), [index]);
  return { groups, tree, failure, reload, byId };
}
