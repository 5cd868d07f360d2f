//! Build script: generates the Tauri context and the ACL for the app's own command.

fn main() {
    // Declaring the command list makes `call` an ACL-checked command with an `allow-call`
    // permission; without it every app command would be reachable from every window.
    let manifest = tauri_build::AppManifest::new().commands(&["call"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
