//! Deployments (DEP-1, DEP-4), Configuration Manager style: a software update group to a
//! collection with the wizard's settings. Deploying a selection of updates creates a group
//! named after the deployment first, so every deployment deploys a group.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{
    changed, conflict, not_found, parse_time, plural, resolve_updates, some_of, validation, Tree, UpdateKey, ROOT_GROUP,
};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::*;

fn issue(field: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        message: message.into(),
    }
}

/// The wizard's rules, page by page; empty when the spec can be saved.
fn check(c: &Connection, spec: &DeploymentSpec) -> rusqlite::Result<(Vec<FieldIssue>, Vec<UpdateKey>)> {
    let mut issues = Vec::new();
    let mut updates = Vec::new();
    // General
    if spec.name.trim().is_empty() {
        issues.push(issue("name", "A deployment needs a name."));
    } else if spec.name.trim().chars().count() > 256 {
        issues.push(issue("name", "A deployment name holds at most 256 characters."));
    }
    match (spec.update_group_id, spec.update_ids.is_empty()) {
        (Some(_), false) => issues.push(issue(
            "updateIds",
            "Deploy either a software update group or a selection of updates, not both.",
        )),
        (None, true) => issues.push(issue(
            "updateIds",
            "Choose a software update group or at least one update to deploy.",
        )),
        (Some(g), true) => {
            let members: Option<i64> = c
                .query_row(
                    "SELECT (SELECT count(*) FROM update_group_members m WHERE m.group_id = g.group_id)
                     FROM update_groups g WHERE g.group_id = ?1",
                    [g],
                    |r| r.get(0),
                )
                .optional()?;
            match members {
                None => issues.push(issue(
                    "updateGroupId",
                    format!("There is no software update group with id {g}."),
                )),
                Some(0) => issues.push(issue(
                    "updateGroupId",
                    "This software update group has no updates; add some before deploying it.",
                )),
                Some(_) => {}
            }
        }
        (None, false) => match resolve_updates(c, &spec.update_ids) {
            Ok(found) => {
                let expired: Vec<String> = found
                    .iter()
                    .filter(|u| u.declined && u.declined_reason.as_deref() == Some("Expired"))
                    .map(|u| u.label.clone())
                    .collect();
                if !expired.is_empty() {
                    issues.push(issue(
                        "updateIds",
                        format!(
                            "{} declined because it expired upstream and cannot be deployed; leave it out.",
                            some_of(&expired)
                        ),
                    ));
                }
                updates = found
            }
            Err(e) => issues.push(issue("updateIds", e.message)),
        },
    }
    let tree = Tree::load(c)?;
    if !tree.contains(spec.target_group_id) {
        issues.push(issue(
            "targetGroupId",
            format!(
                "There is no collection (target group) with id {}.",
                spec.target_group_id
            ),
        ));
    }
    // Scheduling
    let s = &spec.settings;
    let available = parse_time(&s.available_utc);
    if available.is_none() {
        issues.push(issue(
            "availableUtc",
            format!(
                "The available time '{}' is not a date and time; write it as RFC 3339, e.g. 2027-01-31T18:00:00Z.",
                s.available_utc
            ),
        ));
    }
    match s.deadline_utc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None if s.deployment_type == DeploymentType::Required => issues.push(issue(
            "deadlineUtc",
            "A required deployment needs an installation deadline.",
        )),
        None => {}
        Some(text) => match parse_time(text) {
            None => issues.push(issue(
                "deadlineUtc",
                format!(
                    "The deadline '{text}' is not a date and time; write it as RFC 3339, e.g. 2027-01-31T18:00:00Z."
                ),
            )),
            Some((deadline, _)) => {
                if let Some((from, _)) = available {
                    if deadline < from {
                        issues.push(issue(
                            "deadlineUtc",
                            "The installation deadline is before the available time; choose a deadline at or after it.",
                        ));
                    }
                }
            }
        },
    }
    issues.extend(alert_issues(s));
    Ok((issues, updates))
}

