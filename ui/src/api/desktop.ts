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

/** A file type the pickers offer, e.g. { name: "Catalog export", extensions: ["tar.gz"] }. */
export interface FileKind {
  name: string;
  extensions: readonly string[];
}

/**
 * The OS Save dialog (tauri-plugin-dialog); resolves to the chosen path, or null when the
 * user cancelled. Only the path comes back: the site writes the file itself.
 */
export async function pickSavePath(title: string, kind: FileKind, defaultPath?: string): Promise<string | null> {
  const { save } = await import("@tauri-apps/plugin-dialog");
  return save({ title, filters: [filterOf(kind)], defaultPath });
}

/** The OS Open dialog for one existing file; null when the user cancelled. */
export async function pickOpenPath(title: string, kind: FileKind): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const chosen = await open({ title, filters: [filterOf(kind)], multiple: false, directory: false });
  return typeof chosen === "string" ? chosen : null;
}

/** The OS dialog for one existing folder; null when the user cancelled. */
export async function pickFolderPath(title: string): Promise<string | null> {
  const { open } = await import("@tauri-apps/plugin-dialog");
  const chosen = await open({ title, multiple: false, directory: true });
  return typeof chosen === "string" ? chosen : null;
}

function filterOf(kind: FileKind) {
  return { name: kind.name, extensions: [...kind.extensions] };
}
