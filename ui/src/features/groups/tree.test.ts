import { describe, expect, it } from "vitest";
import { buildGroupTree, flattenTree, groupNameProblem, moveTargets, subtreeIds } from "./tree";
import type { TargetGroup } from "./types";

function g(id: number, parentId: number | null, name: string): TargetGroup {
  return { id, parentId, name, description: "", path: name, memberCount: 0, assignmentCount: 0, createdUtc: "" };
}

// All Computers ─┬─ Servers ── SQL
//                └─ Desktops ─┬─ Accounting
//                             └─ Berlin
const groups = [g(4, 3, "SQL"), g(1, null, "All Computers"), g(5, 2, "Berlin"), g(3, 1, "Servers"), g(2, 1, "Desktops"), g(6, 2, "accounting")];

describe("buildGroupTree", () => {
  it("nests groups under their parents, root first, siblings by name", () => {
    const tree = buildGroupTree(groups);
    expect(tree).toHaveLength(1);
    expect(flattenTree(tree).map((n) => [n.group.name, n.depth])).toEqual([
      ["All Computers", 0],
      ["Desktops", 1],
      ["accounting", 2],
      ["Berlin", 2],
      ["Servers", 1],
      ["SQL", 2],
    ]);
  });

  it("keeps a group whose parent is missing, and survives a parent cycle", () => {
    const tree = buildGroupTree([g(1, null, "All Computers"), g(7, 99, "Orphan"), g(8, 9, "A"), g(9, 8, "B")]);
    const names = flattenTree(tree).map((n) => n.group.name);
    expect(names[0]).toBe("All Computers");
    expect(names.sort()).toEqual(["A", "All Computers", "B", "Orphan"]);
  });
});

describe("moves and names", () => {
  it("a group cannot move under itself or its descendants", () => {
    expect([...subtreeIds(groups, 2)].sort()).toEqual([2, 5, 6]);
    expect(moveTargets(groups, 2).map((x) => x.id).sort()).toEqual([1, 3, 4]);
  });

  it("refuses empty, too long and sibling-duplicate names, but not the group's own", () => {
    expect(groupNameProblem(groups, "  ", 1)).toBe("empty");
    expect(groupNameProblem(groups, "x".repeat(257), 1)).toBe("tooLong");
    expect(groupNameProblem(groups, " servers ", 1)).toBe("duplicate");
    expect(groupNameProblem(groups, "Servers", 1, 3)).toBeNull();
    expect(groupNameProblem(groups, "Servers", 2)).toBeNull();
  });
});
