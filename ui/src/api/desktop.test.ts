import { describe, expect, it, vi } from "vitest";

const written: { level: string; message: string }[] = [];
vi.mock("@tauri-apps/plugin-log", () => ({
  error: async (message: string) => void written.push({ level: "error", message }),
  warn: async (message: string) => void written.push({ level: "warn", message }),
  info: async (message: string) => void written.push({ level: "info", message }),
}));

const { forwardConsoleToLog, pickOpenPath, pickSavePath } = await import("./desktop");

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

// The real @tauri-apps/plugin-dialog code runs; only the IPC bridge underneath it is stood in
// for, so this checks what the desktop shell's dialog plugin receives (the commands the
// capability allows: plugin:dialog|save and plugin:dialog|open).
describe("file pickers", () => {
  const kind = { name: "Catalog export", extensions: ["tar.gz", "tgz"] } as const;
  const bridge = (answer: unknown) => {
    const sent: { cmd: string; args: unknown }[] = [];
    (window as unknown as { __TAURI_INTERNALS__: unknown }).__TAURI_INTERNALS__ = {
      invoke: async (cmd: string, args: unknown) => {
        sent.push({ cmd, args });
        return answer;
      },
    };
    return sent;
  };

  it("asks the shell's Save dialog with the title, the file type and the suggested name", async () => {
    const sent = bridge("/home/ana/hq.tar.gz");
    expect(await pickSavePath("Save the catalog export as", kind, "catalog-export.tar.gz")).toBe("/home/ana/hq.tar.gz");
    expect(sent).toEqual([
      {
        cmd: "plugin:dialog|save",
        args: {
          options: {
            title: "Save the catalog export as",
            filters: [{ name: "Catalog export", extensions: ["tar.gz", "tgz"] }],
            defaultPath: "catalog-export.tar.gz",
          },
        },
      },
    ]);
  });

  it("asks the Open dialog for one file, and a cancelled dialog gives no path", async () => {
    const sent = bridge(null);
    expect(await pickOpenPath("Open a catalog export", kind)).toBeNull();
    expect(sent[0]?.cmd).toBe("plugin:dialog|open");
    expect(sent[0]?.args).toMatchObject({ options: { multiple: false, directory: false, filters: [{ extensions: ["tar.gz", "tgz"] }] } });
    bridge("/mnt/usb/hq.tar.gz");
    expect(await pickOpenPath("Open a catalog export", kind)).toBe("/mnt/usb/hq.tar.gz");
  });
});
