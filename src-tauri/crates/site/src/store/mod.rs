//! The site database: opening, migrations, and the writer/reader connections.
//!
//! **Architecture invariant:** a database file is never modified before it is known to be
//! a Patchdeck site of a schema this binary understands. A newer or foreign file is refused
//! and left byte-for-byte as it was.

pub mod meta;
mod migrations;
pub mod wal;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags};

pub use migrations::SCHEMA_VERSION;

/// Marks the file as a Patchdeck site (PRAGMA application_id), "PDCK".
pub const APPLICATION_ID: i32 = 0x5044_434B;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("The site database {path} was written by a newer Patchdeck (schema {found}, this version knows up to {known}). Upgrade Patchdeck; the file was not changed.")]
    NewerSchema { path: PathBuf, found: i64, known: i64 },
    #[error("{path} is not a Patchdeck site database ({detail}). Choose another site folder, or move this file away to start a new site; the file was not changed.")]
    NotASite { path: PathBuf, detail: String },
    #[error("The site database {path} is damaged or unreadable: {detail}. Restore it from a backup; the file was not changed.")]
    Corrupt { path: PathBuf, detail: String },
    #[error("Cannot open the site database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("Database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// One writer plus a small set of readers; WAL lets readers run beside the writer.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
}

const READERS: usize = 4;

/// Databases up to this size get a full `quick_check` when opened.
const FULL_CHECK_MAX_BYTES: u64 = 256 * 1024 * 1024;

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let existed = path.exists() && std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false);
        if existed {
            check_existing(path)?;
        }
        let mut writer = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.into(),
            source,
        })?;
        configure(&writer)?;
        migrations::apply(&mut writer, path)?;
        let readers = (0..READERS)
            .map(|_| {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(|source| StoreError::Open {
                    path: path.into(),
                    source,
                })?;
                c.pragma_update(None, "query_only", true)?;
                // Page caches bound the app's memory (the brief's 300 MB with 500,000
                // updates); the OS file cache does the rest, so no mmap.
                c.pragma_update(None, "cache_size", -16_000)?;
                Ok(Mutex::new(c))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Self {
            path: path.into(),
            writer: Mutex::new(writer),
            readers,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Empties the write-ahead log after a big import, a sync run or a catalog import, so
    /// the log does not stay at its high-water size. A failure is logged, never returned:
    /// the data is committed either way, and the next checkpoint retries.
    pub fn checkpoint(&self) {
        let started = std::time::Instant::now();
        match wal::checkpoint_truncate(&self.writer()) {
            Ok(c) if c.busy => tracing::info!(
                frames = c.log_frames,
                "checkpoint left part of the log: a reader held an old snapshot"
            ),
            Ok(c) => tracing::debug!(
                frames = c.checkpointed_frames,
                ms = started.elapsed().as_millis() as u64,
                "log checkpointed"
            ),
            Err(e) => tracing::warn!(error = %e, "checkpoint of the write-ahead log failed"),
        }
    }

    pub fn writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back),
        // so a poisoned lock is still safe to use.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A free reader, or waits on one chosen by thread so concurrent queries spread out.
    pub fn reader(&self) -> MutexGuard<'_, Connection> {
        for r in &self.readers {
            if let Ok(guard) = r.try_lock() {
                return guard;
            }
        }
        let idx = thread_slot() % self.readers.len();
        self.readers[idx].lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn thread_slot() -> usize {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::thread::current().id().hash(&mut h);
    h.finish() as usize
}

fn configure(c: &Connection) -> Result<(), StoreError> {
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "NORMAL")?;
    c.pragma_update(None, "foreign_keys", true)?;
    c.pragma_update(None, "busy_timeout", 5000)?;
    c.pragma_update(None, "cache_size", -32_000)?;
    // Statement journals (every UPDATE that fires a trigger needs one) and sorts stay in
    // memory: as temp files they cost a kernel write per page during imports.
    c.pragma_update(None, "temp_store", "MEMORY")?;
    wal::configure(c)?;
    // The import's per-document statements (about twenty) stay prepared between batches.
    c.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Reads an existing file read-only and refuses it unless it is a site we can migrate.
fn check_existing(path: &Path) -> Result<(), StoreError> {
    let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
        path: path.into(),
        detail: e.to_string(),
    };
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| StoreError::Open {
        path: path.into(),
        source,
    })?;
    let app_id: i32 = c
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(ref f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                StoreError::NotASite {
                    path: path.into(),
                    detail: "it is not an SQLite database".into(),
                }
            }
            other => corrupt(other),
        })?;
    let version: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(corrupt)?;
    if app_id != APPLICATION_ID {
        let tables: i64 = c
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(corrupt)?;
        if tables > 0 || version != 0 {
            return Err(StoreError::NotASite {
                path: path.into(),
                detail: "it is an SQLite database of another program".into(),
            });
        }
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.into(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    // A full check reads every page: worth it on small sites, too slow at start-up on a
    // catalog of gigabytes. There, damage found later by a query is reported by
    // `ApiError::from(rusqlite::Error)` with the same advice.
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let pragma = if size <= FULL_CHECK_MAX_BYTES {
        "PRAGMA quick_check(1)"
    } else {
        "PRAGMA schema_version"
    };
    let check: String = c
        .query_row(pragma, [], |r| r.get::<_, rusqlite::types::Value>(0))
        .map_err(corrupt)
        .map(|v| match v {
            rusqlite::types::Value::Text(t) => t,
            _ => "ok".to_string(),
        })?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            path: path.into(),
            detail: check,
        });
    }
    Ok(())
}

impl From<StoreError> for crate::wire::ApiError {
    fn from(e: StoreError) -> Self {
        crate::wire::ApiError::new(crate::wire::ErrorCode::Internal, e.to_string())
    }
}
