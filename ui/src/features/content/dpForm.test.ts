import { describe, expect, it } from "vitest";
import { dpArgs, dpIssues, emptyDpForm, type DpForm } from "./dpForm";
import { strings } from "./strings";

const a = strings.dps.addIssues;
const remote = (patch: Partial<DpForm>): DpForm => ({ ...emptyDpForm, name: "Branch 01", kind: "Remote", url: "https://branch-01:8470", token: "t0k3n", ...patch });

describe("Add Distribution Point checks", () => {
  it("asks for a name and a folder for a folder point", () => {
    expect(dpIssues(emptyDpForm)).toEqual({ name: a.nameRequired, folder: a.folderRequired });
    expect(dpIssues({ ...emptyDpForm, name: "Local", folder: "/srv/content" })).toEqual({});
  });

  it("accepts an https address with a token", () => {
    expect(dpIssues(remote({}))).toEqual({});
  });

  it("names what is wrong with the address", () => {
    expect(dpIssues(remote({ url: "" })).url).toBe(a.urlRequired);
    expect(dpIssues(remote({ url: "branch-01:8470" })).url).toBe(a.urlScheme);
    expect(dpIssues(remote({ url: "ftp://branch-01" })).url).toBe(a.urlScheme);
    expect(dpIssues(remote({ url: "https://" })).url).toBe(a.urlInvalid);
    expect(dpIssues(remote({ url: "https://branch-01:8470/?x=1" })).url).toBe(a.urlExtra);
  });

  it("needs the token, and consent for plain http", () => {
    expect(dpIssues(remote({ token: "  " })).token).toBe(a.tokenRequired);
    expect(dpIssues(remote({ url: "http://branch-01:8470" })).allowPlainHttp).toBe(a.plainHttp);
    expect(dpIssues(remote({ url: "HTTP://branch-01:8470", allowPlainHttp: true }))).toEqual({});
  });

  it("sends the token and consent only for a remote server", () => {
    expect(dpArgs({ ...emptyDpForm, name: " Local ", folder: " /srv/content ", token: "left over" })).toEqual({
      name: "Local",
      kind: "Folder",
      location: "/srv/content",
      token: "",
    });
    expect(dpArgs(remote({ url: " https://branch-01:8470/ ", token: " t0k3n ", allowPlainHttp: true }))).toEqual({
      name: "Branch 01",
      kind: "Remote",
      location: "https://branch-01:8470",
      token: "t0k3n",
      allowPlainHttp: false,
    });
    expect(dpArgs(remote({ url: "http://branch-01:8470", allowPlainHttp: true })).allowPlainHttp).toBe(true);
  });
});
