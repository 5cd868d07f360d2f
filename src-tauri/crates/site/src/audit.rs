//! The audit log: who did what to what, and when (UTC).
//!
//! **Architecture invariant:** every mutation writes its audit row through [`record`] in
//! the same transaction as the change, so a change without its audit row cannot exist.

use rusqlite::{params, Connection};

use crate::handle::{Actor, Site};
use crate::wire::{ApiError, AuditEntry, AuditQuery};

pub fn record(tx: &Connection, actor: &Actor, action: &str, target: &str, detail: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at_utc, actor, action, target, detail, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            crate::clock::now_utc(),
            actor.name,
            action,
            target,
            detail,
            actor.address
        ],
    )?;
    Ok(())
}

pub fn list(site: &Site, _actor: &Actor, q: AuditQuery) -> Result<Vec<AuditEntry>, ApiError> {
    let limit = if q.limit <= 0 { 200 } else { q.limit.min(1000) };
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT audit_id, at_utc, actor, action, target, detail, address FROM audit_log ORDER BY audit_id DESC LIMIT ?1 OFFSET ?2",
    )?;
    let rows = stmt
        .query_map(params![limit, q.offset.max(0)], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at_utc: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                target: r.get(4)?,
                detail: r.get(5)?,
                address: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
