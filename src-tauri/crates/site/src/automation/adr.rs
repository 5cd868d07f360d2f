//! Automatic deployment rules (ADR-1..5): the rules themselves (checks, create, edit,
//! enable, delete, read) here; their runs in [`run`].
//!
//! A rule keeps the wizard's values whole (`spec_json`); what its runs created (the group
//! it adds to, its package, its deployments) lives in columns and `adr_deployments`, so an
//! edit applies to future runs and never undoes what earlier runs made, and deleting a rule
//! removes only the rule and its run history.

mod run;
mod run_log;
mod steps;

use crate::clock::UtcTime;
use rusqlite::{params, Connection, OptionalExtension};

pub use run::{after_sync, failed_runs, list_runs, run_blocking, run_due, run_log, run_now};

use super::{criteria, evaluation};
use crate::admin::{changed, conflict, not_found, plural, validation, Tree};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::schedule::Recurrence;
use crate::wire::*;

fn issue(field: impl Into<String>, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        message: message.into(),
    }
}

/// The longest span a rule may wait (available after, deadline after), per unit: ten years.
fn span_limit(unit: SpanUnit) -> i64 {
    match unit {
        SpanUnit::Hours => 87_600,
        SpanUnit::Days => 3_650,
        SpanUnit::Weeks => 520,
        SpanUnit::Months => 120,
    }
}

fn check_span(issues: &mut Vec<FieldIssue>, field: String, what: &str, span: Option<TimeSpan>) {
    if let Some(s) = span {
        if s.value < 0 {
            issues.push(issue(
                field,
                format!("The {what} cannot be negative ({}); use 0 or more.", s.value),
            ));
        } else if s.value > span_limit(s.unit) {
            issues.push(issue(
                field,
                format!(
                    "The {what} of {} {:?} is more than ten years; choose a shorter time.",
                    s.value, s.unit
                ),
            ));
        }
    }
}

/// Every wizard rule, page by page; empty when the spec can be saved. `rule` is the rule
/// being edited (its own name and package do not clash with themselves).
fn check(c: &Connection, spec: &AdrSpec, rule: Option<&Stored>) -> Result<Vec<FieldIssue>, ApiError> {
    let mut issues = Vec::new();
    // General
    let name = spec.name.trim();
    if name.is_empty() {
        issues.push(issue("name", "A rule needs a name."));
    } else if name.chars().count() > 256 {
        issues.push(issue("name", "A rule name holds at most 256 characters."));
    } else {
        let clash: Option<i64> = c
            .query_row(
                "SELECT rule_id FROM adr_rules WHERE name = ?1 COLLATE NOCASE AND rule_id <> ?2",
                params![name, rule.map_or(-1, |r| r.id)],
                |r| r.get(0),
            )
            .optional()?;
        if clash.is_some() {
            issues.push(issue(
                "name",
                format!("An automatic deployment rule named '{name}' already exists; choose another name."),
            ));
        }
    }
    if spec.group_mode == AdrGroupMode::AddToExistingGroup {
        if let Some(g) = spec.existing_update_group_id {
            if !exists(c, "SELECT 1 FROM update_groups WHERE group_id = ?1", g)? {
                issues.push(issue(
                    "existingUpdateGroupId",
                    format!("There is no software update group with id {g}; choose another, or none to let the first run create one."),
                ));
            }
        }
    }
    // Software updates and evaluation schedule: their own engines say what is wrong.
    issues.extend(criteria::validate(&spec.criteria));
    issues.extend(evaluation::validate(&spec.evaluation));
    // Deployments
    if spec.deployments.is_empty() {
        issues.push(issue(
            "deployments",
            "Add at least one deployment: the collection the rule deploys to.",
        ));
    }
    let tree = Tree::load(c)?;
    for (i, d) in spec.deployments.iter().enumerate() {
        let at = |f: &str| format!("deployments[{i}].{f}");
        if !tree.contains(d.target_group_id) {
            issues.push(issue(
                at("targetGroupId"),
                format!("There is no collection (target group) with id {}.", d.target_group_id),
            ));
        }
        check_span(
            &mut issues,
            at("availableAfter"),
            "wait before the updates are available",
            d.available_after,
        );
        check_span(
            &mut issues,
            at("deadlineAfter"),
            "time from available to deadline",
            d.deadline_after,
        );
        if d.settings.deployment_type == DeploymentType::Required && d.deadline_after.is_none() {
            issues.push(issue(
                at("deadlineAfter"),
                "A required deployment needs an installation deadline: say how long after the available time.",
            ));
        }
        for i2 in crate::admin::deployments::alert_issues(&d.settings) {
            issues.push(issue(at(&format!("settings.{}", i2.field)), i2.message));
        }
    }
    // Deployment package and download
    match &spec.package {
        AdrPackageChoice::NoPackage => {
            if !spec.distribution_point_ids.is_empty() {
                issues.push(issue(
                    "distributionPointIds",
                    "Only a package is distributed: choose a deployment package, or no distribution point.",
                ));
            }
        }
        AdrPackageChoice::Existing { package_id } => {
            if !exists(c, "SELECT 1 FROM packages WHERE package_id = ?1", *package_id)? {
                issues.push(issue(
                    "package",
                    format!("There is no deployment package with id {package_id}; choose another or a new one."),
                ));
            }
        }
        AdrPackageChoice::New { name } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                issues.push(issue("package", "Give the new package a name of 1 to 200 characters."));
            } else {
                let owner: Option<i64> = c
                    .query_row("SELECT package_id FROM packages WHERE name = ?1", [name], |r| r.get(0))
                    .optional()?;
                if owner.is_some() && owner != rule.and_then(|r| r.package_id) {
                    issues.push(issue(
                        "package",
                        format!("A package named '{name}' already exists; choose it as an existing package or give another name."),
                    ));
                }
            }
        }
    }
    if spec.package != AdrPackageChoice::NoPackage {
        if let DownloadSource::LocalFolder { path } = &spec.download_source {
            if path.trim().is_empty() {
                issues.push(issue("downloadSource", "Name the folder to download the files from."));
            }
        }
    }
    for dp in &spec.distribution_point_ids {
        if !exists(c, "SELECT 1 FROM distribution_points WHERE dp_id = ?1", *dp)? {
            issues.push(issue(
                "distributionPointIds",
                format!("There is no distribution point with id {dp}; leave it out."),
            ));
        }
    }
    Ok(issues)
}

