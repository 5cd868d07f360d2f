//! The desktop app's log, through tauri-plugin-log: rotated files in the OS log folder
//! (Linux `~/.local/share/org.patchdeck.console/logs`, Windows
//! `%LOCALAPPDATA%\org.patchdeck.console\logs`), standard error, and the webview's console
//! forwarded by the UI. The site logs with `tracing`; with no tracing subscriber installed,
//! its events arrive here as `log` records.

use site::{ApiError, ErrorCode};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
use tauri_plugin_opener::OpenerExt;

/// The log file's name in the log folder.
pub const FILE_NAME: &str = "patchdeck";

pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    // RUST_LOG=debug (or warn, ...) changes the level, as for `patchdeck serve`.
    let level = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.parse::<log::LevelFilter>().ok())
        .unwrap_or(log::LevelFilter::Info);
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::Stderr),
            Target::new(TargetKind::LogDir {
                file_name: Some(FILE_NAME.into()),
            }),
        ])
        // Five files of 5 MB: a week of a busy site's sync logs, never the disk.
        .max_file_size(5 * 1024 * 1024)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .level(level)
        // The webview and window toolkits are chatty below warnings.
        .level_for("tao", log::LevelFilter::Warn)
        .level_for("wry", log::LevelFilter::Warn)
        .build()
}

/// Opens the log folder in the OS file manager; answers its path (shown when nothing opens).
#[tauri::command]
pub fn open_log_folder(app: AppHandle) -> Result<String, ApiError> {
    let dir = app.path().app_log_dir().map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("The log folder is not known on this system: {e}"),
        )
    })?;
    let shown = dir.display().to_string();
    app.opener().open_path(&shown, None::<&str>).map_err(|e| {
        ApiError::new(
            ErrorCode::Unavailable,
            format!("The log folder {shown} could not be opened ({e}); open it from a file manager."),
        )
    })?;
    Ok(shown)
}
