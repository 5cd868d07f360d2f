# Shared set-up steps for console.sh and test-all.sh: installs only what is missing, so
# every step is safe to re-run. Sourced, not run.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="$(cd "$REPO/.." && pwd)/shared"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
# The tests run debug builds (quicker to build on two cores); console.sh sets PROFILE=release
# before sourcing this, for the binaries a user runs.
PROFILE="${PROFILE:-debug}"
BIN="$CARGO_TARGET_DIR/$PROFILE"
CARGO_PROFILE_FLAG=()
[ "$PROFILE" = release ] && CARGO_PROFILE_FLAG=(--release)

log() { printf '\n== %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages: the webview and GTK headers Tauri builds against, the WebKit WebDriver,
# Xvfb and D-Bus for the desktop test, Debian's Chromium for the browser tests.
APT_PACKAGES=(build-essential pkg-config libwebkit2gtk-4.1-dev libdbus-1-dev webkit2gtk-driver
  xvfb xauth dbus-daemon dbus chromium fonts-dejavu-core)

ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2; exit 1; }
}

# The UI's build tools (Vite 7, Vitest 3) need Node.js 20 or later, with npm.
NODE_MAJOR_MIN=20
ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "Node.js $NODE_MAJOR_MIN or later with npm is missing: install it from your distribution (Debian 13: apt-get install nodejs npm) or https://nodejs.org, then run this again." >&2
    exit 1
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt "$NODE_MAJOR_MIN" ]; then
    echo "Node.js $(node --version) is too old: the console's build needs Node.js $NODE_MAJOR_MIN or later. Install a newer one (https://nodejs.org, or nvm install $NODE_MAJOR_MIN), then run this again." >&2
    exit 1
  fi
}

# tauri-driver drives the real desktop window; pinned because its capability handling
# changed across versions.
TAURI_DRIVER_VERSION=2.1.0
ensure_tauri_driver() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if tauri-driver --help >/dev/null 2>&1 && [ -f "$HOME/.cargo/.crates.toml" ] && grep -q "tauri-driver $TAURI_DRIVER_VERSION" "$HOME/.cargo/.crates.toml"; then
    return 0
  fi
  log "installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install "tauri-driver@$TAURI_DRIVER_VERSION" --locked
}

npm_ci() {
  local dir="$1"
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    return 0
  fi
  log "npm ci in ${dir#$REPO/}"
  (cd "$dir" && npm ci --no-audit --no-fund)
}

build_ui() {
  ensure_node
  npm_ci "$REPO/ui"
  log "building the console UI"
  (cd "$REPO/ui" && npm run build)
}

build_server() {
  log "building patchdeck ($PROFILE)"
  (cd "$REPO" && cargo build "${CARGO_PROFILE_FLAG[@]}" -p server)
}

build_desktop() {
  log "building the desktop app (UI embedded, $PROFILE)"
  (cd "$REPO" && cargo build "${CARGO_PROFILE_FLAG[@]}" -p patchdeck-desktop --features tauri/custom-protocol)
}
