//! Administration: what administrators decide about updates and computers.
//!
//! One model underneath two console styles: an *assignment* says what a target group does
//! with an update (an Intune-style approval, `kind = 'Approval'`) or with a software update
//! group (a Configuration Manager deployment, `kind = 'Deployment'`). `policy` turns the
//! assignments into what one computer gets.
//!
//! **Invariants:** every change writes its audit row in the same transaction; every
//! committed change calls [`changed`], which drops the grid's remembered counts and makes
//! the effective-policy snapshot stale.

pub mod approvals;
pub mod computer_settings;
pub mod computers;
pub mod deployments;
pub mod library;
pub mod policy;
pub mod target_groups;
pub mod update_groups;

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use crate::handle::Site;
use crate::wire::{ApiError, ErrorCode};

/// The root of the target-group tree (migration 0003).
pub const ROOT_GROUP: i64 = 1;

/// After a committed admin change: lists and the policy snapshot are stale.
pub(crate) fn changed(site: &Site) {
    site.state::<crate::catalog::list_cache::ListCache>().invalidate();
}

pub(crate) fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, message)
}

pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::NotFound, message)
}

pub(crate) fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Conflict, message)
}

/// "a, b, c and 4 more": names a few of many without flooding a message.
pub(crate) fn some_of(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    s
}

/// "1 deployment", "3 approvals".
pub(crate) fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An update of the catalog as admin commands name it.
#[derive(Debug, Clone)]
pub(crate) struct UpdateKey {
    pub pk: i64,
    /// "KB5034441" when it has an article, else its title: how administrators say it.
    pub label: String,
    pub declined: bool,
    pub declined_reason: Option<String>,
}

/// Looks every UpdateID up (one indexed read each, so any number works without SQL
/// variable limits); unknown ones refuse the whole request, naming them. Duplicates are
/// dropped, order kept.
pub(crate) fn resolve_updates(c: &Connection, ids: &[String]) -> Result<Vec<UpdateKey>, ApiError> {
    let mut stmt = c.prepare_cached(
        "SELECT upd_pk, kb_article_id, title, declined, declined_reason FROM updates WHERE update_id = ?1",
    )?;
    let mut seen = std::collections::HashSet::new();
    let mut found = Vec::with_capacity(ids.len());
    let mut unknown = Vec::new();
    for raw in ids {
        let id = raw.trim().to_lowercase();
        if !seen.insert(id.clone()) {
            continue;
        }
        let row = stmt
            .query_row([&id], |r| {
                let kb: String = r.get(1)?;
                let title: String = r.get(2)?;
                Ok(UpdateKey {
                    pk: r.get(0)?,
                    label: if kb.is_empty() { title } else { format!("KB{kb}") },
                    declined: r.get(3)?,
                    declined_reason: r.get(4)?,
                })
            })
            .optional()?;
        match row {
            Some(k) => found.push(k),
            None => unknown.push(raw.trim().to_string()),
        }
    }
    if !unknown.is_empty() {
        return Err(not_found(format!(
            "{} not in this site's catalog: {}. Synchronize or import them first, or leave them out.",
            if unknown.len() == 1 {
                "This update is"
            } else {
                "These updates are"
            },
            some_of(&unknown)
        )));
    }
    Ok(found)
}

/// The target-group tree: parent and name of every group.
pub(crate) struct Tree {
    pub groups: HashMap<i64, (Option<i64>, String)>,
}

impl Tree {
    pub fn load(c: &Connection) -> rusqlite::Result<Self> {
        let mut stmt = c.prepare_cached("SELECT group_id, parent_id, name FROM target_groups")?;
        let groups = stmt
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(Self { groups })
    }

    pub fn contains(&self, id: i64) -> bool {
        self.groups.contains_key(&id)
    }

    /// Refuses, naming them, the ids of groups the tree does not hold.
    pub fn require(&self, ids: &[i64]) -> Result<(), ApiError> {
        let unknown: Vec<String> = ids
            .iter()
            .filter(|g| !self.contains(**g))
            .map(|g| g.to_string())
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(not_found(format!(
                "There is no target group with id {}.",
                some_of(&unknown)
            )))
        }
    }

    pub fn parent(&self, id: i64) -> Option<i64> {
        self.groups.get(&id).and_then(|(p, _)| *p)
    }

    /// The group and its ancestors, nearest first. Stops on a cycle (which the commands
    /// never create) rather than looping.
    pub fn chain(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut at = Some(id);
        while let Some(g) = at {
            if out.contains(&g) || !self.groups.contains_key(&g) {
                break;
            }
            out.push(g);
            at = self.parent(g);
        }
        out
    }

    /// "All Computers / Servers / Web".
    pub fn path(&self, id: i64) -> String {
        let mut names: Vec<&str> = self
            .chain(id)
            .iter()
            .filter_map(|g| self.groups.get(g).map(|(_, n)| n.as_str()))
            .collect();
        names.reverse();
        names.join(" / ")
    }

    /// The group and every group below it.
    pub fn with_descendants(&self, id: i64) -> Vec<i64> {
        self.groups
            .keys()
            .copied()
            .filter(|k| self.chain(*k).contains(&id))
            .collect()
    }

    pub fn name(&self, id: i64) -> &str {
        self.groups.get(&id).map(|(_, n)| n.as_str()).unwrap_or("")
    }
}

/// Parses an RFC 3339 time from a form and gives it in the site's stored UTC form.
pub(crate) fn parse_time(text: &str) -> Option<(crate::clock::UtcTime, String)> {
    let t = crate::clock::parse_rfc3339(text)?;
    Some((t, crate::clock::format_utc(t)))
}
