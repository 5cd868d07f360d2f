// What only the desktop app has: its log folder, and the webview's console written into the
// app's log (tauri-plugin-log), so a support case has both sides in one file.

/** Opens the app's log folder in the file manager; resolves to its path. */
export async function openLogFolder(): Promise<string> {
  const { invoke } = await import("@tauri-apps/api/core");
  return invoke<string>("open_log_folder");
}

type Level = "error" | "warn" | "info";

/** Wraps console.error / warn / info so each message also goes to the app's log. */
export async function forwardConsoleToLog(target: Pick<Console, Level> = console): Promise<void> {
  const log = await import("@tauri-apps/plugin-log");
  const writers: Record<Level, (message: string) => Promise<void>> = { error: log.error, warn: log.warn, info: log.info };
  for (const level of Object.keys(writers) as Level[]) {
    const original = target[level].bind(target);
    target[level] = (...args: unknown[]) => {
      original(...args);
      // A failed write must not loop back into the console it came from.
      writers[level](args.map(describe).join(" ")).catch(() => undefined);
    };
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
