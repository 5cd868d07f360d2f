//! Site events to the webview, as the Tauri event `site-event` (payload: `site::SiteEvent`).

use site::SiteEvent;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// Name the UI listens on; keep in step with ui/src/api/tauri.ts.
pub const SITE_EVENT: &str = "site-event";

/// Forwards every event to all windows until the site goes away.
pub fn forward(app: AppHandle, mut events: Receiver<SiteEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(e) = app.emit(SITE_EVENT, &event) {
                        tracing::warn!(error = %e, "a site event could not reach the window");
                    }
                }
                // Events only tell the UI what to refetch, so skipping ahead is safe, and it
                // keeps a slow window from slowing the site.
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the window fell behind on site events")
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}
