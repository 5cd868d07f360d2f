// Exported log text and file name.
import { describe, expect, it } from "vitest";
import { logFileName, logText } from "./logExport";

const entries = [
  { atUtc: "2026-11-23T19:22:38.458503163Z", level: "info", message: "synchronizing from http://127.0.0.1:18471" },
  { atUtc: "2026-11-23T19:22:38.617464876Z", level: "warning", message: "no products are chosen:\nonly categories" },
  { atUtc: "2026-11-23T19:22:38.617544224Z", level: "info", message: "synchronization succeeded: 33 new" },
];

describe("log export", () => {
  it("names the file after the run, like wsyncmgr.log", () => {
    expect(logFileName(12)).toBe("wsyncmgr-12.log");
  });

  it("writes a header and one CRLF-terminated line per entry, UTC times as stored", () => {
    const text = logText({ runId: 2, upstream: "http://127.0.0.1:18471", startedUtc: "2026-11-23T19:22:38.456Z" }, 2, entries);
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(5); // header, 3 entries, "" after the last CRLF
    expect(lines[0]).toBe(
      "# Patchdeck software update synchronization, run 2, from http://127.0.0.1:18471, started 2026-11-23T19:22:38.456Z (times UTC)",
    );
    expect(lines[1]).toBe("2026-11-23T19:22:38.458503163Z  INFO     synchronizing from http://127.0.0.1:18471");
    expect(lines[2]).toBe("2026-11-23T19:22:38.617464876Z  WARNING  no products are chosen: only categories");
    expect(lines[3]).toBe("2026-11-23T19:22:38.617544224Z  INFO     synchronization succeeded: 33 new");
    expect(lines[4]).toBe("");
  });

  it("still has a header when the run is not in the history any more, and for an empty log", () => {
    expect(logText(null, 7, [])).toBe("# Patchdeck software update synchronization, run 7 (times UTC)\r\n");
  });
});