/// The Alerts page's rules (also checked on each deployment of an automatic deployment rule).
pub(crate) fn alert_issues(s: &DeploymentSettings) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if !(1..=99).contains(&s.alert_below_percent) {
        issues.push(issue(
            "alertBelowPercent",
            format!(
                "The compliance alert threshold is {}%; choose 1 to 99%.",
                s.alert_below_percent
            ),
        ));
    }
    if let Some(days) = s.alert_days_after_deadline {
        if !(0..=365).contains(&days) {
            issues.push(issue(
                "alertDaysAfterDeadline",
                format!("The alert comes {days} days after the deadline; choose 0 to 365 days."),
            ));
        }
    }
    issues
}

pub fn validate(site: &Site, _actor: &Actor, spec: DeploymentSpec) -> Result<Vec<FieldIssue>, ApiError> {
    let c = site.store().reader();
    Ok(check(&c, &spec)?.0)
}

fn refuse(issues: Vec<FieldIssue>) -> Result<(), ApiError> {
    match issues.into_iter().next() {
        Some(first) => Err(validation(first.message)),
        None => Ok(()),
    }
}

/// The group a spec deploys: the chosen one, or a new one named after the deployment.
fn group_for(
    tx: &Transaction<'_>,
    spec: &DeploymentSpec,
    updates: &[UpdateKey],
) -> rusqlite::Result<(i64, Option<String>)> {
    match spec.update_group_id {
        Some(g) => Ok((g, None)),
        None => {
            let name = super::update_groups::unique_name(tx, spec.name.trim())?;
            let id = super::update_groups::insert(
                tx,
                &name,
                &format!("Created for the deployment '{}'.", spec.name.trim()),
                updates,
            )?;
            Ok((id, Some(name)))
        }
    }
}

fn settings_json(s: &DeploymentSettings) -> Result<String, ApiError> {
    serde_json::to_string(s).map_err(|e| ApiError::internal(format!("encoding deployment settings: {e}")))
}

fn times(s: &DeploymentSettings) -> (Option<String>, Option<String>) {
    (
        parse_time(&s.available_utc).map(|t| t.1),
        s.deadline_utc.as_deref().and_then(parse_time).map(|t| t.1),
    )
}

fn action(s: &DeploymentSettings) -> &'static str {
    match s.deployment_type {
        DeploymentType::Required => "Required",
        DeploymentType::Available => "Available",
    }
}

pub fn create(site: &Site, actor: &Actor, spec: DeploymentSpec) -> Result<Deployment, ApiError> {
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let id = insert(&tx, actor, &spec)?;
        tx.commit()?;
        id
    };
    changed(site);
    read(&site.store().reader(), id)
}

/// Checks, inserts and audits a deployment inside the caller's transaction (automatic
/// deployment rules record what they created in the same one); the caller commits and
/// calls `changed`.
pub(crate) fn insert(tx: &Transaction<'_>, actor: &Actor, spec: &DeploymentSpec) -> Result<i64, ApiError> {
    let (issues, updates) = check(tx, spec)?;
    refuse(issues)?;
    let (group, created) = group_for(tx, spec, &updates)?;
    let (available, deadline) = times(&spec.settings);
    let now = crate::clock::now_utc();
    tx.execute(
        "INSERT INTO assignments (name, kind, description, update_group_id, target_group_id, action, available_utc,
                                  deadline_utc, settings_json, enabled, created_utc, modified_utc, created_by)
         VALUES (?1, 'Deployment', ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9, ?10)",
        params![
            spec.name.trim(),
            spec.description.trim(),
            group,
            spec.target_group_id,
            action(&spec.settings),
            available,
            deadline,
            settings_json(&spec.settings)?,
            now,
            actor.name
        ],
    )?;
    let id = tx.last_insert_rowid();
    let tree = Tree::load(tx)?;
    let mut detail = format!(
        "{} to '{}'; available {}, deadline {}",
        action(&spec.settings),
        tree.path(spec.target_group_id),
        available.as_deref().unwrap_or("-"),
        deadline.as_deref().unwrap_or("none")
    );
    if let Some(name) = created {
        detail.push_str(&format!(
            "; software update group '{name}' created for its {}",
            plural(updates.len() as i64, "update", "updates")
        ));
    }
    audit::record(tx, actor, "deployment.create", spec.name.trim(), &detail)?;
    Ok(id)
}

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<Deployment>, ApiError> {
    let c = site.store().reader();
    read_where(&c, "1 = 1", &0)
}

