//! Software update groups (GRP-1): named sets of updates, deployed as a whole. No size
//! limit: members are written one prepared statement each inside one transaction.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{changed, conflict, not_found, plural, resolve_updates, some_of, validation, UpdateKey};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::*;

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<UpdateGroupInfo>, ApiError> {
    let c = site.store().reader();
    let ids: Vec<i64> = c
        .prepare_cached("SELECT group_id FROM update_groups ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| read_info(&c, id)).collect()
}

pub fn get(site: &Site, _actor: &Actor, args: IdArgs) -> Result<UpdateGroupDetails, ApiError> {
    let c = site.store().reader();
    let info = read_info(&c, args.id)?;
    let members = crate::catalog::queries::rows_where(
        &c,
        "upd_pk IN (SELECT upd_pk FROM update_group_members WHERE group_id = ?1) ORDER BY title, upd_pk",
        args.id,
    )?;
    Ok(UpdateGroupDetails { info, members })
}

pub(crate) fn read_info(c: &Connection, id: i64) -> Result<UpdateGroupInfo, ApiError> {
    let found = c
        .query_row(
            "SELECT name, description, created_utc,
                    (SELECT count(*) FROM update_group_members m WHERE m.group_id = g.group_id),
                    (SELECT count(*) FROM assignments a WHERE a.update_group_id = g.group_id)
             FROM update_groups g WHERE group_id = ?1",
            [id],
            |r| {
                Ok(UpdateGroupInfo {
                    id,
                    name: r.get(0)?,
                    description: r.get(1)?,
                    created_utc: r.get(2)?,
                    member_count: r.get(3)?,
                    deployment_count: r.get(4)?,
                    compliance: ComplianceCounts::default(),
                })
            },
        )
        .optional()?;
    let mut info = found.ok_or_else(|| not_found(format!("There is no software update group with id {id}.")))?;
    info.compliance = compliance(c, id)?;
    Ok(info)
}

/// Per computer that reports on any member: failed beats required beats installed beats
/// not required (a computer is compliant only when nothing in the group is still needed).
fn compliance(c: &Connection, group_id: i64) -> rusqlite::Result<ComplianceCounts> {
    let mut out = ComplianceCounts::default();
    let mut stmt = c.prepare_cached(
        "SELECT max(s.state = 'Failed'), max(s.state = 'Required'), max(s.state = 'Installed')
         FROM update_states s JOIN update_group_members m ON m.upd_pk = s.upd_pk
         WHERE m.group_id = ?1 GROUP BY s.computer_id",
    )?;
    let rows = stmt.query_map([group_id], |r| {
        Ok((r.get::<_, bool>(0)?, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?))
    })?;
    let mut reporting = 0;
    for row in rows {
        reporting += 1;
        match row? {
            (true, _, _) => out.failed += 1,
            (_, true, _) => out.required += 1,
            (_, _, true) => out.installed += 1,
            _ => out.not_required += 1,
        }
    }
    let computers: i64 = c.query_row("SELECT count(*) FROM computers", [], |r| r.get(0))?;
    out.unknown = (computers - reporting).max(0);
    Ok(out)
}

fn check_name(c: &Connection, name: &str, except: Option<i64>) -> Result<(), ApiError> {
    if name.is_empty() {
        return Err(validation("A software update group needs a name."));
    }
    let clash: Option<i64> = c
        .query_row(
            "SELECT group_id FROM update_groups WHERE lower(name) = lower(?1) AND group_id <> ?2",
            params![name, except.unwrap_or(-1)],
            |r| r.get(0),
        )
        .optional()?;
    if clash.is_some() {
        return Err(conflict(format!(
            "A software update group named '{name}' already exists. Choose another name."
        )));
    }
    Ok(())
}

/// A name no group has yet: `base`, else `base (2)`, `base (3)`...
pub(crate) fn unique_name(c: &Connection, base: &str) -> rusqlite::Result<String> {
    let mut stmt = c.prepare_cached("SELECT 1 FROM update_groups WHERE lower(name) = lower(?1)")?;
    let mut candidate = base.to_string();
    let mut n = 2;
    while stmt.exists([&candidate])? {
        candidate = format!("{base} ({n})");
        n += 1;
    }
    Ok(candidate)
}

/// Inserts a group and its members; the caller commits and audits.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    name: &str,
    description: &str,
    members: &[UpdateKey],
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO update_groups (name, description, created_utc) VALUES (?1, ?2, ?3)",
        params![name, description, crate::clock::now_utc()],
    )?;
    let id = tx.last_insert_rowid();
    add_members(tx, id, members)?;
    Ok(id)
}

