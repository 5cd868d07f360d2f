import { describe, expect, it } from "vitest";
import { exportLines, importLines, pathProblem } from "./report";

describe("pathProblem", () => {
  it("accepts full paths of Unix and Windows machines", () => {
    for (const p of ["/srv/x.tar.gz", "C:\\Exports\\x.tar.gz", "d:/x.tar.gz", "\\\\server\\share\\x.tar.gz", "  /x  "]) {
      expect(pathProblem(p), p).toBeNull();
    }
  });
  it("refuses empty and relative paths, naming the path", () => {
    expect(pathProblem("   ")).toMatch(/full path/);
    expect(pathProblem("export.tar.gz")).toMatch(/'export.tar.gz' is a relative path/);
    expect(pathProblem("C:x.tar.gz")).toMatch(/relative/);
  });
});

describe("report lines", () => {
  it("mention content only when the export has some", () => {
    const base = { path: "/x.tar.gz", revisions: 1, contentFiles: 0, contentBytes: 0, fileBytes: 2048 };
    expect(exportLines(base)).toEqual(["1 update revision exported to /x.tar.gz.", "Export file: 2.0 KB."]);
    expect(exportLines({ ...base, revisions: 408, contentFiles: 3, contentBytes: 3 * 1024 * 1024 })[1]).toBe(
      "3 content files (3.0 MB) included.",
    );
  });
  it("give catalog and content counts and every refused document", () => {
    const lines = importLines({
      sourceSite: "hq",
      createdUtc: "not a time",
      catalog: { newUpdates: 2, newRevisions: 3, unchanged: 400, categories: 1, errors: ["revisions/a-r1.xml: bad"] },
      contentStored: 1,
      contentAlreadyHeld: 4,
      contentBytesStored: 10,
    });
    expect(lines).toEqual([
      "Exported from site hq on not a time.",
      "2 new updates, 3 new revisions, 400 already held.",
      "1 content file stored (10 bytes), 4 already held.",
      "1 document was refused:",
      "revisions/a-r1.xml: bad",
    ]);
  });
});
