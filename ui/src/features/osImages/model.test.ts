// The OS image wizards' decisions: issues of each page, the name an image gets, the call made
// and where a refusal of the site is shown.
import { describe, expect, it } from "vitest";
import { addCall, effectiveName, emptyForm, generalIssues, issueOfRefusal, pageOfField, sourceIssues, summaryLines } from "./model";
import type { OsImage, OsImageInspection } from "./types";

const inspection: OsImageInspection = {
  wimPath: "/media/sources/install.wim",
  fileBytes: 4096,
  indexes: [
    { index: 1, name: "Windows 11 Pro", description: "", edition: "Professional", architecture: "x64", version: "10.0.22631.2861", languages: ["en-US"], defaultLanguage: "en-US", totalBytes: 100 },
    { index: 2, name: "Windows 11 Enterprise", description: "", edition: "Enterprise", architecture: "ARM64", version: "10.0.26100.1", languages: ["fr-FR"], defaultLanguage: "fr-FR", totalBytes: 200 },
  ],
};
const listed = (name: string) => ({ name }) as OsImage;

describe("OS image wizard model", () => {
  it("asks for a path, and leaves the rest of its checks to the site", () => {
    expect(sourceIssues("Image", emptyForm)).toEqual([{ field: "path", message: "Give the full path of the .wim file." }]);
    expect(sourceIssues("UpgradePackage", { ...emptyForm, path: "  " })[0].message).toMatch("setup folder");
    expect(sourceIssues("Image", { ...emptyForm, path: "relative.wim" })).toEqual([]);
  });

  it("names an image after its first index unless named, and an upgrade package only as named", () => {
    expect(effectiveName("Image", emptyForm, inspection)).toBe("Windows 11 Pro");
    expect(effectiveName("Image", { ...emptyForm, name: " Gold " }, inspection)).toBe("Gold");
    expect(effectiveName("UpgradePackage", emptyForm, inspection)).toBe("");
    expect(generalIssues("UpgradePackage", emptyForm, inspection, [])).toEqual([{ field: "name", message: "Give a name of 1 to 200 characters." }]);
    expect(generalIssues("Image", emptyForm, inspection, [])).toEqual([]);
    expect(generalIssues("Image", { ...emptyForm, name: "x".repeat(201) }, inspection, [])[0].field).toBe("name");
  });

  it("refuses a name another item of the list has, including the default one", () => {
    expect(generalIssues("Image", emptyForm, inspection, [listed("Windows 11 Pro")])[0].message).toBe(
      '"Windows 11 Pro" is already the name of another item here; give another name.',
    );
    expect(generalIssues("Image", { ...emptyForm, name: "Other" }, inspection, [listed("Windows 11 Pro")])).toEqual([]);
  });

  it("shows a name conflict under the name and every other refusal under the path", () => {
    expect(issueOfRefusal({ code: "Conflict", message: "taken" })).toEqual({ field: "name", message: "taken" });
    expect(issueOfRefusal({ code: "Validation", message: "/x.wim is a damaged Windows image" }).field).toBe("path");
    expect(issueOfRefusal({ code: "Unavailable", message: "apt-get install wimtools" }).field).toBe("path");
    expect(pageOfField("path")).toBe("source");
    expect(pageOfField("name")).toBe("general");
    expect(pageOfField("other")).toBeUndefined();
  });

  it("sends the trimmed form, leaving an image's empty fields to the site", () => {
    expect(addCall("Image", { path: " /i.wim ", name: "", version: " 23H2 ", comment: "" })).toEqual({
      command: "add_os_image",
      args: { path: "/i.wim", name: null, version: "23H2", description: null },
    });
    expect(addCall("UpgradePackage", { path: "/media", name: "W11", version: "", comment: " iso " })).toEqual({
      command: "add_os_upgrade_package",
      args: { folder: "/media", name: "W11", version: "", comment: "iso" },
    });
  });

  it("sums up each page, with the images read and an upgrade package's install image", () => {
    const lines = summaryLines("UpgradePackage", { path: "/media", name: "W11", version: "", comment: "" }, inspection);
    expect(lines.map((l) => [l.page, l.label, l.value])).toEqual([
      ["source", "Data source", "/media"],
      ["source", "Image file", "/media/sources/install.wim"],
      ["source", "Images", "1: Windows 11 Pro (Professional, x64, 10.0.22631.2861); 2: Windows 11 Enterprise (Enterprise, ARM64, 10.0.26100.1)"],
      ["general", "Name", "W11"],
      ["general", "Version", "None"],
      ["general", "Comment", "None"],
    ]);
  });
});
