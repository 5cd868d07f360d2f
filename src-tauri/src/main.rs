//! Patchdeck desktop shell: one window over an embedded site.
//!
//! **Architecture invariant:** this crate is an adapter. It opens the site, exposes the
//! whole site API as the single IPC command [`ipc::call`], and forwards site events to the
//! webview. It holds no business logic and never touches SQL; everything a console can do
//! lives in the `site` crate, shared with the HTTP server.

// Release builds on Windows must not open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod embedded_site;
mod events;
mod ipc;

use tauri::Manager;

use crate::embedded_site::EmbeddedSite;

fn main() {
    init_logging();

    let app = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ipc::call])
        .setup(|app| {
            let site = EmbeddedSite::new(app.handle().clone());
            app.manage(site.clone());
            // Opened in the background so the window paints at once; a `call` that comes
            // first waits for this same open. A failure is logged and kept for `call`.
            tauri::async_runtime::spawn(async move {
                let _ = site.site().await;
            });
            Ok(())
        })
        .run(tauri::generate_context!());

    if let Err(e) = app {
        tracing::error!(error = %e, "the desktop shell stopped with an error");
        std::process::exit(1);
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second subscriber (tests, embedding) is not an error worth stopping for.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
