//! `site_meta`: the site's named values (settings as JSON, marks such as when the catalog
//! last changed), read and written the same way by every module that keeps one.

use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The value under `key`, if any.
pub fn get(c: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    c.query_row("SELECT value FROM site_meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// Sets `key` to `value`, replacing what was there.
pub fn put(c: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO site_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The JSON value under `key`; `None` when absent or unreadable (said in the log, so a
/// setting damaged by hand falls back to its defaults instead of stopping the site).
pub fn get_json<T: DeserializeOwned>(c: &Connection, key: &str) -> rusqlite::Result<Option<T>> {
    Ok(get(c, key)?.and_then(|text| match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::warn!(key, error = %e, "a stored setting is unreadable; using its defaults");
            None
        }
    }))
}

/// Stores `value` as JSON under `key`; returns the text stored (for audit details).
pub fn put_json<T: Serialize>(c: &Connection, key: &str, value: &T) -> rusqlite::Result<String> {
    let text = serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    put(c, key, &text)?;
    Ok(text)
}
