// The navigation tree of a workspace, wrapped once around Fluent's Tree: nodes as data,
// one selected node, branches open by default.
import { Tree, TreeItem, TreeItemLayout, makeStyles, tokens, type TreeOpenChangeData } from "@fluentui/react-components";
import { useState, type ReactElement } from "react";

export interface TreeNode {
  id: string;
  label: string;
  icon?: ReactElement;
  children?: readonly TreeNode[];
}

const useStyles = makeStyles({
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground1Selected,
  },
});

function branchIds(nodes: readonly TreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.children?.length) {
      out.push(n.id);
      branchIds(n.children, out);
    }
  }
  return out;
}

export function NodeTree(props: {
  ariaLabel: string;
  nodes: readonly TreeNode[];
  selectedId: string | null;
  onSelect(id: string): void;
}) {
  const { ariaLabel, nodes, selectedId, onSelect } = props;
  const styles = useStyles();
  const [open, setOpen] = useState<Set<string>>(() => new Set(branchIds(nodes)));

  const onOpenChange = (_: unknown, data: TreeOpenChangeData) => {
    setOpen(new Set([...data.openItems].map(String)));
  };

  const renderNodes = (list: readonly TreeNode[]) =>
    list.map((n) => {
      const branch = Boolean(n.children?.length);
      const selected = n.id === selectedId;
      return (
        <TreeItem
          key={n.id}
          value={n.id}
          itemType={branch ? "branch" : "leaf"}
          aria-selected={selected}
          data-node={n.id}
          onClick={(e) => {
            if (!branch) {
              e.stopPropagation();
              onSelect(n.id);
            }
          }}
          onKeyDown={(e) => {
            if (!branch && (e.key === "Enter" || e.key === " ")) {
              e.preventDefault();
              onSelect(n.id);
            }
          }}
        >
          <TreeItemLayout iconBefore={n.icon} className={selected ? styles.selected : undefined}>
            {n.label}
          </TreeItemLayout>
          {branch && <Tree>{renderNodes(n.children ?? [])}</Tree>}
        </TreeItem>
      );
    });

  return (
    <Tree aria-label={ariaLabel} openItems={open} onOpenChange={onOpenChange} size="small">
      {renderNodes(nodes)}
    </Tree>
  );
}
