//! The site this window works on: where it lives, and opening it exactly once.
//!
//! A site that cannot be opened (damaged file, newer schema, unwritable folder) does not
//! stop the app: every command then answers `Unavailable` with the reason, so the UI shows
//! it in its error bar instead of the window vanishing.

use std::path::PathBuf;
use std::sync::Arc;

use site::{Actor, ApiError, ErrorCode, Site};
use tauri::{AppHandle, Manager};
use tokio::sync::OnceCell;

use crate::events;

/// Overrides the site folder; used by tests and by administrators keeping several sites.
pub const SITE_ENV: &str = "PATCHDECK_SITE";

/// Folder of the embedded site: `$PATCHDECK_SITE`, else `<app data dir>/site`.
/// An error here is kept as the reason the site is unavailable.
fn site_folder(app: &AppHandle) -> Result<PathBuf, String> {
    match std::env::var_os(SITE_ENV) {
        Some(folder) if !folder.is_empty() => Ok(PathBuf::from(folder)),
        _ => app
            .path()
            .app_data_dir()
            .map(|dir| dir.join("site"))
            .map_err(|e| format!("The app data folder for the site cannot be found: {e}. Set {SITE_ENV} to a site folder.")),
    }
}

#[derive(Clone)]
pub struct EmbeddedSite {
    inner: Arc<Inner>,
}

struct Inner {
    app: AppHandle,
    folder: Result<PathBuf, String>,
    opened: OnceCell<Result<Arc<Site>, String>>,
    actor: Actor,
}

impl EmbeddedSite {
    pub fn new(app: AppHandle) -> Self {
        let folder = site_folder(&app);
        Self { inner: Arc::new(Inner { app, folder, opened: OnceCell::new(), actor: Actor::local_user() }) }
    }

    /// Whoever the desktop user is signed in as; the audit log names them.
    pub fn actor(&self) -> &Actor {
        &self.inner.actor
    }

    /// The open site, opening it on first use; later callers wait for that one open.
    pub async fn site(&self) -> Result<Arc<Site>, ApiError> {
        let inner = Arc::clone(&self.inner);
        self.inner
            .opened
            .get_or_init(|| async move { open(&inner.app, &inner.folder).await })
            .await
            .clone()
            .map_err(|reason| ApiError::new(ErrorCode::Unavailable, reason))
    }
}

async fn open(app: &AppHandle, folder: &Result<PathBuf, String>) -> Result<Arc<Site>, String> {
    let folder = folder.clone()?;
    let shown = folder.display().to_string();
    // Opening runs migrations (SQLite, blocking).
    let opened = tauri::async_runtime::spawn_blocking(move || Site::open(&folder)).await;
    match opened {
        Ok(Ok(site)) => {
            tracing::info!(folder = %shown, "site opened");
            // Subscribed before anyone can run a command, so no event is lost.
            events::forward(app.clone(), site.subscribe());
            Ok(Arc::new(site))
        }
        Ok(Err(e)) => {
            tracing::error!(folder = %shown, error = %e, "the site cannot be opened");
            Err(e.to_string())
        }
        Err(e) => {
            tracing::error!(folder = %shown, error = %e, "opening the site crashed");
            Err(format!("Opening the site {shown} failed unexpectedly: {e}"))
        }
    }
}
