//! Auto-approval rules (APR-5): approve for install, in chosen groups, the updates of chosen
//! products and classifications.
//!
//! A rule applies to updates that arrive after it is created (each successful sync runs it
//! on that sync's arrivals); "Run selected" applies it to the whole catalog. The approvals
//! it writes are ordinary approvals whose approver is `rule:<name>`, so deleting the rule
//! keeps them and an administrator can change them like any other. An update × group that
//! already has an explicit approval is left alone: the administrator's choice wins.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use crate::admin::{approvals, changed, conflict, not_found, plural, some_of, validation, Tree, UpdateKey};
use crate::handle::{Actor, Site};
use crate::wire::*;
use crate::{audit, clock};

const MAX_DEADLINE_DAYS: i64 = 365;

fn read_rule(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ApprovalRule, String)> {
    let json: String = r.get(2)?;
    let name: String = r.get(1)?;
    let spec = serde_json::from_str::<ApprovalRuleSpec>(&json).unwrap_or_else(|e| {
        // A row this version cannot read stays listed (so it can be deleted) but matches nothing.
        tracing::warn!(rule = %name, error = %e, "an auto-approval rule's stored settings are unreadable");
        ApprovalRuleSpec {
            name: name.clone(),
            description: String::new(),
            product_ids: Vec::new(),
            classification_ids: Vec::new(),
            group_ids: Vec::new(),
            deadline_days: None,
        }
    });
    Ok((
        ApprovalRule {
            id: r.get(0)?,
            enabled: r.get(3)?,
            spec: ApprovalRuleSpec {
                name: name.clone(),
                ..spec
            },
            approvals_made: r.get(4)?,
            last_applied_utc: r.get(5)?,
            created_utc: r.get(6)?,
            modified_utc: r.get(7)?,
            created_by: r.get(8)?,
        },
        name,
    ))
}

const COLUMNS: &str = "rule_id, name, spec_json, enabled, approvals_made, last_applied_utc, created_utc,
                       modified_utc, created_by";

fn read_all(c: &Connection) -> Result<Vec<ApprovalRule>, ApiError> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM approval_rules ORDER BY name COLLATE NOCASE"
    ))?;
    let rows = stmt
        .query_map([], |r| read_rule(r).map(|(rule, _)| rule))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn read_one(c: &Connection, id: i64) -> Result<ApprovalRule, ApiError> {
    c.prepare_cached(&format!("SELECT {COLUMNS} FROM approval_rules WHERE rule_id = ?1"))?
        .query_row([id], |r| read_rule(r).map(|(rule, _)| rule))
        .optional()?
        .ok_or_else(|| not_found(format!("There is no auto-approval rule with id {id}.")))
}

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<ApprovalRule>, ApiError> {
    read_all(&site.store().reader())
}

/// Ids of `kinds` among `ids` that are not categories of one of those kinds.
fn unknown_categories(c: &Connection, ids: &[String], kinds: &[&str]) -> Result<Vec<String>, ApiError> {
    let mut stmt = c.prepare_cached("SELECT kind FROM categories WHERE category_id = ?1")?;
    let mut unknown = Vec::new();
    for id in ids {
        let kind: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?;
        if !kind.is_some_and(|k| kinds.contains(&k.as_str())) {
            unknown.push(id.clone());
        }
    }
    Ok(unknown)
}

fn clean_ids(ids: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty() && seen.insert(s.clone()))
        .collect()
}

