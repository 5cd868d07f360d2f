// The target-group tree, in two modes: one selected group (Device Collections), or a
// checkbox per group (the Approve wizard's Select Groups page). Branches are groups too, so
// unlike the navigation tree every node can be selected.
import { CounterBadge, Tree, TreeItem, TreeItemLayout, makeStyles, tokens, type TreeOpenChangeData } from "@fluentui/react-components";
import { PeopleTeamRegular } from "@fluentui/react-icons";
import { useMemo, useState, type ReactNode } from "react";
import type { GroupNode } from "./tree";
import { flattenTree } from "./tree";
import type { TargetGroup } from "./types";

const useStyles = makeStyles({
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground1Selected,
  },
  aside: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

type Mode =
  | { kind: "select"; selectedId: number | null; onSelect(id: number): void }
  | { kind: "check"; checked: ReadonlySet<number>; onCheck(id: number, checked: boolean): void };

export function GroupTree(props: {
  ariaLabel: string;
  tree: readonly GroupNode[];
  mode: Mode;
  /** Extra text after a group's name (counts, the current approval…). */
  aside?(group: TargetGroup): ReactNode;
}) {
  const { ariaLabel, tree, mode, aside } = props;
  const styles = useStyles();
  const allBranches = useMemo(
    () => flattenTree(tree).filter((n) => n.children.length > 0).map((n) => String(n.group.id)),
    [tree],
  );
  // Open by default; a branch the user closed stays closed across reloads.
  const [closed, setClosed] = useState<Set<string>>(() => new Set());
  const openItems = allBranches.filter((id) => !closed.has(id));
  const onOpenChange = (_: unknown, data: TreeOpenChangeData) => {
    const id = String(data.value);
    setClosed((c) => {
      const next = new Set(c);
      if (data.open) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  const render = (nodes: readonly GroupNode[]): ReactNode =>
    nodes.map(({ group, children }) => {
      const branch = children.length > 0;
      const selected = mode.kind === "select" && mode.selectedId === group.id;
      return (
        <TreeItem
          key={group.id}
          value={String(group.id)}
          itemType={branch ? "branch" : "leaf"}
          aria-selected={mode.kind === "select" ? selected : undefined}
          data-group={group.path}
          onClick={(e) => {
            if (mode.kind !== "select") return;
            // Fluent calls this for clicks off the chevron only: those select the group and,
            // default prevented, leave a branch open or closed as it was.
            e.preventDefault();
            e.stopPropagation();
            mode.onSelect(group.id);
          }}
          onKeyDown={(e) => {
            if (mode.kind === "select" && (e.key === "Enter" || e.key === " ") && e.target === e.currentTarget) {
              e.preventDefault();
              mode.onSelect(group.id);
            }
          }}
        >
          <TreeItemLayout
            iconBefore={<PeopleTeamRegular />}
            className={selected ? styles.selected : undefined}
            aside={aside ? <span className={styles.aside}>{aside(group)}</span> : undefined}
          >
            {group.name}
          </TreeItemLayout>
          {branch && <Tree>{render(children)}</Tree>}
        </TreeItem>
      );
    });

  if (mode.kind === "check") {
    return (
      <Tree
        aria-label={ariaLabel}
        size="small"
        selectionMode="multiselect"
        openItems={openItems}
        onOpenChange={onOpenChange}
        checkedItems={[...mode.checked].map((id) => [String(id), true] as [string, boolean])}
        onCheckedChange={(_, data) => mode.onCheck(Number(data.value), data.checked === true)}
      >
        {render(tree)}
      </Tree>
    );
  }
  return (
    <Tree aria-label={ariaLabel} size="small" openItems={openItems} onOpenChange={onOpenChange}>
      {render(tree)}
    </Tree>
  );
}

/** A small count beside a group's name. */
export function CountBadge({ count, label }: { count: number; label: string }) {
  return <CounterBadge count={count} showZero={false} size="small" appearance="ghost" color="informative" aria-label={label} />;
}
