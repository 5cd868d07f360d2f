//! Target groups (device collections / computer groups: one tree under "All Computers")
//! and their computer members.
//!
//! SQLite's UNIQUE (parent_id, name) does not hold for the root's NULL parent and is
//! case-sensitive, so sibling names are checked here, case-insensitively.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, Connection, OptionalExtension};

use super::{changed, conflict, not_found, plural, validation, Tree, ROOT_GROUP};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::*;

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<TargetGroup>, ApiError> {
    let c = site.store().reader();
    read_all(&c)
}

fn read_all(c: &Connection) -> Result<Vec<TargetGroup>, ApiError> {
    let tree = Tree::load(c)?;
    let mut stmt = c.prepare_cached(
        "SELECT g.group_id, g.parent_id, g.name, g.description, g.created_utc,
                (SELECT count(*) FROM computer_group_members m WHERE m.group_id = g.group_id),
                (SELECT count(*) FROM assignments a WHERE a.target_group_id = g.group_id)
         FROM target_groups g",
    )?;
    let mut by_id: HashMap<i64, TargetGroup> = stmt
        .query_map([], |r| {
            let id: i64 = r.get(0)?;
            Ok((
                id,
                TargetGroup {
                    id,
                    parent_id: r.get(1)?,
                    name: r.get(2)?,
                    description: r.get(3)?,
                    path: String::new(),
                    member_count: r.get(5)?,
                    assignment_count: r.get(6)?,
                    created_utc: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Tree order: each group followed by its subgroups, siblings by name.
    let mut children: BTreeMap<Option<i64>, Vec<(String, i64)>> = BTreeMap::new();
    for (id, g) in &by_id {
        children
            .entry(g.parent_id)
            .or_default()
            .push((g.name.to_lowercase(), *id));
    }
    for v in children.values_mut() {
        v.sort();
    }
    let mut out = Vec::with_capacity(by_id.len());
    let mut stack: Vec<i64> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|(_, id)| *id).collect())
        .unwrap_or_default();
    while let Some(id) = stack.pop() {
        if let Some(mut g) = by_id.remove(&id) {
            g.path = tree.path(id);
            out.push(g);
            if let Some(kids) = children.get(&Some(id)) {
                stack.extend(kids.iter().rev().map(|(_, k)| *k));
            }
        }
    }
    Ok(out)
}

fn read_one(c: &Connection, id: i64) -> Result<TargetGroup, ApiError> {
    read_all(c)?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| not_found(format!("There is no target group with id {id}.")))
}

/// Refuses an empty name, or one a sibling already has (case-insensitively).
fn check_name(c: &Connection, parent: i64, name: &str, except: Option<i64>) -> Result<(), ApiError> {
    if name.is_empty() {
        return Err(validation("A target group needs a name."));
    }
    if name.chars().count() > 256 {
        return Err(validation("A target group name holds at most 256 characters."));
    }
    let clash: Option<String> = c
        .query_row(
            "SELECT p.name FROM target_groups g JOIN target_groups p ON p.group_id = g.parent_id
             WHERE g.parent_id = ?1 AND lower(g.name) = lower(?2) AND g.group_id <> ?3",
            params![parent, name, except.unwrap_or(-1)],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(parent_name) = clash {
        return Err(conflict(format!(
            "'{parent_name}' already has a subgroup named '{name}'. Choose another name."
        )));
    }
    Ok(())
}

pub fn create(site: &Site, actor: &Actor, args: CreateTargetGroupArgs) -> Result<TargetGroup, ApiError> {
    let name = args.name.trim().to_string();
    let parent = args.parent_id.unwrap_or(ROOT_GROUP);
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let tree = Tree::load(&tx)?;
        if !tree.contains(parent) {
            return Err(not_found(format!(
                "There is no target group with id {parent} to create '{name}' under."
            )));
        }
        check_name(&tx, parent, &name, None)?;
        tx.execute(
            "INSERT INTO target_groups (parent_id, name, description, created_utc) VALUES (?1, ?2, ?3, ?4)",
            params![parent, name, args.description.trim(), crate::clock::now_utc()],
        )?;
        let id = tx.last_insert_rowid();
        let path = format!("{} / {name}", tree.path(parent));
        audit::record(&tx, actor, "target_group.create", &path, &format!("id {id}"))?;
        tx.commit()?;
        id
    };
    changed(site);
    read_one(&site.store().reader(), id)
}

pub fn update(site: &Site, actor: &Actor, args: UpdateTargetGroupArgs) -> Result<TargetGroup, ApiError> {
    let name = args.name.trim().to_string();
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let tree = Tree::load(&tx)?;
        let Some((old_parent, old_name)) = tree.groups.get(&args.id).cloned() else {
            return Err(not_found(format!("There is no target group with id {}.", args.id)));
        };
        let old_path = tree.path(args.id);
        let mut details = Vec::new();
        let new_parent = if args.id == ROOT_GROUP {
            if args.parent_id.is_some_and(|p| p != ROOT_GROUP) {
                return Err(validation(format!(
                    "'{old_name}' is the root of every target group; it cannot be moved."
                )));
            }
            if name.is_empty() {
                return Err(validation("A target group needs a name."));
            }
            None
        } else {
            // Absent parent: stay where it is.
            let parent = args.parent_id.or(old_parent).unwrap_or(ROOT_GROUP);
            if !tree.contains(parent) {
                return Err(not_found(format!(
                    "There is no target group with id {parent} to move '{old_name}' under."
                )));
            }
            if tree.chain(parent).contains(&args.id) {
                return Err(validation(format!(
                    "'{old_name}' cannot move under {}: that is the group itself or one of its subgroups.",
                    if parent == args.id {
                        format!("'{old_name}'")
                    } else {
                        format!("'{}'", tree.path(parent))
                    }
                )));
            }
            check_name(&tx, parent, &name, Some(args.id))?;
            if Some(parent) != old_parent {
                details.push(format!("moved under '{}'", tree.path(parent)));
            }
            Some(parent)
        };
        if name != old_name {
            details.push(format!("renamed to '{name}'"));
        }
        tx.execute(
            "UPDATE target_groups SET name = ?2, description = ?3, parent_id = ?4 WHERE group_id = ?1",
            params![args.id, name, args.description.trim(), new_parent],
        )?;
        if details.is_empty() {
            details.push("description changed".into());
        }
        audit::record(&tx, actor, "target_group.update", &old_path, &details.join("; "))?;
        tx.commit()?;
    }
    changed(site);
    read_one(&site.store().reader(), args.id)
}

pub fn delete(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let tree = Tree::load(&tx)?;
        if !tree.contains(args.id) {
            return Err(not_found(format!("There is no target group with id {}.", args.id)));
        }
        let name = tree.name(args.id).to_string();
        if args.id == ROOT_GROUP {
            return Err(validation(format!(
                "'{name}' is the root of every target group; it cannot be deleted."
            )));
        }
        let subgroups: i64 = tx.query_row(
            "SELECT count(*) FROM target_groups WHERE parent_id = ?1",
            [args.id],
            |r| r.get(0),
        )?;
        if subgroups > 0 {
            return Err(conflict(format!(
                "'{name}' has {}; delete or move them first.",
                plural(subgroups, "subgroup", "subgroups")
            )));
        }
        let (deployments, approvals): (i64, i64) = tx.query_row(
            "SELECT coalesce(sum(kind = 'Deployment'), 0), coalesce(sum(kind = 'Approval'), 0)
             FROM assignments WHERE target_group_id = ?1",
            [args.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if deployments + approvals > 0 {
            let parts: Vec<String> = [
                (deployments, plural(deployments, "deployment", "deployments")),
                (approvals, plural(approvals, "approval", "approvals")),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(_, s)| s)
            .collect();
            return Err(conflict(format!(
                "{} target '{name}'; delete or retarget them first.",
                parts.join(" and ")
            )));
        }
        let path = tree.path(args.id);
        tx.execute("DELETE FROM target_groups WHERE group_id = ?1", [args.id])?;
        audit::record(&tx, actor, "target_group.delete", &path, &format!("id {}", args.id))?;
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}

pub fn list_computers(site: &Site, _actor: &Actor, args: ListComputersArgs) -> Result<Vec<Computer>, ApiError> {
    let c = site.store().reader();
    let groups: Option<Vec<i64>> = match args.group_id {
        None => None,
        Some(g) => {
            let tree = Tree::load(&c)?;
            if !tree.contains(g) {
                return Err(not_found(format!("There is no target group with id {g}.")));
            }
            Some(if args.include_subgroups {
                tree.with_descendants(g)
            } else {
                vec![g]
            })
        }
    };
    let mut memberships: HashMap<i64, Vec<i64>> = HashMap::new();
    {
        let mut stmt =
            c.prepare_cached("SELECT computer_id, group_id FROM computer_group_members ORDER BY group_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (computer, group) = row?;
            memberships.entry(computer).or_default().push(group);
        }
    }
    let mut stmt = c.prepare_cached("SELECT computer_id, name, os, last_seen_utc FROM computers ORDER BY name")?;
    let all = stmt
        .query_map([], |r| {
            Ok(Computer {
                id: r.get(0)?,
                name: r.get(1)?,
                os: r.get(2)?,
                last_seen_utc: r.get(3)?,
                group_ids: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(all
        .into_iter()
        .map(|mut comp| {
            comp.group_ids = memberships.remove(&comp.id).unwrap_or_default();
            comp
        })
        .filter(|comp| match &groups {
            None => true,
            Some(gs) => comp.group_ids.iter().any(|g| gs.contains(g)),
        })
        .collect())
}

pub fn add_members(site: &Site, actor: &Actor, args: GroupMembersArgs) -> Result<NoArgs, ApiError> {
    change_members(site, actor, args, true)
}

pub fn remove_members(site: &Site, actor: &Actor, args: GroupMembersArgs) -> Result<NoArgs, ApiError> {
    change_members(site, actor, args, false)
}

fn change_members(site: &Site, actor: &Actor, args: GroupMembersArgs, add: bool) -> Result<NoArgs, ApiError> {
    if args.computer_ids.is_empty() {
        return Err(validation("Choose at least one computer."));
    }
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let tree = Tree::load(&tx)?;
        if !tree.contains(args.group_id) {
            return Err(not_found(format!(
                "There is no target group with id {}.",
                args.group_id
            )));
        }
        let mut names = Vec::new();
        let mut unknown = Vec::new();
        {
            let mut find = tx.prepare_cached("SELECT name FROM computers WHERE computer_id = ?1")?;
            let mut write = tx.prepare_cached(if add {
                "INSERT OR IGNORE INTO computer_group_members (group_id, computer_id) VALUES (?1, ?2)"
            } else {
                "DELETE FROM computer_group_members WHERE group_id = ?1 AND computer_id = ?2"
            })?;
            for id in &args.computer_ids {
                match find.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                    Some(n) => {
                        write.execute(params![args.group_id, id])?;
                        names.push(n);
                    }
                    None => unknown.push(id.to_string()),
                }
            }
        }
        if !unknown.is_empty() {
            return Err(not_found(format!(
                "There is no managed computer with id {}.",
                super::some_of(&unknown)
            )));
        }
        audit::record(
            &tx,
            actor,
            if add {
                "target_group.add_members"
            } else {
                "target_group.remove_members"
            },
            &tree.path(args.group_id),
            &super::some_of(&names),
        )?;
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}