/// Checks the wizard's values and gives them back cleaned (trimmed, ids lower-cased,
/// duplicates dropped). `except` is the rule being edited, which may keep its own name.
fn check(
    c: &Connection,
    tree: &Tree,
    spec: ApprovalRuleSpec,
    except: Option<i64>,
) -> Result<ApprovalRuleSpec, ApiError> {
    let name = spec.name.trim().to_string();
    if name.is_empty() {
        return Err(validation("An auto-approval rule needs a name."));
    }
    if name.chars().count() > 256 {
        return Err(validation("An auto-approval rule name holds at most 256 characters."));
    }
    let clash: Option<String> = c
        .query_row(
            "SELECT name FROM approval_rules WHERE name = ?1 COLLATE NOCASE AND rule_id <> ?2",
            params![name, except.unwrap_or(-1)],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = clash {
        return Err(conflict(format!(
            "An auto-approval rule named '{other}' already exists. Choose another name."
        )));
    }
    let product_ids = clean_ids(&spec.product_ids);
    let classification_ids = clean_ids(&spec.classification_ids);
    if product_ids.is_empty() && classification_ids.is_empty() {
        return Err(validation(
            "Choose at least one product category or update classification for the rule to approve.",
        ));
    }
    let unknown = unknown_categories(c, &product_ids, &["Product", "ProductFamily"])?;
    if !unknown.is_empty() {
        return Err(not_found(format!(
            "Not a product category of this site: {}. Choose products from the list.",
            some_of(&unknown)
        )));
    }
    let unknown = unknown_categories(c, &classification_ids, &["UpdateClassification"])?;
    if !unknown.is_empty() {
        return Err(not_found(format!(
            "Not an update classification of this site: {}. Choose classifications from the list.",
            some_of(&unknown)
        )));
    }
    let mut group_ids = Vec::new();
    for g in &spec.group_ids {
        if !group_ids.contains(g) {
            group_ids.push(*g);
        }
    }
    if group_ids.is_empty() {
        return Err(validation(
            "Choose at least one computer group to approve the updates for.",
        ));
    }
    tree.require(&group_ids)?;
    if let Some(d) = spec.deadline_days {
        if !(0..=MAX_DEADLINE_DAYS).contains(&d) {
            return Err(validation(format!(
                "The installation deadline must be between 0 and {MAX_DEADLINE_DAYS} days after the approval; {d} is outside that range."
            )));
        }
    }
    Ok(ApprovalRuleSpec {
        name,
        description: spec.description.trim().to_string(),
        product_ids,
        classification_ids,
        group_ids,
        deadline_days: spec.deadline_days,
    })
}

fn spec_json(spec: &ApprovalRuleSpec) -> Result<String, ApiError> {
    serde_json::to_string(spec).map_err(|e| ApiError::internal(format!("storing an auto-approval rule: {e}")))
}

fn describe(tree: &Tree, spec: &ApprovalRuleSpec) -> String {
    let groups: Vec<String> = spec.group_ids.iter().map(|g| tree.path(*g)).collect();
    format!(
        "{}, {} → {}; deadline {}",
        plural(spec.product_ids.len() as i64, "product", "products"),
        plural(
            spec.classification_ids.len() as i64,
            "classification",
            "classifications"
        ),
        some_of(&groups),
        spec.deadline_days
            .map(|d| plural(d, "day", "days"))
            .unwrap_or_else(|| "none".into())
    )
}

pub fn create(site: &Site, actor: &Actor, spec: ApprovalRuleSpec) -> Result<ApprovalRule, ApiError> {
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let tree = Tree::load(&tx)?;
        let spec = check(&tx, &tree, spec, None)?;
        let now = clock::now_utc();
        tx.execute(
            "INSERT INTO approval_rules (name, enabled, spec_json, created_utc, modified_utc, created_by)
             VALUES (?1, 1, ?2, ?3, ?3, ?4)",
            params![spec.name, spec_json(&spec)?, now, actor.name],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(&tx, actor, "approval_rule.create", &spec.name, &describe(&tree, &spec))?;
        tx.commit()?;
        id
    };
    changed(site);
    read_one(&site.store().reader(), id)
}

pub fn edit(site: &Site, actor: &Actor, args: EditApprovalRuleArgs) -> Result<ApprovalRule, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let old = read_one(&tx, args.id)?;
        let tree = Tree::load(&tx)?;
        let spec = check(&tx, &tree, args.spec, Some(args.id))?;
        tx.execute(
            "UPDATE approval_rules SET name = ?2, spec_json = ?3, modified_utc = ?4 WHERE rule_id = ?1",
            params![args.id, spec.name, spec_json(&spec)?, clock::now_utc()],
        )?;
        let mut detail = describe(&tree, &spec);
        if spec.name != old.spec.name {
            detail = format!("renamed to '{}'; {detail}", spec.name);
        }
        audit::record(&tx, actor, "approval_rule.edit", &old.spec.name, &detail)?;
        tx.commit()?;
    }
    changed(site);
    read_one(&site.store().reader(), args.id)
}

pub fn set_enabled(site: &Site, actor: &Actor, args: EnableArgs) -> Result<ApprovalRule, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let rule = read_one(&tx, args.id)?;
        tx.execute(
            "UPDATE approval_rules SET enabled = ?2, modified_utc = ?3 WHERE rule_id = ?1",
            params![args.id, args.enabled, clock::now_utc()],
        )?;
        audit::record(
            &tx,
            actor,
            if args.enabled {
                "approval_rule.enable"
            } else {
                "approval_rule.disable"
            },
            &rule.spec.name,
            "",
        )?;
        tx.commit()?;
    }
    changed(site);
    read_one(&site.store().reader(), args.id)
}

pub fn delete(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let rule = read_one(&tx, args.id)?;
        tx.execute("DELETE FROM approval_rules WHERE rule_id = ?1", [args.id])?;
        audit::record(
            &tx,
            actor,
            "approval_rule.delete",
            &rule.spec.name,
            &format!("{} it made stay", plural(rule.approvals_made, "approval", "approvals")),
        )?;
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}

