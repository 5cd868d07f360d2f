//! Approvals (APR-1, APR-2), Intune style: one explicit approval per (update, target group);
//! a group without one inherits its nearest ancestor's.

use std::collections::HashMap;

use chrono::{Duration, Months};
use rusqlite::{params, Connection};

use super::{changed, not_found, plural, resolve_updates, some_of, validation, Tree};
use crate::handle::{Actor, Site};
use crate::wire::*;
use crate::{audit, clock};

/// The deadline a preset means when saved at `now`, in the site's UTC form.
///
/// One month is the same day of the next calendar month, clamped to that month's last day
/// (31 January → 28 or 29 February), as administrators read "one month".
pub fn deadline_from(
    preset: DeadlinePreset,
    custom: Option<&str>,
    now: clock::UtcTime,
) -> Result<Option<String>, ApiError> {
    let at = match preset {
        DeadlinePreset::None => return Ok(None),
        DeadlinePreset::AsSoonAsPossible => now,
        DeadlinePreset::OneWeek => now + Duration::days(7),
        DeadlinePreset::TwoWeeks => now + Duration::days(14),
        // chrono clamps to the month's last day, as administrators read "one month".
        DeadlinePreset::OneMonth => now
            .checked_add_months(Months::new(1))
            .ok_or_else(|| ApiError::internal("one month from now is past the last representable date"))?,
        DeadlinePreset::Custom => {
            let text = custom.map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| {
                validation("A custom deadline needs a date and time (RFC 3339, e.g. 2027-01-31T18:00:00Z).")
            })?;
            let (t, _) = super::parse_time(text).ok_or_else(|| {
                validation(format!(
                    "The custom deadline '{text}' is not a date and time; write it as RFC 3339, e.g. 2027-01-31T18:00:00Z."
                ))
            })?;
            if t <= now {
                return Err(validation(format!(
                    "The custom deadline {} is in the past; choose a time after {}.",
                    clock::format_utc(t),
                    clock::format_utc(now)
                )));
            }
            t
        }
    };
    Ok(Some(clock::format_utc(at)))
}

fn action_name(a: ApprovalAction) -> &'static str {
    match a {
        ApprovalAction::Required => "Required",
        ApprovalAction::Available => "Available",
        ApprovalAction::DoNotInstall => "DoNotInstall",
        ApprovalAction::Uninstall => "Uninstall",
    }
}

pub(crate) fn parse_action(s: &str) -> ApprovalAction {
    match s {
        "Required" => ApprovalAction::Required,
        "Available" => ApprovalAction::Available,
        "Uninstall" => ApprovalAction::Uninstall,
        _ => ApprovalAction::DoNotInstall,
    }
}

fn action_label(a: ApprovalAction) -> &'static str {
    match a {
        ApprovalAction::Required => "Required install",
        ApprovalAction::Available => "Available install",
        ApprovalAction::DoNotInstall => "Do not install",
        ApprovalAction::Uninstall => "Uninstall",
    }
}

