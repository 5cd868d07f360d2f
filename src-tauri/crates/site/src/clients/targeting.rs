//! Server-side or client-side targeting (WSUS Options › Computers): who decides a managed
//! computer's target groups. Server-side, the console does, and a new computer joins All
//! Computers. Client-side, the computer does at each registration, with the group names its
//! TargetGroup policy sends in `GetAuthorizationCookie` (`;` between several); names no group
//! has are ignored, and a computer naming none it can have stays in All Computers only.
//!
//! The mode is a setting of `admin::computer_settings`, read at each registration, so a
//! change reaches each computer at its next registration (within the hour a cookie lasts).

use rusqlite::{params, Connection};

use crate::admin::ROOT_GROUP;

/// Client-side targeting of `computer`: its memberships become the groups `names` names
/// (case-insensitive), All Computers when none. Returns whether they changed.
pub(super) fn apply(c: &Connection, computer: i64, names: &str) -> rusqlite::Result<bool> {
    let mut wanted: Vec<i64> = Vec::new();
    let mut find = c.prepare_cached("SELECT group_id FROM target_groups WHERE name = ?1 COLLATE NOCASE")?;
    for name in names.split(';').map(str::trim).filter(|n| !n.is_empty()) {
        for id in find.query_map([name], |r| r.get::<_, i64>(0))? {
            let id = id?;
            if !wanted.contains(&id) {
                wanted.push(id);
            }
        }
    }
    if wanted.is_empty() {
        wanted.push(ROOT_GROUP);
    }
    wanted.sort_unstable();
    let current: Vec<i64> = c
        .prepare_cached("SELECT group_id FROM computer_group_members WHERE computer_id = ?1 ORDER BY group_id")?
        .query_map([computer], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if current == wanted {
        return Ok(false);
    }
    c.execute("DELETE FROM computer_group_members WHERE computer_id = ?1", [computer])?;
    for g in &wanted {
        c.execute(
            "INSERT INTO computer_group_members (group_id, computer_id) VALUES (?1, ?2)",
            params![g, computer],
        )?;
    }
    Ok(true)
}
