#!/usr/bin/env bash
# Makes the desktop app's installers with the Tauri CLI (not run in CI: a release bundle is
# slow; CI checks the configuration with `cargo test -p patchdeck-desktop --test bundle_config`).
#
#   benches/bundle.sh            # the .deb, from a debug build (quickest check that it bundles)
#   PROFILE=release benches/bundle.sh
#   BUNDLES=nsis,msi benches/bundle.sh   # on Windows (NSIS, and WiX for the MSI)
#
# The UI is built first (the app embeds ui/dist). The CLI comes from npm at the version that
# matches the tauri crate; packages land in $CARGO_TARGET_DIR/<profile>/bundle/.
# For the .deb it prints Depends (the bundler adds libwebkit2gtk-4.1-0 and libgtk-3-0) and
# Recommends (tauri.conf.json's).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cli_version="${TAURI_CLI_VERSION:-2.12.6}"
bundles="${BUNDLES:-deb}"
profile="${PROFILE:-debug}"

major="$(node -p 'process.versions.node.split(".")[0]')"
if (( major < 20 )); then
    echo "Node $(node --version) is too old: install Node 20 or later." >&2
    exit 1
fi

npm --prefix "$repo/ui" run build
args=(build --bundles "$bundles")
if [[ "$profile" == "debug" ]]; then args+=(--debug); fi
cd "$repo/src-tauri"
npx --yes "@tauri-apps/cli@$cli_version" "${args[@]}"

target="${CARGO_TARGET_DIR:-$repo/target}"
find "$target/$profile/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.msi' -o -name '*-setup.exe' \) -newer "$repo/src-tauri/tauri.conf.json" -print |
    while read -r package; do
        echo "made: $package ($(du -h "$package" | cut -f1))"
        if [[ "$package" == *.deb ]]; then dpkg-deb --field "$package" Package Version Depends Recommends; fi
    done
