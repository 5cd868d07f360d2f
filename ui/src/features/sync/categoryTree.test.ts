// The Products tree (Company → Product family → Product) and the "New" flag.
import { describe, expect, it } from "vitest";
import type { CategoryInfo } from "../../api";
import { allProductIds, buildProductTree, checkState, productIds } from "./categoryTree";

const cat = (categoryId: string, kind: CategoryInfo["kind"], title: string, parentId: string | null = null): CategoryInfo => ({
  categoryId,
  kind,
  title,
  parentId,
  synced: true,
  updateCount: 0,
  firstSeenUtc: null,
  isNew: categoryId === "p2",
});

const CATEGORIES: CategoryInfo[] = [
  cat("c1", "Company", "Microsoft Corporation"),
  cat("f1", "ProductFamily", "Windows", "c1"),
  cat("f2", "ProductFamily", "Office", "c1"),
  cat("f3", "ProductFamily", "Empty family", "c1"),
  cat("p1", "Product", "Windows 11", "f1"),
  cat("p2", "Product", "Windows Server 2025", "f1"),
  cat("P3", "Product", "Office 2016", "F2"),
  cat("p4", "Product", "Orphan product", "missing"),
  cat("k1", "UpdateClassification", "Security Updates"),
  cat("o1", "Other", "Detectoid"),
];

describe("product tree", () => {
  const tree = buildProductTree(CATEGORIES);

  it("nests products under families under companies, sorted, without empty branches", () => {
    expect(tree.map((n) => n.title)).toEqual(["Microsoft Corporation", "Orphan product"]);
    const company = tree[0];
    expect(company.children.map((n) => n.title)).toEqual(["Office", "Windows"]);
    expect(company.children[1].children.map((n) => n.id)).toEqual(["p1", "p2"]);
    expect(company.children[0].children.map((n) => n.id)).toEqual(["p3"]); // ids lower-cased
  });

  it("collects product ids and computes branch checkboxes", () => {
    expect(productIds(tree[0]).sort()).toEqual(["p1", "p2", "p3"]);
    expect([...allProductIds(tree)].sort()).toEqual(["p1", "p2", "p3", "p4"]);
    const windows = tree[0].children[1];
    expect(checkState(windows, new Set())).toBe(false);
    expect(checkState(windows, new Set(["p1"]))).toBe("mixed");
    expect(checkState(windows, new Set(["p1", "p2"]))).toBe(true);
    expect(checkState(tree[0], new Set(["p1", "p2"]))).toBe("mixed");
  });

  it("is empty before the first synchronization (no products)", () => {
    expect(buildProductTree([cat("k1", "UpdateClassification", "Security Updates")])).toEqual([]);
  });
});

describe("New flag (SYNC-8)", () => {
  it("carries the site's flag onto the product nodes", () => {
    const flat = (nodes: ReturnType<typeof buildProductTree>): { id: string; isNew: boolean }[] =>
      nodes.flatMap((n) => [{ id: n.id, isNew: n.isNew }, ...flat(n.children)]);
    const flags = flat(buildProductTree(CATEGORIES));
    expect(flags.find((n) => n.id === "p2")?.isNew).toBe(true);
    expect(flags.filter((n) => n.isNew).map((n) => n.id)).toEqual(["p2"]);
  });
});
