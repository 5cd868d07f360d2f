//! The `Site` handle every engine works through (its database, its event channel and the
//! state engines keep for it) and the `Actor` that asks for a change.
//!
//! **Architecture invariant:** knows no engine. An engine that keeps state for a site (a
//! cache, the run in progress) names its own type and gets it with [`Site::state`], so
//! adding an engine never touches this file.

use std::any::{Any, TypeId};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::store::{Store, StoreError};
use crate::wire::{Permission, SiteEvent};

/// Who asks for a change: written into the audit log with every admin action, and what
/// they may do (checked by `api::dispatch` before any command runs).
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    /// The role's name, for whoami and the audit detail.
    pub role: String,
    pub permissions: BTreeSet<Permission>,
    /// Target groups the actor is limited to (with their subgroups); `None`: the whole site.
    pub scope: Option<Vec<i64>>,
    /// Where the request came from; empty for this machine's own work (CLI, rules, desktop).
    pub address: String,
    /// The administrator's row, when the actor is one (not the site token or the machine).
    pub admin_id: Option<i64>,
}

impl Actor {
    /// A full administrator of the whole site: the machine's own work, the site token.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            role: FULL_ADMINISTRATOR.into(),
            permissions: Permission::ALL.into_iter().collect(),
            scope: None,
            address: String::new(),
            admin_id: None,
        }
    }

    pub fn at(mut self, address: impl Into<String>) -> Self {
        self.address = address.into();
        self
    }

    pub fn may(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }

    /// The operating-system account running this process: the desktop app's embedded
    /// site signs it in as a full administrator.
    pub fn local_user() -> Self {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Self::new(format!("local:{user}"))
    }
}

/// The built-in role holding every permission.
pub const FULL_ADMINISTRATOR: &str = "Full Administrator";

/// One site. Cheap to clone: clones share the database, engine state and event channel,
/// so background work (a sync) holds its own handle.
#[derive(Clone)]
pub struct Site {
    inner: Arc<SiteInner>,
}

type EngineState = Arc<dyn Any + Send + Sync>;

struct SiteInner {
    store: Store,
    events: broadcast::Sender<SiteEvent>,
    name: String,
    states: RwLock<HashMap<TypeId, EngineState>>,
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
        let store = Store::open(path)?;
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
                states: Default::default(),
            }),
        })
    }

    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub fn database_path(&self) -> PathBuf {
        self.inner.store.path().to_path_buf()
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Events from now on. A slow consumer misses old events rather than slowing the site.
    pub fn subscribe(&self) -> broadcast::Receiver<SiteEvent> {
        self.inner.events.subscribe()
    }

    /// The `T` this site keeps for the engine that owns `T`, made with `T::default()` the
    /// first time it is asked for. Clones of the site share it.
    pub fn state<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let key = TypeId::of::<T>();
        let found = self
            .inner
            .states
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        let any = match found {
            Some(any) => any,
            None => self
                .inner
                .states
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .entry(key)
                .or_insert_with(|| Arc::new(T::default()))
                .clone(),
        };
        // The map is keyed by the type's own id, so the value is always a `T`.
        any.downcast::<T>()
            .unwrap_or_else(|_| unreachable!("engine state keyed by its TypeId"))
    }

    pub(crate) fn emit(&self, event: SiteEvent) {
        // No subscribers is normal (CLI runs); nothing to do then.
        let _ = self.inner.events.send(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Counter(std::sync::atomic::AtomicUsize);

    #[test]
    fn engine_state_is_made_once_and_shared_by_clones() {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = Site::open(dir.path()).expect("open");
        let clone = site.clone();
        site.state::<Counter>()
            .0
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        clone
            .state::<Counter>()
            .0
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(site.state::<Counter>().0.load(std::sync::atomic::Ordering::SeqCst), 2);
        let other = Site::open(&dir.path().join("other")).expect("open another");
        assert_eq!(other.state::<Counter>().0.load(std::sync::atomic::Ordering::SeqCst), 0);
    }
}
