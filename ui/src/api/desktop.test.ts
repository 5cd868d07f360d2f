import { describe, expect, it, vi } from "vitest";

const written: { level: string; message: string }[] = [];
vi.mock("@tauri-apps/plugin-log", () => ({
  error: async (message: string) => void written.push({ level: "error", message }),
  warn: async (message: string) => void written.push({ level: "warn", message }),
  info: async (message: string) => void written.push({ level: "info", message }),
}));

const { forwardConsoleToLog } = await import("./desktop");

describe("forwardConsoleToLog", () => {
  it("writes each console message to the app's log and still shows it", async () => {
    const shown: unknown[][] = [];
    const target = {
      error: (...a: unknown[]) => void shown.push(a),
      warn: (...a: unknown[]) => void shown.push(a),
      info: (...a: unknown[]) => void shown.push(a),
    };
    await forwardConsoleToLog(target);
    target.error("sync failed:", new Error("cut"), { run: 4 });
    target.warn("slow");
    expect(shown).toHaveLength(2);
    expect(written).toEqual([
      { level: "error", message: 'sync failed: Error: cut {"run":4}' },
      { level: "warn", message: "slow" },
    ]);
  });
});
