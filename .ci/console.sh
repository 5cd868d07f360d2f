#!/usr/bin/env bash
# Runs the Patchdeck console on its embedded site: installs what is missing, builds, and
# opens the desktop window. The first time, the site is seeded with the real update
# documents in ../shared/fixtures so there is something real to browse.
# Without a display (a server, an SSH session) it serves the same console over HTTP on
# loopback instead and prints the address to open. Builds optimized binaries: this is what
# a user runs (the tests build debug ones).
set -euo pipefail
export PROFILE=release
source "$(dirname "$0")/setup.sh"

ensure_rust
ensure_apt "${APT_PACKAGES[@]}"
build_ui
build_server

SITE="${PATCHDECK_SITE:-${XDG_DATA_HOME:-$HOME/.local/share}/patchdeck/site}"
export PATCHDECK_SITE="$SITE"
count=$("$BIN/patchdeck" info 2>/dev/null | sed -n 's/.*"revisionCount": \([0-9]*\).*/\1/p' || true)
if [ "${count:-0}" = 0 ] && [ -d "$SHARED/fixtures/wsusss/updates" ]; then
  log "seeding the site $SITE with the real update documents from shared/fixtures"
  "$BIN/patchdeck" import-xml "$SHARED"/fixtures/wsusss/updates/*.xml
fi

log "the site lives in $SITE (set PATCHDECK_SITE to use another folder)"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  build_desktop
  log "opening the Patchdeck window: you are signed in as this machine's user"
  exec "$BIN/patchdeck-desktop"
else
  log "no display: serving the console on loopback. Open the address printed below (it signs you in with the site's token; keep it private)"
  exec "$BIN/patchdeck" serve --ui "$REPO/ui/dist"
fi
