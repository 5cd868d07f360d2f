#!/usr/bin/env bash
# Desktop smoke test: a real Patchdeck window, driven through tauri-driver + WebKitWebDriver
# under Xvfb, over a temporary site loaded with the shared update fixtures.
#
# Needs: $PATCHDECK_BIN (the `patchdeck` CLI, default <repo>/target/debug/patchdeck),
# $DESKTOP_BIN (default <repo>/target/debug/patchdeck-desktop, built with
# `--features tauri/custom-protocol` so the UI is embedded), tauri-driver (PATH or
# ~/.cargo/bin), WebKitWebDriver, xvfb-run, dbus-run-session, xdotool, node >= 20.
# Optional: TAURI_DRIVER_PORT (default 4444; the native driver gets the next port).
# Writes target/desktop-smoke.png (screenshot) and target/desktop-smoke.log (driver + app log).
# Prints "N passed, N failed" last; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [[ "${1:-}" != "--inside-display" ]]; then
    export PATCHDECK_BIN="${PATCHDECK_BIN:-$repo/target/debug/patchdeck}"
    export DESKTOP_BIN="${DESKTOP_BIN:-$repo/target/debug/patchdeck-desktop}"
    export SHARED_DIR="${SHARED_DIR:-$(cd "$repo/.." && pwd)/shared}"
    export SMOKE_OUT="${SMOKE_OUT:-$repo/target}"

    fail_setup() { echo "desktop smoke: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
    # tauri-driver needs an absolute application path; resolve before anything cds.
    [[ -x "$PATCHDECK_BIN" ]] || fail_setup "PATCHDECK_BIN=$PATCHDECK_BIN is not an executable (cargo build -p server)"
    [[ -x "$DESKTOP_BIN" ]] || fail_setup "DESKTOP_BIN=$DESKTOP_BIN is not an executable (see docs: cargo build -p patchdeck-desktop --features tauri/custom-protocol)"
    DESKTOP_BIN="$(realpath "$DESKTOP_BIN")"
    shopt -s nullglob
    fixtures=("$SHARED_DIR"/fixtures/wsusss/updates/*.xml)
    shopt -u nullglob
    ((${#fixtures[@]} > 1)) || fail_setup "too few update fixtures under $SHARED_DIR/fixtures/wsusss/updates"
    # One document is held back for the window to import over IPC, so that import makes a
    # site event the test can watch for. Any but the bundle the grid check looks for will do.
    bundle_xml="a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200.xml"
    late=""
    preload=()
    for f in "${fixtures[@]}"; do
        if [[ -z "$late" && "$(basename "$f")" != "$bundle_xml" ]]; then late="$f"; else preload+=("$f"); fi
    done
    export SMOKE_LATE_XML="$late"
    if ! command -v tauri-driver >/dev/null; then
        export PATH="$PATH:$HOME/.cargo/bin"
        command -v tauri-driver >/dev/null || fail_setup "tauri-driver not found (cargo install tauri-driver@2.1.0 --locked)"
    fi
    for tool in WebKitWebDriver xvfb-run dbus-run-session xdotool node; do
        command -v "$tool" >/dev/null || fail_setup "$tool not found"
    done

    site_dir="$(mktemp -d -t patchdeck-desktop-smoke.XXXXXX)"
    trap 'rm -rf "$site_dir"' EXIT
    "$PATCHDECK_BIN" --site "$site_dir" import-xml "${preload[@]}" >"$site_dir.import.log" 2>&1 || {
        cat "$site_dir.import.log" >&2
        rm -f "$site_dir.import.log"
        fail_setup "importing the fixtures failed"
    }
    rm -f "$site_dir.import.log"
    mkdir -p "$SMOKE_OUT"
    export PATCHDECK_SITE="$site_dir"

    # Not exec: the EXIT trap above must still remove the site afterwards.
    status=0
    xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$here/run.sh" --inside-display || status=$?
    exit "$status"
fi

# --- Inside Xvfb and a private D-Bus session -------------------------------------------
# AT-SPI looks for an accessibility bus that does not exist here and stalls session start.
export NO_AT_BRIDGE=1
# WEBKIT_DISABLE_COMPOSITING_MODE / WEBKIT_DISABLE_DMABUF_RENDERER are deliberately not set:
# with WebKitGTK 2.50 under Xvfb either one makes WebDriver screenshots hang for good a few
# seconds after the window opens, while the window paints fine without them. A machine whose
# window stays blank can still pass them in from the caller's environment.
export RUST_LOG="${RUST_LOG:-info}"

port="${TAURI_DRIVER_PORT:-4444}"
log="$SMOKE_OUT/desktop-smoke.log"
: >"$log"

tauri-driver --port "$port" --native-port "$((port + 1))" >>"$log" 2>&1 &
driver_pid=$!

# Stops the driver we started and whatever it started (WebKitWebDriver, the app), by PID.
# The app can outlive a killed WebKitWebDriver as an orphan, so it is found by its binary
# and by the temporary site only this run uses.
stop_driver() {
    local pids=() queue=("$driver_pid") p kids proc
    while ((${#queue[@]} > 0)); do
        p="${queue[0]}"; queue=("${queue[@]:1}")
        kids="$(pgrep -P "$p" || true)"
        for k in $kids; do pids+=("$k"); queue+=("$k"); done
    done
    for proc in /proc/[0-9]*; do
        [[ "$(readlink "$proc/exe" 2>/dev/null)" == "$DESKTOP_BIN" ]] || continue
        tr '\0' '\n' <"$proc/environ" 2>/dev/null | grep -qxF "PATCHDECK_SITE=$PATCHDECK_SITE" && pids+=("${proc#/proc/}")
    done
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap stop_driver EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

status=0
WEBDRIVER_URL="http://127.0.0.1:$port" SMOKE_LOG="$log" node "$here/smoke.mjs" || status=$?
exit "$status"
