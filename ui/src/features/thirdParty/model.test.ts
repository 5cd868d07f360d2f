import { describe, expect, it } from "vitest";
import {
  addReturnCode,
  changeReturnCode,
  defaultSpec,
  extrasFromText,
  inputPages,
  pageOfField,
  parseCode,
  prefill,
  removeReturnCode,
  summaryLines,
} from "./model";
import type { InstallerDetails } from "./types";

const msi: InstallerDetails = {
  kind: "Package",
  productName: "Fabrikam Viewer",
  productVersion: "3.2.1.0",
  manufacturer: "Fabrikam SARL",
  productCode: "{0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D}",
  upgradeCode: null,
  description: "A viewer",
  platform: "x64",
  languages: [1033],
  targets: [],
  files: [
    { name: "viewer.msi", size: 4000 },
    { name: "settings.ini", size: 96 },
  ],
  totalSize: 4096,
};

describe("Upload Update wizard model", () => {
  it("skips Detection Rules for Windows Installer files only", () => {
    const spec = defaultSpec();
    spec.files.path = "C:\\Installers\\viewer.msi";
    expect(inputPages(spec)).not.toContain("detection");
    spec.files.path = "C:\\Installers\\Setup.EXE";
    expect(inputPages(spec)).toEqual(["files", "description", "requirements", "detection", "prerequisites", "arguments", "returnCodes"]);
  });

  it("sends a site's refusal to the page of its field", () => {
    expect(pageOfField("description.title")).toBe("description");
    expect(pageOfField("classification")).toBe("description");
    expect(pageOfField("prerequisites.rule.path")).toBe("prerequisites");
    expect(pageOfField("returnCodes")).toBe("returnCodes");
    expect(pageOfField("files.path")).toBe("files");
    expect(pageOfField("nothing")).toBeUndefined();
  });

  it("prefills from the installer without overwriting what was typed", () => {
    const spec = defaultSpec();
    spec.description.vendor = "Fabrikam";
    const filled = prefill(spec, msi);
    expect(filled.description.title).toBe("Fabrikam Viewer 3.2.1.0");
    expect(filled.description.vendor).toBe("Fabrikam");
    expect(filled.description.product).toBe("Fabrikam Viewer");
    expect(filled.description.description).toBe("A viewer");
    expect(filled.requirements.architecture).toBe("X64");
    expect(filled.arguments).toBe("");
    expect(prefill(defaultSpec(), { ...msi, kind: "Executable" }).arguments).toBe("/q");
  });

  it("edits the return-code table", () => {
    const codes = defaultSpec().returnCodes;
    const added = addReturnCode(codes);
    expect(added.map((c) => c.code)).toEqual([0, 3010, 1]);
    expect(added[2].result).toBe("Failed");
    expect(addReturnCode(added).map((c) => c.code)).toEqual([0, 3010, 1, 2]);
    expect(changeReturnCode(added, 2, { code: 1603 })[2].code).toBe(1603);
    expect(removeReturnCode(added, 0).map((c) => c.code)).toEqual([3010, 1]);
    expect(parseCode(" 1603 ")).toBe(1603);
    expect(parseCode("-1")).toBe(-1);
    expect(parseCode("1.5")).toBeNull();
    expect(parseCode("99999999999")).toBeNull();
  });

  it("reads extra paths one a line", () => {
    expect(extrasFromText(" C:\\a.ini \r\n\nC:\\lang\n")).toEqual(["C:\\a.ini", "C:\\lang"]);
  });

  it("summarizes every page, with the files' total size", () => {
    const spec = prefill({ ...defaultSpec(), files: { path: "C:\\viewer.msi", extraPaths: [] } }, msi);
    const lines = summaryLines(spec, msi, (id) => (id === "os" ? "Windows 11" : id));
    const text = Object.fromEntries(lines.map((l) => [l.label, l.value]));
    expect(text["Files"]).toBe("2 files, 4.0 KB in all");
    expect(text["Name"]).toBe("Fabrikam Viewer 3.2.1.0");
    expect(text["Architecture"]).toBe("64-bit");
    expect(text["Return codes"]).toBe("0 Success, 3010 Success (Restart needed)");
    expect(lines.some((l) => l.page === "detection")).toBe(false);
  });
});
