//! The one IPC command. Decode, one `site::dispatch`, encode; nothing else belongs here.
//!
//! The HTTP server exposes the same single entry, so both consoles reach exactly the
//! commands in `site::COMMAND_NAMES` and neither can grow its own.

use site::{ApiError, ErrorCode};

use crate::embedded_site::EmbeddedSite;

#[tauri::command]
pub async fn call(
    site: tauri::State<'_, EmbeddedSite>,
    command: String,
    args: serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    let open = site.site().await?;
    let actor = site.actor().clone();
    // dispatch blocks on SQLite; keep it off the async workers that serve IPC.
    tauri::async_runtime::spawn_blocking(move || site::dispatch(&open, &actor, &command, args))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("The command stopped unexpectedly: {e}")))?
}