fn exists(c: &Connection, sql: &str, id: i64) -> rusqlite::Result<bool> {
    c.prepare_cached(sql)?.exists([id])
}

pub fn validate(site: &Site, _actor: &Actor, args: ValidateAdrArgs) -> Result<Vec<FieldIssue>, ApiError> {
    let c = site.store().reader();
    let editing = args.id.map(|id| load(&c, id)).transpose()?;
    check(&c, &args.spec, editing.as_ref())
}

fn refuse(issues: Vec<FieldIssue>) -> Result<(), ApiError> {
    match issues.into_iter().next() {
        Some(first) if first.field == "name" && first.message.contains("already exists") => {
            Err(conflict(first.message))
        }
        Some(first) => Err(validation(first.message)),
        None => Ok(()),
    }
}

/// A rule as stored.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
    pub spec: AdrSpec,
    pub update_group_id: Option<i64>,
    pub package_id: Option<i64>,
    pub created_utc: String,
    pub modified_utc: String,
    pub created_by: String,
    pub last_evaluated_utc: Option<String>,
}

const STORED_COLUMNS: &str = "rule_id, name, enabled, spec_json, update_group_id, package_id, created_utc,
                              modified_utc, created_by, last_evaluated_utc";

fn stored_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Stored, String)> {
    let json: String = r.get(3)?;
    Ok((
        Stored {
            id: r.get(0)?,
            name: r.get(1)?,
            enabled: r.get(2)?,
            // Replaced below: the JSON is parsed outside the row callback so its error
            // can name the rule.
            spec: placeholder_spec(),
            update_group_id: r.get(4)?,
            package_id: r.get(5)?,
            created_utc: r.get(6)?,
            modified_utc: r.get(7)?,
            created_by: r.get(8)?,
            last_evaluated_utc: r.get(9)?,
        },
        json,
    ))
}

fn placeholder_spec() -> AdrSpec {
    AdrSpec {
        name: String::new(),
        description: String::new(),
        group_mode: AdrGroupMode::NewGroupEachRun,
        existing_update_group_id: None,
        criteria: RuleCriteria::default(),
        evaluation: EvaluationSchedule {
            kind: EvaluationKind::Manual,
            time_utc: String::new(),
            day_of_week: 0,
            days_after_patch_tuesday: 0,
        },
        deployments: Vec::new(),
        package: AdrPackageChoice::NoPackage,
        download_source: DownloadSource::Upstream,
        languages: Vec::new(),
        distribution_point_ids: Vec::new(),
    }
}

fn parse_spec((mut s, json): (Stored, String)) -> Result<Stored, ApiError> {
    s.spec = serde_json::from_str(&json).map_err(|e| {
        ApiError::internal(format!(
            "The settings of the rule '{}' do not read ({e}); edit and save the rule again.",
            s.name
        ))
    })?;
    Ok(s)
}

