// What a deployment's General page chooses from: the software update groups and the
// collections, read once (again on Retry), with the failures shown on that page.
import { useEffect, useState } from "react";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { strings } from "./strings";
import type { TargetGroup, UpdateGroupInfo } from "./types";

const w = strings.wizard;

export function useDeployChoices() {
  const [groups, setGroups] = useState<UpdateGroupInfo[] | null>(null);
  const [targets, setTargets] = useState<TargetGroup[] | null>(null);
  const [loadFailures, setLoadFailures] = useState<{ groups?: ApiFailure; targets?: ApiFailure }>({});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    call("list_update_groups", {}).then(
      (g) => live && (setGroups(g), setLoadFailures((f) => ({ ...f, groups: undefined }))),
      (e: unknown) => live && setLoadFailures((f) => ({ ...f, groups: toApiFailure(e) })),
    );
    call("list_target_groups", {}).then(
      (t) => live && (setTargets(t), setLoadFailures((f) => ({ ...f, targets: undefined }))),
      (e: unknown) => live && setLoadFailures((f) => ({ ...f, targets: toApiFailure(e) })),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const retry = () => setAttempt((a) => a + 1);
  const failures = (
    <>
      {loadFailures.groups && <ErrorBar title={w.general.groupsFailed} message={loadFailures.groups.message} onRetry={retry} retryLabel={strings.retry} />}
      {loadFailures.targets && <ErrorBar title={w.general.targetsFailed} message={loadFailures.targets.message} onRetry={retry} retryLabel={strings.retry} />}
    </>
  );
  return { groups, targets, failures };
}