fn read(c: &Connection, id: i64) -> Result<Deployment, ApiError> {
    read_where(c, "a.assignment_id = ?1", &id)?
        .into_iter()
        .next()
        .ok_or_else(|| not_found(format!("There is no deployment with id {id}.")))
}

/// A deployment's computers by state: those of its collection and the collection's
/// subgroups (All Computers: every computer). A computer that reported a failure for a
/// member of the update group is Error; one that still requires a member, In progress; one
/// that reported on the group and needs nothing more, Compliant; one that has not reported
/// on it, Unknown. Requirements not met stays 0: clients report no applicability yet.
fn counts(c: &Connection, update_group: i64, target: i64) -> rusqlite::Result<DeploymentCounts> {
    let members = if target == ROOT_GROUP {
        "SELECT computer_id FROM computers WHERE ?2 IS NOT NULL"
    } else {
        "SELECT DISTINCT computer_id FROM computer_group_members WHERE group_id IN (
             WITH RECURSIVE sub(g) AS (SELECT ?2 UNION SELECT t.group_id FROM target_groups t JOIN sub ON t.parent_id = sub.g)
             SELECT g FROM sub)"
    };
    let mut stmt = c.prepare_cached(&format!(
        "SELECT max(s.state = 'Failed'), max(s.state = 'Required'), count(s.upd_pk)
         FROM ({members}) pc
         LEFT JOIN (update_states s JOIN update_group_members m ON m.upd_pk = s.upd_pk AND m.group_id = ?1)
           ON s.computer_id = pc.computer_id
         GROUP BY pc.computer_id"
    ))?;
    let mut out = DeploymentCounts::default();
    let rows = stmt.query_map(params![update_group, target], |r| {
        Ok((
            r.get::<_, Option<bool>>(0)?.unwrap_or(false),
            r.get::<_, Option<bool>>(1)?.unwrap_or(false),
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        match row? {
            (true, _, _) => out.error += 1,
            (_, true, _) => out.in_progress += 1,
            (_, _, reported) if reported > 0 => out.compliant += 1,
            _ => out.unknown += 1,
        }
    }
    Ok(out)
}

fn read_where(c: &Connection, condition: &str, value: &dyn rusqlite::ToSql) -> Result<Vec<Deployment>, ApiError> {
    let tree = Tree::load(c)?;
    let mut stmt = c.prepare_cached(&format!(
        "SELECT a.assignment_id, a.name, a.description, a.update_group_id, g.name,
                (SELECT count(*) FROM update_group_members m WHERE m.group_id = a.update_group_id),
                a.target_group_id, a.enabled, a.settings_json, a.created_utc, a.modified_utc, a.created_by
         FROM assignments a JOIN update_groups g ON g.group_id = a.update_group_id
         WHERE a.kind = 'Deployment' AND ({condition}) AND ?1 IS NOT NULL
         ORDER BY a.name, a.assignment_id"
    ))?;
    let rows = stmt
        .query_map([value], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, String>(8)?,
                (r.get::<_, String>(9)?, r.get::<_, String>(10)?, r.get::<_, String>(11)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(id, name, description, group, group_name, count, target, enabled, json, (created, modified, by))| {
                let settings: DeploymentSettings = serde_json::from_str(&json).map_err(|e| {
                    ApiError::internal(format!(
                        "The settings of deployment '{name}' do not read ({e}); edit and save it again."
                    ))
                })?;
                Ok(Deployment {
                    id,
                    name,
                    description,
                    update_group_id: group,
                    update_group_name: group_name,
                    update_count: count,
                    target_group_id: target,
                    target_group_path: tree.path(target),
                    enabled,
                    settings,
                    created_utc: created,
                    modified_utc: modified,
                    created_by: by,
                    counts: counts(c, group, target)?,
                })
            },
        )
        .collect()
}

fn existing_name(tx: &Connection, id: i64) -> Result<String, ApiError> {
    tx.query_row(
        "SELECT name FROM assignments WHERE assignment_id = ?1 AND kind = 'Deployment'",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| not_found(format!("There is no deployment with id {id}.")))
}

/// Saves a changed spec. A new selection of updates gets a new group named after the
/// deployment (the old group may be deployed elsewhere, so it is left as it is).
pub fn edit(site: &Site, actor: &Actor, args: EditDeploymentArgs) -> Result<Deployment, ApiError> {
    let spec = args.spec;
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let old = existing_name(&tx, args.id)?;
        let (issues, updates) = check(&tx, &spec)?;
        refuse(issues)?;
        let (group, created) = group_for(&tx, &spec, &updates)?;
        let (available, deadline) = times(&spec.settings);
        tx.execute(
            "UPDATE assignments SET name = ?2, description = ?3, update_group_id = ?4, target_group_id = ?5, action = ?6,
                    available_utc = ?7, deadline_utc = ?8, settings_json = ?9, modified_utc = ?10
             WHERE assignment_id = ?1",
            params![
                args.id,
                spec.name.trim(),
                spec.description.trim(),
                group,
                spec.target_group_id,
                action(&spec.settings),
                available,
                deadline,
                settings_json(&spec.settings)?,
                crate::clock::now_utc()
            ],
        )?;
        let tree = Tree::load(&tx)?;
        let mut detail = format!(
            "now '{}': {} to '{}'; available {}, deadline {}",
            spec.name.trim(),
            action(&spec.settings),
            tree.path(spec.target_group_id),
            available.as_deref().unwrap_or("-"),
            deadline.as_deref().unwrap_or("none")
        );
        if let Some(name) = created {
            detail.push_str(&format!("; software update group '{name}' created"));
        }
        audit::record(&tx, actor, "deployment.edit", &old, &detail)?;
        tx.commit()?;
    }
    changed(site);
    read(&site.store().reader(), args.id)
}

pub fn set_enabled(site: &Site, actor: &Actor, args: EnableArgs) -> Result<Deployment, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let name = existing_name(&tx, args.id)?;
        tx.execute(
            "UPDATE assignments SET enabled = ?2, modified_utc = ?3 WHERE assignment_id = ?1",
            params![args.id, args.enabled, crate::clock::now_utc()],
        )?;
        audit::record(
            &tx,
            actor,
            if args.enabled {
                "deployment.enable"
            } else {
                "deployment.disable"
            },
            &name,
            "",
        )?;
        tx.commit()?;
    }
    changed(site);
    read(&site.store().reader(), args.id)
}