/// The listed updates (neither declined nor expired) a rule's products and classifications
/// select, that arrived at or after `since` when given.
fn matches(c: &Connection, spec: &ApprovalRuleSpec, since: Option<&str>) -> rusqlite::Result<Vec<UpdateKey>> {
    let mut sql =
        String::from("SELECT u.upd_pk, u.kb_article_id, u.title FROM updates u WHERE u.listed = 1 AND u.declined = 0");
    let mut values: Vec<Value> = Vec::new();
    if let Some(since) = since {
        sql.push_str(" AND u.arrival_utc >= ?");
        values.push(Value::Text(since.to_string()));
    }
    let marks = |n: usize| vec!["?"; n].join(", ");
    if !spec.product_ids.is_empty() {
        // A product family stands for its products.
        let m = marks(spec.product_ids.len());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM update_categories uc WHERE uc.upd_pk = u.upd_pk AND
                 (uc.category_id IN ({m}) OR uc.category_id IN (SELECT category_id FROM categories WHERE parent_id IN ({m}))))"
        ));
        for _ in 0..2 {
            values.extend(spec.product_ids.iter().map(|p| Value::Text(p.clone())));
        }
    }
    if !spec.classification_ids.is_empty() {
        sql.push_str(&format!(
            " AND u.classification_id IN ({})",
            marks(spec.classification_ids.len())
        ));
        values.extend(spec.classification_ids.iter().map(|p| Value::Text(p.clone())));
    }
    sql.push_str(" ORDER BY u.upd_pk");
    let mut stmt = c.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(values), |r| {
            let kb: String = r.get(1)?;
            let title: String = r.get(2)?;
            Ok(UpdateKey {
                pk: r.get(0)?,
                label: if kb.is_empty() { title } else { format!("KB{kb}") },
                declined: false,
                declined_reason: None,
            })
        })?
        .collect();
    rows
}

/// Applies the rules, each to the updates that arrived at or after `since(rule)` (None:
/// every update), in one transaction. `run_by`: the administrator who asked ("Run
/// selected"), audited per rule. Returns the report and commits; the caller calls
/// `changed` when something was written.
fn apply(
    site: &Site,
    rule_ids: &[i64],
    since: impl Fn(&ApprovalRule) -> Option<String>,
    run_by: Option<&Actor>,
) -> Result<ApprovalRuleRunReport, ApiError> {
    let trigger = if run_by.is_some() { "run selected" } else { "after sync" };
    let mut report = ApprovalRuleRunReport::default();
    let mut matched: HashSet<i64> = HashSet::new();
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let tree = Tree::load(&tx)?;
    let now = crate::clock::now();
    let now_text = clock::format_utc(now);
    for id in rule_ids {
        let rule = read_one(&tx, *id)?;
        let rule_actor = Actor::new(format!("rule:{}", rule.spec.name));
        let updates = matches(&tx, &rule.spec, since(&rule).as_deref())?;
        matched.extend(updates.iter().map(|u| u.pk));
        let deadline = rule
            .spec
            .deadline_days
            .map(|d| clock::format_utc(clock::shifted(now, clock::days(d.clamp(0, MAX_DEADLINE_DAYS)))));
        let mut written = 0;
        if !updates.is_empty() {
            for g in &rule.spec.group_ids {
                if !tree.contains(*g) {
                    tracing::warn!(rule = %rule.spec.name, group = g, "an auto-approval rule names a target group that no longer exists; skipped");
                    continue;
                }
                written += approvals::approve_where_unset(
                    &tx,
                    &rule_actor,
                    &tree,
                    *g,
                    &updates,
                    (ApprovalAction::Required, deadline.as_deref()),
                    &now_text,
                )?;
            }
        }
        tx.execute(
            "UPDATE approval_rules SET approvals_made = approvals_made + ?2, last_applied_utc = ?3 WHERE rule_id = ?1",
            params![id, written, now_text],
        )?;
        tracing::info!(
            rule = %rule.spec.name,
            trigger,
            matched = updates.len(),
            approvals = written,
            "auto-approval rule applied"
        );
        if let Some(admin) = run_by {
            audit::record(
                &tx,
                admin,
                "approval_rule.run",
                &rule.spec.name,
                &format!(
                    "{} matched; {} written",
                    plural(updates.len() as i64, "update", "updates"),
                    plural(written, "approval", "approvals")
                ),
            )?;
        }
        report.approvals += written;
    }
    report.updates = matched.len() as i64;
    tx.commit()?;
    Ok(report)
}

pub fn run_selected(site: &Site, actor: &Actor, args: RunApprovalRulesArgs) -> Result<ApprovalRuleRunReport, ApiError> {
    if args.ids.is_empty() {
        return Err(validation("Choose at least one auto-approval rule to run."));
    }
    let mut ids = Vec::new();
    {
        let c = site.store().reader();
        for id in &args.ids {
            if !ids.contains(id) {
                read_one(&c, *id)?;
                ids.push(*id);
            }
        }
    }
    let report = apply(site, &ids, |_| None, Some(actor))?;
    changed(site);
    Ok(report)
}

/// Applies every enabled rule to the updates that arrived since `since_utc` (and after the
/// rule was created).
pub fn after_sync(site: &Site, since_utc: &str) -> Result<ApprovalRuleRunReport, ApiError> {
    let ids: Vec<i64> = {
        let c = site.store().reader();
        let mut stmt = c.prepare_cached("SELECT rule_id FROM approval_rules WHERE enabled = 1 ORDER BY rule_id")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids
    };
    if ids.is_empty() {
        return Ok(ApprovalRuleRunReport::default());
    }
    let report = apply(
        site,
        &ids,
        |rule| Some(std::cmp::max(since_utc, rule.created_utc.as_str()).to_string()),
        None,
    )?;
    if report.approvals > 0 {
        changed(site);
    }
    Ok(report)
}