pub fn approve(site: &Site, actor: &Actor, args: ApproveArgs) -> Result<ApproveReport, ApiError> {
    if args.update_ids.is_empty() {
        return Err(validation("Choose at least one update to approve."));
    }
    if args.approvals.is_empty() {
        return Err(validation("Choose at least one group and its deployment action."));
    }
    let now = clock::now();
    let now_text = clock::format_utc(now);
    let mut report = ApproveReport {
        approvals: 0,
        undeclined: 0,
    };
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let tree = Tree::load(&tx)?;
        // Everything is checked before anything is written: one refusal changes nothing.
        let mut plans = Vec::with_capacity(args.approvals.len());
        let mut unknown_groups = Vec::new();
        for a in &args.approvals {
            if !tree.contains(a.group_id) {
                unknown_groups.push(a.group_id.to_string());
                continue;
            }
            if plans
                .iter()
                .any(|(g, _, _): &(i64, ApprovalAction, Option<String>)| *g == a.group_id)
            {
                return Err(validation(format!(
                    "'{}' is chosen twice; give each group one deployment action.",
                    tree.path(a.group_id)
                )));
            }
            let allows_deadline = matches!(a.action, ApprovalAction::Required | ApprovalAction::Uninstall);
            if a.deadline != DeadlinePreset::None && !allows_deadline {
                return Err(validation(format!(
                    "'{}': a deadline applies only to Required install and Uninstall, not to {}; choose None.",
                    tree.path(a.group_id),
                    action_label(a.action)
                )));
            }
            let deadline = deadline_from(a.deadline, a.custom_deadline_utc.as_deref(), now)?;
            plans.push((a.group_id, a.action, deadline));
        }
        if !unknown_groups.is_empty() {
            return Err(not_found(format!(
                "There is no target group with id {}.",
                some_of(&unknown_groups)
            )));
        }
        let updates = resolve_updates(&tx, &args.update_ids)?;
        let expired: Vec<String> = updates
            .iter()
            .filter(|u| u.declined && u.declined_reason.as_deref() == Some("Expired"))
            .map(|u| u.label.clone())
            .collect();
        if !expired.is_empty() {
            return Err(validation(format!(
                "{} declined because {} expired upstream; {} cannot be approved.",
                some_of(&expired),
                if expired.len() == 1 { "it" } else { "they" },
                if expired.len() == 1 { "it" } else { "they" }
            )));
        }
        {
            let mut clear = tx.prepare_cached(
                "DELETE FROM assignments WHERE kind = 'Approval' AND upd_pk = ?1 AND target_group_id = ?2",
            )?;
            let mut undecline =
                tx.prepare_cached("UPDATE updates SET declined = 0, declined_reason = NULL WHERE upd_pk = ?1")?;
            for u in &updates {
                if u.declined {
                    undecline.execute([u.pk])?;
                    report.undeclined += 1;
                }
                for (group, action, deadline) in &plans {
                    clear.execute(params![u.pk, group])?;
                    insert_approval(&tx, u.pk, *group, *action, deadline.as_deref(), &now_text, &actor.name)?;
                    report.approvals += 1;
                }
            }
        }
        let labels: Vec<String> = updates.iter().map(|u| u.label.clone()).collect();
        for (group, action, deadline) in &plans {
            audit_approval(&tx, actor, &tree, *group, *action, &labels, deadline.as_deref())?;
        }
        if report.undeclined > 0 {
            audit::record(
                &tx,
                actor,
                "update.undecline",
                &some_of(&labels),
                &format!(
                    "{} approved again",
                    plural(report.undeclined, "declined update", "declined updates")
                ),
            )?;
        }
        tx.commit()?;
    }
    changed(site);
    Ok(report)
}

/// Writes one explicit approval; the caller has cleared or checked the (update, group) pair.
fn insert_approval(
    tx: &Connection,
    upd_pk: i64,
    group: i64,
    action: ApprovalAction,
    deadline: Option<&str>,
    now_text: &str,
    created_by: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO assignments (name, kind, upd_pk, target_group_id, action, deadline_utc, enabled,
                                  created_utc, modified_utc, created_by)
         VALUES ('Approval', 'Approval', ?1, ?2, ?3, ?4, 1, ?5, ?5, ?6)",
    )?
    .execute(params![
        upd_pk,
        group,
        action_name(action),
        deadline,
        now_text,
        created_by
    ])?;
    Ok(())
}

fn audit_approval(
    tx: &Connection,
    actor: &Actor,
    tree: &Tree,
    group: i64,
    action: ApprovalAction,
    labels: &[String],
    deadline: Option<&str>,
) -> rusqlite::Result<()> {
    audit::record(
        tx,
        actor,
        "update.approve",
        &tree.path(group),
        &format!(
            "{}: {}{}",
            action_label(action),
            some_of(labels),
            deadline.map(|d| format!("; deadline {d}")).unwrap_or_default()
        ),
    )
}

/// Approves `updates` for `group` (with the action and deadline given) where the group holds no explicit approval of its own
/// for them yet (an administrator's choice wins over a rule's), audited as `actor`, who is
/// also recorded as the approver. Returns the approvals written. Runs inside the caller's
/// transaction; the caller calls [`changed`] after committing.
pub(crate) fn approve_where_unset(
    tx: &Connection,
    actor: &Actor,
    tree: &Tree,
    group: i64,
    updates: &[super::UpdateKey],
    (action, deadline): (ApprovalAction, Option<&str>),
    now_text: &str,
) -> rusqlite::Result<i64> {
    let mut written = Vec::new();
    {
        let mut exists = tx.prepare_cached(
            "SELECT 1 FROM assignments WHERE kind = 'Approval' AND upd_pk = ?1 AND target_group_id = ?2",
        )?;
        for u in updates {
            if exists.exists(params![u.pk, group])? {
                continue;
            }
            insert_approval(tx, u.pk, group, action, deadline, now_text, &actor.name)?;
            written.push(u.label.clone());
        }
    }
    if !written.is_empty() {
        audit_approval(tx, actor, tree, group, action, &written, deadline)?;
    }
    Ok(written.len() as i64)
}

