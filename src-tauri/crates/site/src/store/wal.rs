//! Keeping the write-ahead log bounded.
//!
//! SQLite's automatic checkpoints copy the log back into the database but never shrink the
//! file, so one big import left a log of hundreds of megabytes beside the site for good.
//! `journal_size_limit` caps what a reset log keeps; a `TRUNCATE` checkpoint after a big
//! write empties it at once.

use rusqlite::Connection;

/// What a reset log may keep on disk; beyond this the file is cut back.
pub const JOURNAL_SIZE_LIMIT_BYTES: i64 = 16 * 1024 * 1024;

/// Set on the writer when the store opens.
pub(super) fn configure(c: &Connection) -> rusqlite::Result<()> {
    c.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT_BYTES)?;
    Ok(())
}

/// How a checkpoint ended: `busy` when a reader still held an old snapshot, so part of the
/// log had to stay (the next checkpoint finishes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub busy: bool,
    pub log_frames: i64,
    pub checkpointed_frames: i64,
}

/// Copies the whole log into the database and truncates it to zero bytes. Run on the writer
/// outside any transaction; waits (the busy timeout) for readers that are mid-statement.
pub(super) fn checkpoint_truncate(c: &Connection) -> rusqlite::Result<Checkpoint> {
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        Ok(Checkpoint {
            busy: r.get::<_, i64>(0)? != 0,
            log_frames: r.get(1)?,
            checkpointed_frames: r.get(2)?,
        })
    })
}
