// Products as the upstream describes them: Company → Product family → Product (parentId
// links them), for the Products tab. Which ones are "New" (SYNC-8) the site decides
// (CategoryInfo.isNew); the tree carries the flag.
import type { CategoryInfo } from "../../api";

export interface ProductNode {
  id: string;
  title: string;
  kind: CategoryInfo["kind"];
  synced: boolean;
  isNew: boolean;
  children: ProductNode[];
}

const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title);

/**
 * The product tree: products under their family, families under their company. A product or
 * family whose parent the site does not hold sits at the top; branches without any product
 * are left out (they offer nothing to choose).
 */
export function buildProductTree(categories: readonly CategoryInfo[]): ProductNode[] {
  const nodes = new Map<string, ProductNode & { parentId: string | null }>();
  for (const c of categories) {
    if (c.kind !== "Company" && c.kind !== "ProductFamily" && c.kind !== "Product") continue;
    nodes.set(c.categoryId.toLowerCase(), {
      id: c.categoryId.toLowerCase(),
      title: c.title,
      kind: c.kind,
      synced: c.synced,
      isNew: c.isNew,
      children: [],
      parentId: c.parentId ? c.parentId.toLowerCase() : null,
    });
  }
  const roots: ProductNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    // A product never holds another category here; a cycle or a product parent is treated
    // as no parent.
    if (parent && parent.kind !== "Product" && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const prune = (list: ProductNode[]): ProductNode[] =>
    list
      .map((n) => ({ id: n.id, title: n.title, kind: n.kind, synced: n.synced, isNew: n.isNew, children: prune(n.children) }))
      .filter((n) => n.kind === "Product" || n.children.length > 0)
      .sort(byTitle);
  return prune(roots);
}

/** Every product id in a subtree (the node itself when it is a product). */
export function productIds(node: ProductNode): string[] {
  if (node.kind === "Product") return [node.id];
  return node.children.flatMap(productIds);
}

/** A branch's checkbox: all its products chosen, some, or none. */
export function checkState(node: ProductNode, chosen: ReadonlySet<string>): boolean | "mixed" {
  const ids = productIds(node);
  const n = ids.filter((id) => chosen.has(id)).length;
  if (n === 0) return false;
  return n === ids.length ? true : "mixed";
}

/** Every product id the tree holds. */
export function allProductIds(tree: readonly ProductNode[]): Set<string> {
  return new Set(tree.flatMap(productIds));
}

