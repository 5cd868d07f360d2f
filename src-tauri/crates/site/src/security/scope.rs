//! Scopes: an administrator limited to collections (target groups and their subgroups)
//! names only those in a command's arguments, and sees only those in its answers.
//!
//! Read here from the command's JSON, so the engines below know nothing of scopes and a
//! new command's group fields are held to the scope by their names alone.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ErrorCode};

/// "All Computers": the group a new group goes under when no parent is named.
const ROOT_GROUP: i64 = 1;

/// Argument fields that name a target group, wherever they sit in the arguments.
const GROUP_FIELDS: &[&str] = &["groupId", "targetGroupId", "parentId"];
const GROUP_LIST_FIELDS: &[&str] = &["groupIds"];

/// The scope's groups and all their descendants.
fn reachable(c: &Connection, roots: &[i64]) -> rusqlite::Result<BTreeSet<i64>> {
    let json = serde_json::to_string(roots).unwrap_or_else(|_| "[]".into());
    let mut stmt = c.prepare_cached(
        "WITH RECURSIVE sub(id) AS (
             SELECT value FROM json_each(?1)
             UNION SELECT g.group_id FROM target_groups g JOIN sub ON g.parent_id = sub.id)
         SELECT id FROM sub",
    )?;
    let ids = stmt.query_map([json], |r| r.get(0))?.collect();
    ids
}

fn collect_groups(v: &Value, out: &mut Vec<i64>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if GROUP_FIELDS.contains(&k.as_str()) {
                    out.extend(v.as_i64());
                } else if GROUP_LIST_FIELDS.contains(&k.as_str()) {
                    out.extend(v.as_array().into_iter().flatten().filter_map(Value::as_i64));
                } else {
                    collect_groups(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_groups(i, out)),
        _ => {}
    }
}

fn computer_groups(c: &Connection, computer: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = c.prepare_cached("SELECT group_id FROM computer_group_members WHERE computer_id = ?1")?;
    let ids = stmt.query_map([computer], |r| r.get(0))?.collect();
    ids
}

fn out_of_scope(actor: &Actor, what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Forbidden,
        format!(
            "{what} is outside the collections {} is limited to; ask a full administrator to widen the scope.",
            actor.name
        ),
    )
}

/// Checks a Scoped command's arguments against the actor's scope, and answers the
/// arguments to run it with (a list without a group is narrowed to the scope's one root).
pub fn check_args(site: &Site, actor: &Actor, command: &str, mut args: Value) -> Result<Value, ApiError> {
    let Some(scope) = &actor.scope else {
        return Ok(args);
    };
    let c = site.store().reader();
    let inside = reachable(&c, scope)?;
    let mut named = Vec::new();
    collect_groups(&args, &mut named);
    let id = args.get("id").and_then(Value::as_i64);
    match command {
        "create_target_group" if args.get("parentId").and_then(Value::as_i64).is_none() => named.push(ROOT_GROUP),
        "update_target_group" | "delete_target_group" => named.extend(id),
        "edit_deployment" | "set_deployment_enabled" | "delete_deployment" => {
            if let Some(id) = id {
                let g: Option<i64> = c
                    .query_row(
                        "SELECT target_group_id FROM assignments WHERE assignment_id = ?1",
                        [id],
                        |r| r.get(0),
                    )
                    .optional()?;
                named.extend(g);
            }
        }
        "list_computer_page" if args.get("groupId").and_then(Value::as_i64).is_none() => match scope.as_slice() {
            [only] => {
                args["groupId"] = Value::from(*only);
                args["includeSubgroups"] = Value::from(true);
            }
            _ => {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    format!(
                        "{} is limited to {} collections: choose one of them to list its computers.",
                        actor.name,
                        scope.len()
                    ),
                ))
            }
        },
        _ => {}
    }
    if let Some(g) = named.iter().find(|g| !inside.contains(g)) {
        return Err(out_of_scope(actor, &format!("Target group {g}")));
    }
    let mut computers: Vec<i64> = match command {
        "get_computer" => id.into_iter().collect(),
        _ => args.get("computerId").and_then(Value::as_i64).into_iter().collect(),
    };
    // Adding a computer from outside the scope would bring it in: only the scope's own move.
    computers.extend(
        args.get("computerIds")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64),
    );
    for computer in computers {
        if !computer_groups(&c, computer)?.iter().any(|g| inside.contains(g)) {
            return Err(out_of_scope(actor, &format!("Computer {computer}")));
        }
    }
    Ok(args)
}

/// Keeps of a Scoped command's answer what lies inside the actor's scope.
pub fn filter_answer(site: &Site, actor: &Actor, command: &str, out: Value) -> Result<Value, ApiError> {
    let Some(scope) = &actor.scope else {
        return Ok(out);
    };
    let Value::Array(items) = out else {
        return Ok(out);
    };
    let inside = reachable(&site.store().reader(), scope)?;
    let has = |v: &Value, key: &str| v.get(key).and_then(Value::as_i64).is_some_and(|g| inside.contains(&g));
    let kept = items
        .into_iter()
        .filter_map(|mut item| {
            let keep = match command {
                "list_target_groups" => has(&item, "id"),
                "list_deployments" => has(&item, "targetGroupId"),
                "list_approvals" => has(&item, "groupId"),
                "list_computers" | "list_agent_policies" => {
                    // Only the scope's groups are shown of an item that is in one of them.
                    let groups: Vec<Value> = item
                        .get("groupIds")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter(|g| g.as_i64().is_some_and(|g| inside.contains(&g)))
                        .cloned()
                        .collect();
                    let keep = !groups.is_empty();
                    item["groupIds"] = Value::Array(groups);
                    keep
                }
                _ => true,
            };
            keep.then_some(item)
        })
        .collect();
    Ok(Value::Array(kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_fields_are_found_at_any_depth_and_update_groups_are_not_taken_for_them() {
        let args = serde_json::json!({
            "id": 4, "updateGroupId": 9,
            "spec": { "targetGroupId": 3 },
            "approvals": [{ "groupId": 5 }, { "groupId": 6 }],
            "groupIds": [7]
        });
        let mut out = Vec::new();
        collect_groups(&args, &mut out);
        out.sort();
        assert_eq!(out, vec![3, 5, 6, 7]);
    }
}
