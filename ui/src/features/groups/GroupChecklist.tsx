// The computer groups as a tree of checkboxes, as they load: the failure with Retry, a spinner
// until the list comes, then the tree (the Approve wizard's Select Groups, an agent policy's
// groups).
import type { ReactNode } from "react";
import { Spinner, makeStyles, shorthands, tokens } from "@fluentui/react-components";
import { ErrorBar } from "../../components/ErrorBar";
import { GroupTree } from "./GroupTree";
import type { TargetGroups } from "./useTargetGroups";
import type { TargetGroup } from "./types";

const useStyles = makeStyles({
  tree: {
    ...shorthands.border(tokens.strokeWidthThin, "solid", tokens.colorNeutralStroke2),
    padding: tokens.spacingVerticalXS,
    overflow: "auto",
  },
});

export function GroupChecklist(props: {
  groups: TargetGroups;
  ariaLabel: string;
  checked: readonly number[];
  onCheck(id: number, checked: boolean): void;
  /** Extra text after a group's name. */
  aside?(group: TargetGroup): ReactNode;
  texts: { failed: string; loading: string; retry: string };
  /** The tree's height: at least (a wizard page) or at most (a form). */
  minHeight?: string;
  maxHeight?: string;
}) {
  const styles = useStyles();
  const { groups, texts } = props;
  return (
    <>
      {groups.failure && <ErrorBar title={texts.failed} message={groups.failure.message} onRetry={groups.reload} retryLabel={texts.retry} />}
      {groups.groups === null ? (
        <Spinner size="tiny" label={texts.loading} />
      ) : (
        <div className={styles.tree} style={{ minHeight: props.minHeight, maxHeight: props.maxHeight }}>
          <GroupTree
            ariaLabel={props.ariaLabel}
            tree={groups.tree}
            mode={{ kind: "check", checked: new Set(props.checked), onCheck: props.onCheck }}
            aside={props.aside}
          />
        </div>
      )}
    </>
  );
}
