// An update's General tab names the catalog's values in words, not as the catalog's identifiers.
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { UpdateDetails } from "../../../api";
import { renderPage, updateRow } from "../../../test/site";
import { GeneralTab } from "./tabs";

const details = {
  row: updateRow(),
  updateType: "Software",
  description: null,
  moreInfoUrl: null,
  supportUrl: null,
  cveIds: [],
  rebootBehavior: "CanRequestReboot",
  installImpact: "Normal",
  publicationState: "Published",
  explicitlyDeployable: true,
  arrivalUtc: "2026-11-29T05:42:17Z",
  categories: [{ categoryId: "c1", title: "Security Updates", kind: "UpdateClassification" }],
  prerequisites: [],
  bundledUpdates: [],
  bundledBy: [],
  supersedes: [],
  supersededBy: [],
  files: [],
  bundledFiles: [],
  localized: [],
  revisions: [1],
} as unknown as UpdateDetails;

describe("update General tab", () => {
  it("says 'Can request restart' and 'Classification', not CanRequestReboot and (UpdateClassification)", () => {
    renderPage(<GeneralTab details={details} />);
    expect(screen.getByText("Can request restart")).toBeTruthy();
    expect(screen.getByText("Security Updates (Classification)")).toBeTruthy();
    expect(screen.queryByText(/CanRequestReboot|UpdateClassification/)).toBeNull();
  });
});
