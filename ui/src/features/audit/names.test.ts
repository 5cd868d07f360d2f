// The audit log names who acted and what they did in words, not the site's identifiers.
import { describe, expect, it } from "vitest";
import { actionName, actorName } from "./names";

describe("audit names", () => {
  it("actors", () => {
    expect(actorName("api-token")).toBe("Site token (scripts)");
    expect(actorName("local:unknown")).toBe("This computer");
    expect(actorName("local:alice")).toBe("This computer (alice)");
    expect(actorName("rule:Patch Tuesday")).toBe("Rule: Patch Tuesday");
    expect(actorName("scheduler")).toBe("Schedule");
    expect(actorName("CONTOSO\\admin")).toBe("CONTOSO\\admin");
  });

  it("actions", () => {
    expect(actionName("catalog.import")).toBe("Import catalog");
    expect(actionName("update_group.edit")).toBe("Edit software update group");
    expect(actionName("something.new_thing")).toBe("Something new thing");
  });
});
