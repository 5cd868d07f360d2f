// How numbers and instants are shown to people: sizes in binary units, UTC instants in local time.

const UNITS = ["bytes", "KB", "MB", "GB", "TB"];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "short" });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

/** An RFC 3339 UTC instant in the viewer's local time zone; "" for null or unparsable. */
export function formatUtc(value: string | null | undefined, withTime = true): string {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return (withTime ? dateTime : dateOnly).format(d);
}

/** Like formatUtc, to the second (log lines, run start and end). */
export function formatUtcSeconds(value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return dateTimeSeconds.format(d);
}

// Wall-clock times (no zone) and UTC readings are formatted in UTC so the digits stay as written.
const wallDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short", timeZone: "UTC" });

/** A wall-clock time as stored ("2026-12-09T03:00", no zone) in the same style as formatUtc. */
export function formatWallClock(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(value);
  if (!m) return value;
  return wallDateTime.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5])));
}

/** An instant in the style of formatUtc, read in this console's time zone or in UTC. */
export function formatDate(d: Date, zone: "local" | "utc" = "local"): string {
  return (zone === "utc" ? wallDateTime : dateTime).format(d);
}

/** A duration in seconds as "42 s", "3 min 05 s" or "1 h 02 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** "1 item", "2,946 items": a count with the noun that agrees with it. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
