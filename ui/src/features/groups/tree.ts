// The target-group tree built from the flat list the site sends (each group names its
// parent), and the rules a move or a name must follow before it is even sent.
import type { TargetGroup } from "./types";

export interface GroupNode {
  group: TargetGroup;
  depth: number;
  children: GroupNode[];
}

const byName = (a: GroupNode, b: GroupNode) =>
  a.group.name.localeCompare(b.group.name, undefined, { sensitivity: "base" }) || a.group.id - b.group.id;

/**
 * Roots first (normally only "All Computers"), children sorted by name. A group whose parent
 * is not in the list is shown as a root rather than lost; a parent cycle (which the site
 * refuses, but the UI must not hang on) is broken where it is found.
 */
export function buildGroupTree(groups: readonly TargetGroup[]): GroupNode[] {
  const ids = new Set(groups.map((g) => g.id));
  const children = new Map<number, TargetGroup[]>();
  const roots: TargetGroup[] = [];
  for (const g of groups) {
    if (g.parentId === null || !ids.has(g.parentId) || g.parentId === g.id) roots.push(g);
    else children.set(g.parentId, [...(children.get(g.parentId) ?? []), g]);
  }
  const placed = new Set<number>();
  const build = (g: TargetGroup, depth: number): GroupNode => {
    placed.add(g.id);
    const kids = (children.get(g.id) ?? []).filter((c) => !placed.has(c.id)).map((c) => build(c, depth + 1));
    return { group: g, depth, children: kids.sort(byName) };
  };
  const out = roots.map((g) => build(g, 0));
  // Members of a cycle are never reached from a root: show them at the top level.
  for (const g of groups) if (!placed.has(g.id)) out.push(build(g, 0));
  return out.sort((a, b) => (a.group.parentId === null ? -1 : 0) - (b.group.parentId === null ? -1 : 0) || byName(a, b));
}

/** Every node of the tree, depth first, as shown. */
export function flattenTree(nodes: readonly GroupNode[], out: GroupNode[] = []): GroupNode[] {
  for (const n of nodes) {
    out.push(n);
    flattenTree(n.children, out);
  }
  return out;
}

/** The group and everything under it. */
export function subtreeIds(groups: readonly TargetGroup[], id: number): Set<number> {
  const out = new Set<number>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of groups) {
      if (g.parentId !== null && out.has(g.parentId) && !out.has(g.id)) {
        out.add(g.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Where a group may move: anywhere but under itself or one of its descendants. */
export function moveTargets(groups: readonly TargetGroup[], id: number): TargetGroup[] {
  const banned = subtreeIds(groups, id);
  return groups.filter((g) => !banned.has(g.id));
}

export const MAX_GROUP_NAME = 256;

export type NameProblem = "empty" | "tooLong" | "duplicate";

/** Why `name` cannot name a group under `parentId` (null when it can). */
export function groupNameProblem(
  groups: readonly TargetGroup[],
  name: string,
  parentId: number | null,
  selfId: number | null = null,
): NameProblem | null {
  const trimmed = name.trim();
  if (trimmed === "") return "empty";
  if (trimmed.length > MAX_GROUP_NAME) return "tooLong";
  const lower = trimmed.toLocaleLowerCase();
  const clash = groups.some((g) => g.parentId === parentId && g.id !== selfId && g.name.trim().toLocaleLowerCase() === lower);
  return clash ? "duplicate" : null;
}

/** The root group ("All Computers"): it cannot be moved or deleted. */
export function isRoot(group: TargetGroup): boolean {
  return group.parentId === null;
}