pub fn delete(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let name = existing_name(&tx, args.id)?;
        let n = tx.execute("DELETE FROM assignments WHERE assignment_id = ?1", [args.id])?;
        if n != 1 {
            return Err(conflict(format!("The deployment '{name}' was deleted meanwhile.")));
        }
        audit::record(&tx, actor, "deployment.delete", &name, &format!("id {}", args.id))?;
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}

/// Enabled deployments with an alert whose delay after the deadline has passed and whose
/// computers are less compliant than the threshold. Deployments without computers are left
/// out: there is nothing to be compliant yet.
pub fn below_alert(site: &Site, actor: &Actor, now: &str) -> Result<Vec<Deployment>, ApiError> {
    let all = list(site, actor, NoArgs {})?;
    Ok(all
        .into_iter()
        .filter(|d| {
            let Some(days) = d.settings.alert_days_after_deadline else {
                return false;
            };
            let Some((deadline, _)) = d.settings.deadline_utc.as_deref().and_then(super::parse_time) else {
                return false;
            };
            let alert_at = crate::clock::format_utc(crate::clock::shifted(deadline, crate::clock::days(days)));
            let n = &d.counts;
            let total = n.compliant + n.in_progress + n.error + n.requirements_not_met + n.unknown;
            d.enabled
                && alert_at.as_str() <= now
                && total > 0
                && n.compliant * 100 < d.settings.alert_below_percent * total
        })
        .collect())
}
