// Monitoring > Deployments opened from an alert's link ("?id="): the deployment it names is
// selected and summarised, not the first row.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { answerCalls, renderLinked, resetSite } from "../../test/site";
import { deploymentOf } from "./fixtures";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal, { subscribe: () => () => undefined }));

const { DeploymentsPage } = await import("./DeploymentsPage");
const { buildSpec, defaultForm } = await import("./model");

const NOW = new Date("2026-11-29T05:42:17Z");
const spec = buildSpec({ ...defaultForm({ updateIds: ["u1"], now: NOW }), name: "x", targetGroupId: 2 }, NOW);
const DEPLOYMENTS = [deploymentOf({ ...spec, name: "Workstations" }, { id: 3 }), deploymentOf({ ...spec, name: "Servers below alert" }, { id: 7 })];

beforeEach(() => {
  Element.prototype.scrollTo ??= () => undefined;
  answerCalls({ list_deployments: DEPLOYMENTS });
});
afterEach(resetSite);

describe("Deployments", () => {
  it("opens on the deployment an alert's link names", async () => {
    renderLinked({ id: "7" }, <DeploymentsPage />);
    const summary = await screen.findByTestId("deployment-summary");
    await waitFor(() => expect(within(summary).getAllByText("Servers below alert").length).toBeGreaterThan(0));
    expect(within(summary).queryByText("Workstations")).toBeNull();
  });
});
