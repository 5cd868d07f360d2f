// Summaries and grids name languages ("English"), not the metadata's codes ("en"); a code the
// console does not offer is still shown, as it is.
import { describe, expect, it } from "vitest";
import { languageName, languageNames } from "./languages";
import { siteDefaultSyncSettings } from "../../test/site";
import { supColumns, type SiteComponentRow } from "./properties/siteComponent";

describe("language names", () => {
  it("names each code in its order and keeps an unknown code", () => {
    expect(languageName("en")).toBe("English");
    expect(languageNames(["en", "pt-br", "x-klingon"])).toBe("English, Portuguese (Brazil), x-klingon");
    expect(languageNames([])).toBe("");
  });

  it("the Sites page's software update point row shows the names", () => {
    const column = supColumns.find((c) => c.id === "languages");
    const row = { settings: { ...siteDefaultSyncSettings(), languages: ["en", "fr"] } } as unknown as SiteComponentRow;
    expect(column?.render?.(row)).toBe("English, French");
  });
});
