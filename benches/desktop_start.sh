#!/usr/bin/env bash
# Cold start of the desktop app (issue 19): for each site folder given, RUNS times (default 5),
# drops the page cache, starts the real window under Xvfb through tauri-driver, and measures
# the time from the app process starting to the first loaded row of All Software Updates,
# the time to the window being mapped, and the memory of the app and its WebKit processes at
# the first row and after scrolling to the end and opening Properties five times
# (benches/desktop_start.mjs). Prints a Markdown table for docs/BENCHMARKS.md.
#
#   benches/desktop_start.sh LABEL=SITE_DIR [LABEL=SITE_DIR ...]
#
# Env: DESKTOP_BIN (default target/release/patchdeck-desktop, built with
#   `cargo build --release -p patchdeck-desktop --features tauri/custom-protocol` after
#   `npm --prefix ui run build`), BUILD (the table's build column, default "release"),
#   RUNS (default 5), TAURI_DRIVER_PORT (default 4460).
# Each site folder is copied to a scratch folder per run, so a migration or the WAL one run
# leaves behind does not favour the next; the copy is made before the cache is dropped.
# Needs root for /proc/sys/vm/drop_caches; without it the runs are warm and the table says so.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

if [[ "${1:-}" == "--inside-display" ]]; then
    export NO_AT_BRIDGE=1
    port="${TAURI_DRIVER_PORT:-4460}"
    tauri-driver --port "$port" --native-port "$((port + 1))" >>"$BENCH_LOG" 2>&1 &
    driver=$!
    stop() {
        pkill -P "$driver" 2>/dev/null || true
        kill "$driver" 2>/dev/null || true
        wait "$driver" 2>/dev/null || true
        # An app can outlive its driver: find it by binary and by this run's site.
        for proc in /proc/[0-9]*; do
            [[ "$(readlink "$proc/exe" 2>/dev/null)" == "$DESKTOP_BIN" ]] || continue
            tr '\0' '\n' <"$proc/environ" 2>/dev/null | grep -qxF "PATCHDECK_SITE=$PATCHDECK_SITE" && kill "${proc#/proc/}" 2>/dev/null
        done
        return 0
    }
    trap stop EXIT
    WEBDRIVER_URL="http://127.0.0.1:$port" node "$here/desktop_start.mjs"
    exit
fi

(($# > 0)) || { echo "usage: $0 LABEL=SITE_DIR [LABEL=SITE_DIR ...]" >&2; exit 2; }
export DESKTOP_BIN="$(realpath "${DESKTOP_BIN:-$repo/target/release/patchdeck-desktop}")"
[[ -x "$DESKTOP_BIN" ]] || { echo "DESKTOP_BIN=$DESKTOP_BIN is not an executable" >&2; exit 2; }
command -v tauri-driver >/dev/null || export PATH="$PATH:$HOME/.cargo/bin"
for tool in tauri-driver WebKitWebDriver xvfb-run dbus-run-session xwininfo node; do
    command -v "$tool" >/dev/null || { echo "$tool not found (x11-utils has xwininfo)" >&2; exit 2; }
done
runs="${RUNS:-5}"
build="${BUILD:-release}"
scratch="$(mktemp -d -t patchdeck-desktop-start.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
export BENCH_LOG="$scratch/driver.log"
cold="page cache dropped"

results="$scratch/results.jsonl"
for arg in "$@"; do
    label="${arg%%=*}"
    dir="${arg#*=}"
    [[ -f "$dir/site.db" || -n "$(ls "$dir" 2>/dev/null)" ]] || { echo "$dir: not a site folder" >&2; exit 2; }
    for ((i = 1; i <= runs; i++)); do
        rm -rf "$scratch/site"
        cp -a "$dir" "$scratch/site"
        sync
        if ! echo 3 2>/dev/null >/proc/sys/vm/drop_caches; then cold="page cache NOT dropped (not root)"; fi
        line="$(PATCHDECK_SITE="$scratch/site" xvfb-run -a -s "-screen 0 1280x800x24" \
            dbus-run-session -- "$0" --inside-display | tail -n 1)" || true
        echo "$label run $i: $line" >&2
        printf '{"label":%s,"run":%d,"result":%s}\n' "$(node -e 'console.log(JSON.stringify(process.argv[1]))' "$label")" "$i" "${line:-null}" >>"$results"
    done
done

echo
echo "Desktop cold start, $build build, $runs runs per site, $cold; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo "Command: benches/desktop_start.sh $*"
echo
node - "$results" "$build" <<'EOF'
const [file, build] = process.argv.slice(2);
const lines = require("fs").readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const secs = (ms) => (ms / 1000).toFixed(2);
const mib = (kib) => Math.round(kib / 1024);
const span = (xs) => `${secs(median(xs))} s (${secs(Math.min(...xs))}-${secs(Math.max(...xs))})`;
console.log("| build | site | first row, median (min-max) | window mapped, median | PSS at first row → after steps, median (MiB) | RSS at first row → after steps, median (MiB) | runs failed |");
console.log("|---|---|---|---|---|---|---|");
for (const label of [...new Set(lines.map((l) => l.label))]) {
  const ok = lines.filter((l) => l.label === label && l.result && !l.result.error).map((l) => l.result);
  const failed = lines.filter((l) => l.label === label).length - ok.length;
  if (ok.length === 0) { console.log(`| ${build} | ${label} | - | - | - | - | ${failed} |`); continue; }
  const mapped = ok.map((r) => r.windowMappedMs).filter((x) => x !== null);
  console.log(
    `| ${build} | ${label} | ${span(ok.map((r) => r.firstRowMs))} | ${mapped.length ? secs(median(mapped)) + " s" : "-"} | ` +
      `${mib(median(ok.map((r) => r.atFirstRow.pssKiB)))} → ${mib(median(ok.map((r) => r.afterSteps.pssKiB)))} | ` +
      `${mib(median(ok.map((r) => r.atFirstRow.rssKiB)))} → ${mib(median(ok.map((r) => r.afterSteps.rssKiB)))} | ${failed} |`,
  );
}
const per = {};
for (const l of lines) for (const p of l.result?.afterSteps?.processes ?? []) (per[`${l.label} ${p.name}`] ??= []).push(p.pssKiB);
console.log("\nPSS after the steps, per process (median MiB): " + Object.entries(per).map(([k, v]) => `${k} ${mib(median(v))}`).join(", "));
EOF
