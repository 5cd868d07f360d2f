//! Build script: generates the Tauri context (config, embedded UI, icons, ACL).

fn main() {
    // Declaring the command list makes `call` an ACL-checked command with an `allow-call`
    // permission; without it every app command would be reachable from every window.
    let manifest = tauri_build::AppManifest::new().commands(&["call", "open_log_folder"]);
    // Generating the context here rather than with `generate_context!` makes cargo re-embed
    // the UI whenever ui/dist changes; the macro only re-reads it when this crate recompiles,
    // so a fresh `npm run build` would otherwise ship the previous UI.
    let attributes = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .codegen(tauri_build::CodegenContext::new());
    if let Err(e) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; the chain says which file is wrong.
        panic!("tauri-build failed: {e:#}");
    }
}
