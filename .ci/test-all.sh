#!/usr/bin/env bash
# Runs every test of Patchdeck: Rust unit and integration tests, the generated-types drift
# check, UI unit tests, browser end-to-end tests and the desktop window smoke test.
# Installs what is missing first. Exits non-zero when any step fails.
set -uo pipefail
source "$(dirname "$0")/setup.sh"

[ -d "$SHARED/fixtures" ] || { echo "The shared fixtures are missing: expected $SHARED/fixtures beside the repository." >&2; exit 1; }

set -e
ensure_rust
# cabextract: the upstream tests read the cabinets this site writes with it too.
# msitools, wixl, binutils-mingw-w64-x86-64: the installer tests build a real package and a
# real program and read them back with msiinfo and windres. osslsigncode signs published
# content (and checks it); openssl reads the exported certificate. xdotool: the desktop smoke
# test types into the app's native GTK Save dialog.
ensure_apt "${APT_PACKAGES[@]}" cabextract msitools wixl binutils-mingw-w64-x86-64 osslsigncode openssl wimtools xdotool
ensure_tauri_driver
build_ui
set +e

failed=()
step() {
  local name="$1"; shift
  log "$name"
  if "$@"; then echo "step passed: $name" >&2; else echo "step FAILED: $name" >&2; failed+=("$name"); fi
}

rust_tests() { (cd "$REPO" && cargo test --workspace --exclude patchdeck-desktop); }

rust_format() { (cd "$REPO" && cargo fmt --all --check) || { echo "Run 'cargo fmt --all'." >&2; return 1; }; }

# cargo test rewrote ui/src/api/generated from the Rust types; any difference is drift.
types_in_sync() {
  (cd "$REPO" && git diff --exit-code --stat -- ui/src/api/generated && [ -z "$(git status --porcelain -- ui/src/api/generated)" ]) \
    || { echo "ui/src/api/generated differs from the Rust wire types: commit what cargo test generated." >&2; return 1; }
}

ui_tests() { (cd "$REPO/ui" && npm test); }

build_binaries() { build_server && build_desktop; }

e2e_tests() {
  npm_ci "$REPO/tests/e2e" && (cd "$REPO/tests/e2e" && PATCHDECK_BIN="$BIN/patchdeck" npm test)
}

desktop_smoke() {
  if [ -f "$REPO/tests/desktop/package-lock.json" ]; then npm_ci "$REPO/tests/desktop" || return 1; fi
  (cd "$REPO/tests/desktop" && PATCHDECK_BIN="$BIN/patchdeck" DESKTOP_BIN="$BIN/patchdeck-desktop" bash run.sh)
}

step "Rust formatting" rust_format
step "Rust unit and integration tests" rust_tests
step "generated TypeScript types match the Rust types" types_in_sync
step "UI unit tests" ui_tests
step "build patchdeck and the desktop app" build_binaries
step "browser end-to-end tests" e2e_tests
step "desktop window smoke test" desktop_smoke

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "All test steps passed."
else
  echo "Failed steps: ${failed[*]}"
  exit 1
fi