pub fn remove(site: &Site, actor: &Actor, args: RemoveApprovalsArgs) -> Result<NoArgs, ApiError> {
    if args.update_ids.is_empty() || args.group_ids.is_empty() {
        return Err(validation(
            "Choose the updates and the groups whose approvals to remove.",
        ));
    }
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let tree = Tree::load(&tx)?;
        tree.require(&args.group_ids)?;
        let updates = resolve_updates(&tx, &args.update_ids)?;
        let labels: Vec<String> = updates.iter().map(|u| u.label.clone()).collect();
        let mut stmt = tx.prepare_cached(
            "DELETE FROM assignments WHERE kind = 'Approval' AND upd_pk = ?1 AND target_group_id = ?2",
        )?;
        for g in &args.group_ids {
            let mut removed = 0;
            for u in &updates {
                removed += stmt.execute(params![u.pk, g])?;
            }
            audit::record(
                &tx,
                actor,
                "update.remove_approval",
                &tree.path(*g),
                &format!(
                    "{} removed: {}",
                    plural(removed as i64, "approval", "approvals"),
                    some_of(&labels)
                ),
            )?;
        }
        drop(stmt);
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}

/// One explicit approval as stored.
struct Explicit {
    update_id: String,
    title: String,
    action: ApprovalAction,
    deadline_utc: Option<String>,
    approved_utc: String,
    approved_by: String,
}

fn read_explicit(
    c: &Connection,
    condition: &str,
    value: &dyn rusqlite::ToSql,
) -> rusqlite::Result<Vec<(i64, Explicit)>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT a.target_group_id, u.update_id, u.title, a.action, a.deadline_utc, a.created_utc, a.created_by
         FROM assignments a JOIN updates u ON u.upd_pk = a.upd_pk
         WHERE a.kind = 'Approval' AND {condition}"
    ))?;
    let rows = stmt
        .query_map([value], |r| {
            Ok((
                r.get(0)?,
                Explicit {
                    update_id: r.get(1)?,
                    title: r.get(2)?,
                    action: parse_action(&r.get::<_, String>(3)?),
                    deadline_utc: r.get(4)?,
                    approved_utc: r.get(5)?,
                    approved_by: r.get(6)?,
                },
            ))
        })?
        .collect();
    rows
}

fn info(tree: &Tree, group: i64, source: i64, e: &Explicit) -> ApprovalInfo {
    ApprovalInfo {
        update_id: e.update_id.clone(),
        update_title: e.title.clone(),
        group_id: group,
        group_path: tree.path(group),
        action: e.action,
        deadline_utc: e.deadline_utc.clone(),
        explicit: group == source,
        source_group_id: source,
        source_group_path: tree.path(source),
        approved_utc: e.approved_utc.clone(),
        approved_by: e.approved_by.clone(),
    }
}

pub fn list(site: &Site, _actor: &Actor, args: ListApprovalsArgs) -> Result<Vec<ApprovalInfo>, ApiError> {
    let c = site.store().reader();
    let tree = Tree::load(&c)?;
    match (args.update_id, args.group_id) {
        (Some(update_id), None) => {
            let id = update_id.trim().to_lowercase();
            resolve_updates(&c, std::slice::from_ref(&id))?;
            let by_group: HashMap<i64, Explicit> = read_explicit(&c, "u.update_id = ?1", &id)?.into_iter().collect();
            // Every group whose chain reaches an approval, with the nearest one.
            let mut out: Vec<ApprovalInfo> = tree
                .groups
                .keys()
                .filter_map(|g| {
                    let source = tree.chain(*g).into_iter().find(|a| by_group.contains_key(a))?;
                    by_group.get(&source).map(|e| info(&tree, *g, source, e))
                })
                .collect();
            out.sort_by(|a, b| a.group_path.to_lowercase().cmp(&b.group_path.to_lowercase()));
            Ok(out)
        }
        (None, Some(group)) => {
            if !tree.contains(group) {
                return Err(not_found(format!("There is no target group with id {group}.")));
            }
            let mut out: Vec<ApprovalInfo> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            // Nearest first: the first approval met for an update is the effective one.
            for source in tree.chain(group) {
                for (_, e) in read_explicit(&c, "a.target_group_id = ?1", &source)? {
                    if seen.insert(e.update_id.clone()) {
                        out.push(info(&tree, group, source, &e));
                    }
                }
            }
            out.sort_by(|a, b| a.update_title.cmp(&b.update_title));
            Ok(out)
        }
        _ => Err(validation("Name either one update or one target group.")),
    }
}
