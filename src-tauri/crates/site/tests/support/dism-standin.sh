#!/bin/sh
# A stand-in for DISM's command line (Dism.exe) where Windows' servicing stack is absent,
# for the offline-servicing tests. It prints what DISM prints (header, progress bar, "The
# operation completed successfully." or "Error: 0x…" and the reason), writes DISM-style
# lines to /LogPath, and changes the image as a real install leaves it: /Mount-Image
# extracts the index with wimlib-imagex, /Add-Package puts the package's update.mum under
# Windows\servicing\Packages (named by its identity) and its payload over the tree,
# /Unmount-Image /Commit writes the tree back with `wimlib-imagex update` (which appends,
# as DISM's commit does), /Export-Image copies an index into a fresh WIM.
#
# Test hooks: DISM_STANDIN_STARTED names a file touched when /Add-Package begins;
# while the file DISM_STANDIN_HOLD names exists, /Add-Package waits (cancel and kill tests).
set -u

log_path=""; image_file=""; index=""; mount_dir=""; image=""; package=""; verb=""; commit=""
src=""; src_index=""; dst=""
for a in "$@"; do
  case "$a" in
    /LogPath:*) log_path="${a#/LogPath:}" ;;
    /ImageFile:*) image_file="${a#/ImageFile:}" ;;
    /Index:*) index="${a#/Index:}" ;;
    /MountDir:*) mount_dir="${a#/MountDir:}" ;;
    /Image:*) image="${a#/Image:}" ;;
    /PackagePath:*) package="${a#/PackagePath:}" ;;
    /SourceImageFile:*) src="${a#/SourceImageFile:}" ;;
    /SourceIndex:*) src_index="${a#/SourceIndex:}" ;;
    /DestinationImageFile:*) dst="${a#/DestinationImageFile:}" ;;
    /Mount-Image|/Add-Package|/Unmount-Image|/Export-Image) verb="$a" ;;
    /Commit) commit=yes ;;
    /Discard) commit=no ;;
  esac
done

log() {
  [ -n "$log_path" ] && printf '%s, %-21s DISM   %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S')" "${2:-Info}" "$1" >> "$log_path"
}
header() {
  printf '\nDeployment Image Servicing and Management tool\nVersion: 10.0.26100.5074\n\n'
}
bar() {
  printf '[==========================100.0%%==========================]\n'
}
done_ok() {
  printf 'The operation completed successfully.\n'
  log "DISM.EXE: Image session has been closed. Reboot required=no."
  exit 0
}
fail() { # code, reason
  printf '\nError: %s\n\n%s\n\nThe DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log\n' "$1" "$2"
  log "DISM.EXE: Failed. HRESULT=$1 - $2" Error
  exit 1
}

log "DISM.EXE: <----- Starting Dism.exe session ----->"
log "DISM.EXE: Executing command line: dism $*"
header
case "$verb" in
  /Mount-Image)
    log "DISM DISM Provider Store: PID=$$ Mounting $image_file index $index at $mount_dir"
    printf 'Mounting image\n'
    mkdir -p "$mount_dir"
    if ! wimlib-imagex apply "$image_file" "$index" "$mount_dir" >/dev/null 2>&1; then
      fail 0xc1420127 "The specified image in the specified wim is already mounted for read/write access."
    fi
    printf '%s\n%s\n' "$image_file" "$index" > "$mount_dir.standin"
    bar; done_ok ;;
  /Add-Package)
    printf 'Image Version: 10.0.22631.2861\n\n'
    [ -n "${DISM_STANDIN_STARTED:-}" ] && : > "$DISM_STANDIN_STARTED"
    while [ -n "${DISM_STANDIN_HOLD:-}" ] && [ -e "$DISM_STANDIN_HOLD" ]; do sleep 0.1; done
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    if ! cabextract -q -d "$tmp" "$package" >/dev/null 2>&1; then
      fail 0x80070002 "An error occurred trying to open - $package Error: 0x80070002"
    fi
    mum="$(find "$tmp" -maxdepth 1 -name '*.mum' | head -n 1)"
    if [ -z "$mum" ]; then
      printf 'Processing 1 of 1 - Adding package %s\n' "$(basename "$package")"
      bar
      printf 'An error occurred - %s Error: 0x800f081e\n' "$(basename "$package")"
      fail 0x800f081e "The specified package is not applicable to this image."
    fi
    identity="$(basename "$mum" .mum)"
    printf 'Processing 1 of 1 - Adding package %s\n' "$identity"
    log "CBS Exec: Adding package $identity"
    mkdir -p "$image/Windows/servicing/Packages"
    cp "$mum" "$image/Windows/servicing/Packages/$identity.mum"
    if [ -d "$tmp/Windows" ]; then cp -R "$tmp/Windows/." "$image/Windows/"; fi
    bar; done_ok ;;
  /Unmount-Image)
    printf 'Image File : %s\nImage Index : %s\n' "$(sed -n 1p "$mount_dir.standin" 2>/dev/null)" "$(sed -n 2p "$mount_dir.standin" 2>/dev/null)"
    if [ "$commit" = yes ]; then
      printf 'Saving image\n'
      wim="$(sed -n 1p "$mount_dir.standin")"; idx="$(sed -n 2p "$mount_dir.standin")"
      if ! printf 'add "%s/Windows" /Windows\n' "$mount_dir" | wimlib-imagex update "$wim" "$idx" >/dev/null 2>&1; then
        fail 0xc1420117 "The directory could not be completely unmounted."
      fi
      bar
    fi
    printf 'Unmounting image\n'
    rm -rf "$mount_dir" "$mount_dir.standin"
    mkdir -p "$mount_dir"
    bar; done_ok ;;
  /Export-Image)
    printf 'Exporting image\n'
    if ! wimlib-imagex export "$src" "$src_index" "$dst" >/dev/null 2>&1; then
      fail 0x80070057 "The parameter is incorrect."
    fi
    bar; done_ok ;;
  *)
    fail 87 "The option is unknown."
esac
