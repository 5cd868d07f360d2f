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

/// The collections a rule's kept spec names (an ADR's deployments, an auto-approval rule's
/// groups); `None` when there is no such rule.
fn rule_groups(c: &Connection, table: RuleTable, id: i64) -> rusqlite::Result<Option<Vec<i64>>> {
    let sql = match table {
        RuleTable::Adr => "SELECT spec_json FROM adr_rules WHERE rule_id = ?1",
        RuleTable::Approval => "SELECT spec_json FROM approval_rules WHERE rule_id = ?1",
    };
    let spec: Option<String> = c.query_row(sql, [id], |r| r.get(0)).optional()?;
    Ok(spec.map(|s| spec_groups(&serde_json::from_str(&s).unwrap_or(Value::Null))))
}

#[derive(Clone, Copy)]
enum RuleTable {
    Adr,
    Approval,
}

fn spec_groups(spec: &Value) -> Vec<i64> {
    let mut out = Vec::new();
    collect_groups(spec, &mut out);
    out
}

/// A rule belongs to a scope when it names collections and all of them are inside: a rule
/// naming none acts for the whole site.
fn rule_inside(groups: &[i64], inside: &BTreeSet<i64>) -> bool {
    !groups.is_empty() && groups.iter().all(|g| inside.contains(g))
}

/// The automatic deployment rules inside the scope.
fn adrs_inside(c: &Connection, inside: &BTreeSet<i64>) -> rusqlite::Result<BTreeSet<i64>> {
    let mut stmt = c.prepare_cached("SELECT rule_id, spec_json FROM adr_rules")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = BTreeSet::new();
    for row in rows {
        let (id, spec) = row?;
        if rule_inside(
            &spec_groups(&serde_json::from_str(&spec).unwrap_or(Value::Null)),
            inside,
        ) {
            out.insert(id);
        }
    }
    Ok(out)
}

fn adr_of_run(c: &Connection, run: i64) -> rusqlite::Result<Option<i64>> {
    c.query_row("SELECT rule_id FROM adr_runs WHERE run_id = ?1", [run], |r| r.get(0))
        .optional()
}