/// Adds members (already present ones are skipped); the count of those added.
pub(crate) fn add_members(tx: &Transaction<'_>, id: i64, members: &[UpdateKey]) -> rusqlite::Result<usize> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO update_group_members (group_id, upd_pk) VALUES (?1, ?2)")?;
    let mut n = 0;
    for m in members {
        n += stmt.execute(params![id, m.pk])?;
    }
    Ok(n)
}

pub fn create(site: &Site, actor: &Actor, args: CreateUpdateGroupArgs) -> Result<UpdateGroupInfo, ApiError> {
    let name = args.name.trim().to_string();
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        check_name(&tx, &name, None)?;
        let members = resolve_updates(&tx, &args.update_ids)?;
        let id = insert(&tx, &name, args.description.trim(), &members)?;
        audit::record(
            &tx,
            actor,
            "update_group.create",
            &name,
            &format!("{}", plural(members.len() as i64, "update", "updates")),
        )?;
        tx.commit()?;
        id
    };
    changed(site);
    read_info(&site.store().reader(), id)
}

pub fn edit(site: &Site, actor: &Actor, args: EditUpdateGroupArgs) -> Result<UpdateGroupInfo, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let old_name: String = tx
            .query_row("SELECT name FROM update_groups WHERE group_id = ?1", [args.id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| not_found(format!("There is no software update group with id {}.", args.id)))?;
        let mut details = Vec::new();
        if let Some(name) = args.name.as_deref().map(str::trim) {
            if name != old_name {
                check_name(&tx, name, Some(args.id))?;
                tx.execute(
                    "UPDATE update_groups SET name = ?2 WHERE group_id = ?1",
                    params![args.id, name],
                )?;
                details.push(format!("renamed to '{name}'"));
            }
        }
        if let Some(d) = args.description.as_deref() {
            tx.execute(
                "UPDATE update_groups SET description = ?2 WHERE group_id = ?1",
                params![args.id, d.trim()],
            )?;
        }
        let add = resolve_updates(&tx, &args.add)?;
        let remove = resolve_updates(&tx, &args.remove)?;
        let added = add_members(&tx, args.id, &add)?;
        let mut removed = 0;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM update_group_members WHERE group_id = ?1 AND upd_pk = ?2")?;
            for m in &remove {
                removed += stmt.execute(params![args.id, m.pk])?;
            }
        }
        if added > 0 {
            details.push(format!("{} added", plural(added as i64, "update", "updates")));
        }
        if removed > 0 {
            details.push(format!("{} removed", plural(removed as i64, "update", "updates")));
        }
        if details.is_empty() {
            details.push("description changed".into());
        }
        audit::record(&tx, actor, "update_group.edit", &old_name, &details.join("; "))?;
        tx.commit()?;
    }
    changed(site);
    read_info(&site.store().reader(), args.id)
}

pub fn delete(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let name: String = tx
            .query_row("SELECT name FROM update_groups WHERE group_id = ?1", [args.id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| not_found(format!("There is no software update group with id {}.", args.id)))?;
        let users: Vec<String> = tx
            .prepare_cached("SELECT name FROM assignments WHERE update_group_id = ?1 ORDER BY name")?
            .query_map([args.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !users.is_empty() {
            return Err(conflict(format!(
                "'{name}' is deployed by {}: {}. Delete those deployments first.",
                plural(users.len() as i64, "deployment", "deployments"),
                some_of(&users.iter().map(|u| format!("'{u}'")).collect::<Vec<_>>())
            )));
        }
        tx.execute("DELETE FROM update_groups WHERE group_id = ?1", [args.id])?;
        audit::record(&tx, actor, "update_group.delete", &name, &format!("id {}", args.id))?;
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}
