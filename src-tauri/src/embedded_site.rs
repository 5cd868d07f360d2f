//! The site this window works on: where it lives, and opening it once it can be opened.
//!
//! A site that cannot be opened (damaged file, newer schema, unwritable folder) does not
//! stop the app: every command then answers `Unavailable` with the reason, so the UI shows
//! it in its error bar instead of the window vanishing. A failed open is not remembered:
//! the next command tries again, so restoring the file and pressing Retry is enough.

use std::path::PathBuf;
use std::sync::Arc;

use site::{Actor, ApiError, ErrorCode, Site};
use tauri::AppHandle;
use tokio::sync::OnceCell;

use crate::events;

/// Folder of the embedded site: the one the `patchdeck` CLI uses too
/// (`$PATCHDECK_SITE`, else the user's data folder), so `patchdeck import-xml` feeds the
/// site this window shows.
fn site_folder(_app: &AppHandle) -> Result<PathBuf, String> {
    Ok(site::default_site_folder())
}

#[derive(Clone)]
pub struct EmbeddedSite {
    inner: Arc<Inner>,
}

struct Inner {
    app: AppHandle,
    folder: Result<PathBuf, String>,
    opened: OnceCell<Arc<Site>>,
    actor: Actor,
}

impl EmbeddedSite {
    pub fn new(app: AppHandle) -> Self {
        let folder = site_folder(&app);
        Self {
            inner: Arc::new(Inner {
                app,
                folder,
                opened: OnceCell::new(),
                actor: Actor::local_user(),
            }),
        }
    }

    /// Whoever the desktop user is signed in as; the audit log names them.
    pub fn actor(&self) -> &Actor {
        &self.inner.actor
    }

    /// The open site, opening it on first use; concurrent callers wait for that one open.
    pub async fn site(&self) -> Result<Arc<Site>, ApiError> {
        let inner = &self.inner;
        inner
            .opened
            .get_or_try_init(|| open(&inner.app, &inner.folder))
            .await
            .cloned()
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
            site::sync::scheduler::spawn_scheduler(site.clone());
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