fn deployment_group(c: &Connection, id: i64) -> rusqlite::Result<Option<i64>> {
    c.query_row(
        "SELECT target_group_id FROM assignments WHERE assignment_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
}

/// Whether a scoped actor sees an alert: a sync failure is the site's (sync status is
/// visible to every role); a deployment's or a rule run's only inside the scope.
fn alert_inside(c: &Connection, alert_id: &str, inside: &BTreeSet<i64>) -> rusqlite::Result<bool> {
    let number = |prefix: &str| alert_id.strip_prefix(prefix).and_then(|n| n.parse::<i64>().ok());
    if let Some(d) = number("deployment:") {
        return Ok(deployment_group(c, d)?.is_some_and(|g| inside.contains(&g)));
    }
    if let Some(run) = number("rule-run:") {
        return Ok(match adr_of_run(c, run)? {
            Some(rule) => adrs_inside(c, inside)?.contains(&rule),
            None => false,
        });
    }
    if let Some(computer) = number("stale-computer:") {
        return Ok(computer_groups(c, computer)?.iter().any(|g| inside.contains(g)));
    }
    Ok(alert_id.starts_with("sync-run:"))
}

/// Whether a scoped actor is told of a site event: rule runs only of the scope's rules.
pub fn sees_event(site: &Site, actor: &Actor, event: &crate::wire::SiteEvent) -> bool {
    let Some(scope) = &actor.scope else {
        return true;
    };
    match event {
        crate::wire::SiteEvent::RuleRunChanged { rule_id, .. } => {
            let c = site.store().reader();
            reachable(&c, scope)
                .and_then(|inside| adrs_inside(&c, &inside))
                .is_ok_and(|rules| rules.contains(rule_id))
        }
        _ => true,
    }
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

/// What a scoped administrator's views hold, for the engines that sum over the whole site
/// (the overviews): their collections and the automatic deployment rules inside them.
pub struct ScopeView {
    inside: BTreeSet<i64>,
    adrs: BTreeSet<i64>,
}

impl ScopeView {
    /// `None` for an administrator of the whole site.
    pub fn of(site: &Site, actor: &Actor) -> Result<Option<ScopeView>, ApiError> {
        let Some(scope) = &actor.scope else {
            return Ok(None);
        };
        let c = site.store().reader();
        let inside = reachable(&c, scope)?;
        let adrs = adrs_inside(&c, &inside)?;
        Ok(Some(ScopeView { inside, adrs }))
    }

    pub fn holds_group(&self, group: i64) -> bool {
        self.inside.contains(&group)
    }

    pub fn holds_adr(&self, rule: i64) -> bool {
        self.adrs.contains(&rule)
    }

    /// The collections, as the JSON array SQL reads with `json_each`.
    pub fn groups_json(&self) -> String {
        serde_json::to_string(&self.inside).unwrap_or_else(|_| "[]".into())
    }

    /// The rules, as the JSON array SQL reads with `json_each`.
    pub fn adrs_json(&self) -> String {
        serde_json::to_string(&self.adrs).unwrap_or_else(|_| "[]".into())
    }

    /// How many auto-approval rules lie inside.
    pub fn approval_rules(&self, site: &Site) -> Result<i64, ApiError> {
        let c = site.store().reader();
        let mut stmt = c.prepare_cached("SELECT spec_json FROM approval_rules")?;
        let specs = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut n = 0;
        for spec in specs {
            if rule_inside(
                &spec_groups(&serde_json::from_str(&spec?).unwrap_or(Value::Null)),
                &self.inside,
            ) {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// Refuses a rule of another scope (or of the whole site) by name; an unknown id is the
/// engine's to report.
fn rule_in_scope(
    c: &Connection,
    actor: &Actor,
    inside: &BTreeSet<i64>,
    table: RuleTable,
    id: Option<i64>,
    what: &str,
) -> Result<(), ApiError> {
    let Some(id) = id else { return Ok(()) };
    match rule_groups(c, table, id)? {
        Some(groups) if !rule_inside(&groups, inside) => Err(out_of_scope(actor, &format!("{what} {id}"))),
        _ => Ok(()),
    }
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
                named.extend(deployment_group(&c, id)?);
            }
        }
        "get_adr" | "edit_adr" | "validate_adr" | "set_adr_enabled" | "delete_adr" | "run_adr" => {
            rule_in_scope(&c, actor, &inside, RuleTable::Adr, id, "Automatic deployment rule")?
        }
        "list_adr_runs" => {
            let rule = args.get("ruleId").and_then(Value::as_i64);
            if rule.is_some() {
                rule_in_scope(&c, actor, &inside, RuleTable::Adr, rule, "Automatic deployment rule")?
            }
        }
        "get_adr_run_log" => {
            let rule = match id {
                Some(run) => adr_of_run(&c, run)?,
                None => None,
            };
            // An unknown run is the engine's to report.
            if rule.is_some() {
                rule_in_scope(&c, actor, &inside, RuleTable::Adr, rule, "Automatic deployment rule")?
            }
        }
        "edit_approval_rule" | "set_approval_rule_enabled" | "delete_approval_rule" => {
            rule_in_scope(&c, actor, &inside, RuleTable::Approval, id, "Auto-approval rule")?
        }
        "run_approval_rules" => {
            let ids: Vec<i64> = args
                .get("ids")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_i64)
                .collect();
            for rule in ids {
                rule_in_scope(
                    &c,
                    actor,
                    &inside,
                    RuleTable::Approval,
                    Some(rule),
                    "Auto-approval rule",
                )?;
            }
        }
        "set_alert_state" => {
            let alert = args.get("id").and_then(Value::as_str).unwrap_or_default();
            if !alert_inside(&c, alert, &inside)? {
                return Err(out_of_scope(actor, &format!("Alert '{alert}'")));
            }
        }
        "list_computer_page" | "get_update_status" | "list_update_status_computers" if named.is_empty() => {
            // Over the scope's computers only.
            args["groupIds"] = Value::from(scope.clone());
        }
        _ => {}
    }
    let writes_rule = matches!(
        command,
        "create_adr" | "edit_adr" | "create_approval_rule" | "edit_approval_rule"
    );
    if writes_rule && named.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "A rule that names no collection acts for the whole site, and {} is limited to some collections: name one of them.",
                actor.name
            ),
        ));
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
    let c = site.store().reader();
    let inside = reachable(&c, scope)?;
    let rules = match command {
        "list_adr_runs" => adrs_inside(&c, &inside)?,
        _ => BTreeSet::new(),
    };
    let alerts: BTreeSet<String> = match command {
        "list_alerts" => items
            .iter()
            .filter_map(|a| a.get("id").and_then(Value::as_str))
            .map(|id| Ok((id, alert_inside(&c, id, &inside)?)))
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|(_, keep)| *keep)
            .map(|(id, _)| id.to_string())
            .collect(),
        _ => BTreeSet::new(),
    };
    let has = |v: &Value, key: &str| v.get(key).and_then(Value::as_i64).is_some_and(|g| inside.contains(&g));
    let kept = items
        .into_iter()
        .filter_map(|mut item| {
            let keep = match command {
                "list_target_groups" => has(&item, "id"),
                "list_deployments" => has(&item, "targetGroupId"),
                "list_approvals" => has(&item, "groupId"),
                "list_adrs" | "list_approval_rules" => {
                    rule_inside(&item.get("spec").map(spec_groups).unwrap_or_default(), &inside)
                }
                "list_adr_runs" => item
                    .get("ruleId")
                    .and_then(Value::as_i64)
                    .is_some_and(|r| rules.contains(&r)),
                "list_alerts" => item
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| alerts.contains(id)),
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
