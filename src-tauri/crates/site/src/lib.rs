//! Patchdeck site engine.
//!
//! A site is one installation of the backend: its SQLite database, and the engines that
//! work on it. Everything a console can do goes through [`api::dispatch`].
//!
//! **API boundary:** this crate knows nothing of Tauri, axum or HTTP. Adapters hand it a
//! command name and JSON arguments and get JSON back; progress and changes come out of
//! [`Site::subscribe`].

pub mod admin;
pub mod api;
pub mod audit;
pub mod automation;
pub mod catalog;
mod clock;
pub mod content;
pub mod store;
pub mod sync;
pub mod upstream;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::broadcast;

pub use api::{dispatch, ApiError, ErrorCode, SiteEvent, COMMAND_NAMES};
pub use clock::now_utc;
pub use store::StoreError;

/// Who asks for a change: written into the audit log with every admin action.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
}

impl Actor {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }

    /// The operating-system account running this process.
    pub fn local_user() -> Self {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Self::new(format!("local:{user}"))
    }
}

/// One site. Cheap to clone: clones share the database, caches and event channel, so
/// background work (a sync) holds its own handle.
#[derive(Clone)]
pub struct Site {
    inner: Arc<SiteInner>,
}

struct SiteInner {
    store: store::Store,
    events: broadcast::Sender<SiteEvent>,
    name: String,
    lists: catalog::list_cache::ListCache,
    policy: admin::policy::PolicyCache,
    sync: sync::SyncSlot,
}

/// Where a site lives when nobody says otherwise: `$PATCHDECK_SITE`, else
/// `%APPDATA%\Patchdeck\site` on Windows, `$XDG_DATA_HOME/patchdeck/site` or
/// `~/.local/share/patchdeck/site` elsewhere. The desktop app and the CLI share it, so
/// `patchdeck import-xml` feeds the site the desktop window shows.
pub fn default_site_folder() -> PathBuf {
    if let Ok(s) = std::env::var("PATCHDECK_SITE") {
        return PathBuf::from(s);
    }
    if cfg!(windows) {
        if let Ok(appdata) = std::env::var("APPDATA") {
            return PathBuf::from(appdata).join("Patchdeck").join("site");
        }
    }
    let base = std::env::var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|_| PathBuf::from("."));
    base.join("patchdeck").join("site")
}

/// File name of the database inside a site folder.
pub const DATABASE_FILE: &str = "site.db";

impl Site {
    /// Opens (or creates) the site in `folder`.
    pub fn open(folder: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(folder).map_err(|e| StoreError::NotASite {
            path: folder.into(),
            detail: format!("the folder cannot be created: {e}"),
        })?;
        Self::open_database(&folder.join(DATABASE_FILE))
    }

    /// Opens (or creates) a site database file directly.
    pub fn open_database(path: &Path) -> Result<Self, StoreError> {
        let store = store::Store::open(path)?;
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let (events, _) = broadcast::channel(1024);
        Ok(Self {
            inner: Arc::new(SiteInner {
                store,
                events,
                name,
                lists: Default::default(),
                policy: Default::default(),
                sync: Default::default(),
            }),
        })
    }

    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub fn database_path(&self) -> PathBuf {
        self.inner.store.path().to_path_buf()
    }

    pub fn store(&self) -> &store::Store {
        &self.inner.store
    }

    /// Events from now on. A slow consumer misses old events rather than slowing the site.
    pub fn subscribe(&self) -> broadcast::Receiver<SiteEvent> {
        self.inner.events.subscribe()
    }

    pub(crate) fn lists(&self) -> &catalog::list_cache::ListCache {
        &self.inner.lists
    }

    pub(crate) fn policy_cache(&self) -> &admin::policy::PolicyCache {
        &self.inner.policy
    }

    pub(crate) fn sync_slot(&self) -> &sync::SyncSlot {
        &self.inner.sync
    }

    pub(crate) fn emit(&self, event: SiteEvent) {
        // No subscribers is normal (CLI runs); nothing to do then.
        let _ = self.inner.events.send(event);
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::new(ErrorCode::Internal, e.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!(error = %e, "database error");
        let damaged = matches!(
            &e,
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        );
        if damaged {
            ApiError::new(
                ErrorCode::Unavailable,
                format!(
                    "The site database is damaged ({e}). Stop Patchdeck and restore the site folder from a backup."
                ),
            )
        } else {
            ApiError::new(ErrorCode::Internal, format!("The site database failed: {e}"))
        }
    }
}