pub(crate) fn load_all(c: &Connection) -> Result<Vec<Stored>, ApiError> {
    let rows = c
        .prepare_cached(&format!("SELECT {STORED_COLUMNS} FROM adr_rules ORDER BY name"))?
        .query_map([], stored_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(parse_spec).collect()
}

pub(crate) fn load(c: &Connection, id: i64) -> Result<Stored, ApiError> {
    let row = c
        .prepare_cached(&format!("SELECT {STORED_COLUMNS} FROM adr_rules WHERE rule_id = ?1"))?
        .query_row([id], stored_from)
        .optional()?
        .ok_or_else(|| not_found(format!("There is no automatic deployment rule with id {id}.")))?;
    parse_spec(row)
}

pub(crate) fn parse_utc(text: &str) -> Option<UtcTime> {
    crate::clock::parse_rfc3339(text)
}

/// When a timed rule evaluates next: after its last scheduled evaluation, or after its
/// creation when it never evaluated.
pub(crate) fn next_evaluation(rule: &Stored) -> Option<UtcTime> {
    let after = rule
        .last_evaluated_utc
        .as_deref()
        .and_then(parse_utc)
        .or_else(|| parse_utc(&rule.created_utc))?;
    Recurrence::from(&rule.spec.evaluation).next_after(after)
}

fn to_wire(site: &Site, c: &Connection, rule: Stored) -> Result<AutomaticDeploymentRule, ApiError> {
    let group_name: Option<String> = match rule.update_group_id {
        Some(g) => c
            .query_row("SELECT name FROM update_groups WHERE group_id = ?1", [g], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let deployment_ids: Vec<i64> = c
        .prepare_cached(
            "SELECT d.assignment_id FROM adr_deployments d JOIN assignments a ON a.assignment_id = d.assignment_id
             WHERE d.rule_id = ?1 ORDER BY d.assignment_id",
        )?
        .query_map([rule.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let last_run = run::runs_where(site, c, Some(rule.id), None, 1)?.into_iter().next();
    let next = if rule.enabled {
        next_evaluation(&rule).map(crate::clock::format_utc)
    } else {
        None
    };
    Ok(AutomaticDeploymentRule {
        id: rule.id,
        enabled: rule.enabled,
        update_group_id: rule.update_group_id,
        update_group_name: group_name,
        package_id: rule.package_id,
        deployment_ids,
        last_run,
        next_evaluation_utc: next,
        created_utc: rule.created_utc,
        modified_utc: rule.modified_utc,
        created_by: rule.created_by,
        spec: rule.spec,
    })
}

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<AutomaticDeploymentRule>, ApiError> {
    let c = site.store().reader();
    load_all(&c)?.into_iter().map(|r| to_wire(site, &c, r)).collect()
}

pub fn get(site: &Site, _actor: &Actor, args: IdArgs) -> Result<AutomaticDeploymentRule, ApiError> {
    let c = site.store().reader();
    let rule = load(&c, args.id)?;
    to_wire(site, &c, rule)
}

/// The spec as saved: names trimmed.
fn normalized(mut spec: AdrSpec) -> AdrSpec {
    spec.name = spec.name.trim().to_string();
    spec.description = spec.description.trim().to_string();
    if let AdrPackageChoice::New { name } = &mut spec.package {
        *name = name.trim().to_string();
    }
    spec
}

fn spec_json(spec: &AdrSpec) -> Result<String, ApiError> {
    serde_json::to_string(spec).map_err(|e| ApiError::internal(format!("encoding the rule: {e}")))
}

/// One line for the audit log: what the rule does.
fn summary(c: &Connection, spec: &AdrSpec) -> Result<String, ApiError> {
    let tree = Tree::load(c)?;
    let targets: Vec<String> = spec
        .deployments
        .iter()
        .map(|d| format!("'{}'", tree.path(d.target_group_id)))
        .collect();
    Ok(format!(
        "{}; {} to {}; evaluates {:?}; package {}",
        match spec.group_mode {
            AdrGroupMode::NewGroupEachRun => "new group each run",
            AdrGroupMode::AddToExistingGroup => "adds to one group",
        },
        plural(spec.deployments.len() as i64, "deployment", "deployments"),
        targets.join(", "),
        spec.evaluation.kind,
        match &spec.package {
            AdrPackageChoice::NoPackage => "none".to_string(),
            AdrPackageChoice::Existing { package_id } => format!("{package_id}"),
            AdrPackageChoice::New { name } => format!("new '{name}'"),
        }
    ))
}

pub fn create(site: &Site, actor: &Actor, spec: AdrSpec) -> Result<AutomaticDeploymentRule, ApiError> {
    let spec = normalized(spec);
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        refuse(check(&tx, &spec, None)?)?;
        let now = crate::clock::now_utc();
        let group = match spec.group_mode {
            AdrGroupMode::AddToExistingGroup => spec.existing_update_group_id,
            AdrGroupMode::NewGroupEachRun => None,
        };
        let package = match spec.package {
            AdrPackageChoice::Existing { package_id } => Some(package_id),
            _ => None,
        };
        tx.execute(
            "INSERT INTO adr_rules (name, enabled, spec_json, update_group_id, package_id, created_utc, modified_utc, created_by)
             VALUES (?1, 1, ?2, ?3, ?4, ?5, ?5, ?6)",
            params![spec.name, spec_json(&spec)?, group, package, now, actor.name],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(&tx, actor, "adr.create", &spec.name, &summary(&tx, &spec)?)?;
        tx.commit()?;
        id
    };
    changed(site);
    get(site, actor, IdArgs { id })
}

/// Saves a changed rule for its future runs. Groups, packages and deployments earlier runs
/// made stay as they are; only what the next run starts from follows the new choices.
pub fn edit(site: &Site, actor: &Actor, args: EditAdrArgs) -> Result<AutomaticDeploymentRule, ApiError> {
    let spec = normalized(args.spec);
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let old = load(&tx, args.id)?;
        refuse(check(&tx, &spec, Some(&old))?)?;
        // The group the next run adds to: a newly chosen one; none (so the next run creates
        // one named after the rule) when the rule switches to adding; else as it was.
        let group = match (spec.group_mode, spec.existing_update_group_id) {
            (AdrGroupMode::AddToExistingGroup, Some(g)) => Some(g),
            (AdrGroupMode::AddToExistingGroup, None) if old.spec.group_mode != AdrGroupMode::AddToExistingGroup => None,
            _ => old.update_group_id,
        };
        let package = match &spec.package {
            AdrPackageChoice::Existing { package_id } => Some(*package_id),
            AdrPackageChoice::New { .. } if spec.package == old.spec.package => old.package_id,
            _ => None,
        };
        tx.execute(
            "UPDATE adr_rules SET name = ?2, spec_json = ?3, update_group_id = ?4, package_id = ?5, modified_utc = ?6
             WHERE rule_id = ?1",
            params![
                args.id,
                spec.name,
                spec_json(&spec)?,
                group,
                package,
                crate::clock::now_utc()
            ],
        )?;
        let mut detail = summary(&tx, &spec)?;
        if old.name != spec.name {
            detail = format!("renamed to '{}'; {detail}", spec.name);
        }
        audit::record(&tx, actor, "adr.edit", &old.name, &detail)?;
        tx.commit()?;
    }
    changed(site);
    get(site, actor, IdArgs { id: args.id })
}

pub fn set_enabled(site: &Site, actor: &Actor, args: EnableArgs) -> Result<AutomaticDeploymentRule, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let rule = load(&tx, args.id)?;
        // Enabling starts the schedule from now: evaluations missed while disabled do not
        // all fire at once.
        let evaluated = if args.enabled && !rule.enabled {
            Some(crate::clock::now_utc())
        } else {
            rule.last_evaluated_utc.clone()
        };
        tx.execute(
            "UPDATE adr_rules SET enabled = ?2, last_evaluated_utc = ?3, modified_utc = ?4 WHERE rule_id = ?1",
            params![args.id, args.enabled, evaluated, crate::clock::now_utc()],
        )?;
        audit::record(
            &tx,
            actor,
            if args.enabled { "adr.enable" } else { "adr.disable" },
            &rule.name,
            "",
        )?;
        tx.commit()?;
    }
    changed(site);
    get(site, actor, IdArgs { id: args.id })
}

/// Deletes the rule and its run history. The groups, packages and deployments its runs
/// created stay: computers may be installing them.
pub fn delete(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    if run::is_running(site, args.id) {
        return Err(conflict(
            "This rule is running; wait for its run to end (see its run log), then delete it.",
        ));
    }
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let rule = load(&tx, args.id)?;
        let runs: i64 = tx.query_row("SELECT count(*) FROM adr_runs WHERE rule_id = ?1", [args.id], |r| {
            r.get(0)
        })?;
        let kept: i64 = tx.query_row(
            "SELECT count(*) FROM adr_deployments WHERE rule_id = ?1",
            [args.id],
            |r| r.get(0),
        )?;
        tx.execute("DELETE FROM adr_rules WHERE rule_id = ?1", [args.id])?;
        audit::record(
            &tx,
            actor,
            "adr.delete",
            &rule.name,
            &format!(
                "{} of history removed; the {} and groups it created stay",
                plural(runs, "run", "runs"),
                plural(kept, "deployment", "deployments")
            ),
        )?;
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}
