//! One run of an automatic deployment rule (ADR-2..4): select → group → content →
//! deployments, each step written to the run's log as it happens, so a run that stops
//! half-way says how far it got.
//!
//! A rule runs at most once at a time across processes: the running process holds a lock
//! file (`automation/rule-<id>.lock` in the site folder), which the operating system drops
//! when the process dies. A run row still `Running` whose rule nobody holds was cut short
//! (the process was killed): reads show it as Failed ("interrupted"), and the rule's next
//! run writes that state down.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};
use time::OffsetDateTime;

use super::{load, load_all, next_evaluation, Stored};
use crate::admin::{changed, conflict, not_found, plural, some_of, Tree, UpdateKey};
use crate::api::*;
use crate::automation::{criteria, schedule};
use crate::clock::format_utc;
use crate::{audit, Actor, Site};

const INTERRUPTED: &str =
    "Interrupted: Patchdeck stopped during this run. Its log shows how far it got; run the rule again.";

// ---- Who runs which rule ----

type Claims = Mutex<HashMap<(PathBuf, i64), File>>;

fn claims() -> &'static Claims {
    static C: OnceLock<Claims> = OnceLock::new();
    C.get_or_init(Default::default)
}

fn lock_claims() -> std::sync::MutexGuard<'static, HashMap<(PathBuf, i64), File>> {
    claims().lock().unwrap_or_else(|p| p.into_inner())
}

fn lock_path(site: &Site, rule: i64) -> PathBuf {
    crate::content::site_folder(site)
        .join("automation")
        .join(format!("rule-{rule}.lock"))
}

/// Whether a run of the rule is going on, in this process or another one on the site.
pub(crate) fn is_running(site: &Site, rule: i64) -> bool {
    if lock_claims().contains_key(&(site.database_path(), rule)) {
        return true;
    }
    let Ok(f) = OpenOptions::new().write(true).open(lock_path(site, rule)) else {
        return false;
    };
    matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// The right to run a rule; released (lock dropped) when the run's thread lets go of it.
struct Claim {
    key: (PathBuf, i64),
}

impl Drop for Claim {
    fn drop(&mut self) {
        lock_claims().remove(&self.key);
    }
}

fn claim(site: &Site, rule: &Stored) -> Result<Claim, ApiError> {
    let busy = || {
        conflict(format!(
            "The rule '{}' is running already; wait for that run to end, then run it again.",
            rule.name
        ))
    };
    let mut held = lock_claims();
    let key = (site.database_path(), rule.id);
    if held.contains_key(&key) {
        return Err(busy());
    }
    let path = lock_path(site, rule.id);
    let file = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|_| OpenOptions::new().create(true).truncate(false).write(true).open(&path))
        .map_err(|e| ApiError::internal(format!("The site folder cannot be written ({}): {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(busy()),
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(ApiError::internal(format!("{} cannot be locked: {e}", path.display())))
        }
    }
    held.insert(key.clone(), file);
    Ok(Claim { key })
}

// ---- The run's log ----

struct RunLog<'a> {
    site: &'a Site,
    run: i64,
    seq: i64,
}

impl RunLog<'_> {
    fn write(&mut self, level: LogLevel, message: &str) {
        self.seq += 1;
        let level_text = match level {
            LogLevel::Info => "Info",
            LogLevel::Warning => "Warning",
            LogLevel::Error => "Error",
        };
        let c = self.site.store().writer();
        if let Err(e) = c.execute(
            "INSERT INTO adr_run_log (run_id, seq, at_utc, level, message) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![self.run, self.seq, crate::now_utc(), level_text, message],
        ) {
            tracing::error!(run = self.run, error = %e, message, "rule run log line not written");
        }
    }
    fn info(&mut self, message: impl AsRef<str>) {
        self.write(LogLevel::Info, message.as_ref())
    }
    fn warn(&mut self, message: impl AsRef<str>) {
        self.write(LogLevel::Warning, message.as_ref())
    }
    fn error(&mut self, message: impl AsRef<str>) {
        self.write(LogLevel::Error, message.as_ref())
    }
}

#[derive(Default)]
struct Counts {
    selected: i64,
    added: i64,
    downloaded: i64,
    deployments: i64,
    group: Option<i64>,
}

// ---- Starting, running, finishing ----

fn trigger_text(t: RuleRunTrigger) -> &'static str {
    match t {
        RuleRunTrigger::Manual => "Manual",
        RuleRunTrigger::Schedule => "Schedule",
        RuleRunTrigger::AfterSync => "AfterSync",
    }
}

/// Claims the rule and records its Running row (and, for "Run now", the audit row).
fn start(
    site: &Site,
    rule_id: i64,
    trigger: RuleRunTrigger,
    requested_by: Option<&Actor>,
) -> Result<(Claim, Stored, i64), ApiError> {
    let rule = load(&site.store().reader(), rule_id)?;
    let claim = claim(site, &rule)?;
    let run = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let now = crate::now_utc();
        // Nobody runs this rule (we hold it), so a Running row left is one a stopped process cut short.
        tx.execute(
            "UPDATE adr_runs SET state = 'Failed', ended_utc = ?2, error = ?3 WHERE rule_id = ?1 AND state = 'Running'",
            params![rule.id, now, INTERRUPTED],
        )?;
        tx.execute(
            "INSERT INTO adr_runs (rule_id, rule_name, trigger_kind, state, started_utc) VALUES (?1, ?2, ?3, 'Running', ?4)",
            params![rule.id, rule.name, trigger_text(trigger), now],
        )?;
        let run = tx.last_insert_rowid();
        if let Some(actor) = requested_by {
            audit::record(&tx, actor, "adr.run", &rule.name, &format!("run {run}"))?;
        }
        tx.commit()?;
        run
    };
    site.emit(SiteEvent::RuleRunChanged {
        rule_id: rule.id,
        run_id: run,
        state: RuleRunState::Running,
    });
    Ok((claim, rule, run))
}

/// Runs the steps and records the outcome; the claim is released after the row says so.
fn execute(site: &Site, claim: Claim, rule: &Stored, run: i64, trigger: RuleRunTrigger, now: OffsetDateTime) {
    let mut log = RunLog { site, run, seq: 0 };
    let mut counts = Counts::default();
    log.info(format!(
        "Run started ({}); the criteria are evaluated at {} UTC.",
        match trigger {
            RuleRunTrigger::Manual => "Run now",
            RuleRunTrigger::Schedule => "evaluation schedule",
            RuleRunTrigger::AfterSync => "after a synchronization",
        },
        minute(now)
    ));
    let outcome = steps(site, rule, now, &mut log, &mut counts);
    let (state, error) = match outcome {
        Ok(state) => {
            log.info(match state {
                RuleRunState::NothingSelected => "Run finished: nothing to deploy.".to_string(),
                _ => format!(
                    "Run finished: {} selected, {} added to the group, {} downloaded, {}.",
                    plural(counts.selected, "update", "updates"),
                    counts.added,
                    plural(counts.downloaded, "file", "files"),
                    plural(counts.deployments, "deployment", "deployments")
                ),
            });
            (state, None)
        }
        Err(message) => {
            log.error(&message);
            (RuleRunState::Failed, Some(message))
        }
    };
    let state_text = match state {
        RuleRunState::Running => "Running",
        RuleRunState::Succeeded => "Succeeded",
        RuleRunState::NothingSelected => "NothingSelected",
        RuleRunState::Failed => "Failed",
    };
    let written = site.store().writer().execute(
        "UPDATE adr_runs SET state = ?2, ended_utc = ?3, selected = ?4, added = ?5, downloaded = ?6, deployments = ?7,
                update_group_id = ?8, error = ?9 WHERE run_id = ?1",
        params![
            run,
            state_text,
            crate::now_utc(),
            counts.selected,
            counts.added,
            counts.downloaded,
            counts.deployments,
            counts.group,
            error
        ],
    );
    if let Err(e) = written {
        tracing::error!(run, error = %e, "the end of a rule run was not recorded");
    }
    drop(claim);
    site.emit(SiteEvent::RuleRunChanged {
        rule_id: rule.id,
        run_id: run,
        state,
    });
}

/// Runs a rule to its end in this thread, evaluating its criteria at `now`.
pub fn run_blocking(
    site: &Site,
    rule_id: i64,
    trigger: RuleRunTrigger,
    now: OffsetDateTime,
) -> Result<AdrRunInfo, ApiError> {
    let (claim, rule, run) = start(site, rule_id, trigger, None)?;
    execute(site, claim, &rule, run, trigger, now);
    read_run(site, run)
}

/// "Run now": the run goes on in its own thread; the answer is its Running row.
pub fn run_now(site: &Site, actor: &Actor, args: IdArgs) -> Result<AdrRunInfo, ApiError> {
    let (claim, rule, run) = start(site, args.id, RuleRunTrigger::Manual, Some(actor))?;
    let info = read_run(site, run)?;
    let worker = site.clone();
    std::thread::Builder::new()
        .name(format!("adr-{}", rule.id))
        .spawn(move || {
            execute(
                &worker,
                claim,
                &rule,
                run,
                RuleRunTrigger::Manual,
                OffsetDateTime::now_utc(),
            )
        })
        .map_err(|e| ApiError::internal(format!("The run could not start: {e}")))?;
    Ok(info)
}

/// Enabled rules evaluated "after every sync", one after the other.
pub fn after_sync(site: &Site) {
    let rules = match load_all(&site.store().reader()) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e.message, "automatic deployment rules not read after the synchronization");
            return;
        }
    };
    for rule in rules
        .into_iter()
        .filter(|r| r.enabled && r.spec.evaluation.kind == EvaluationKind::AfterSync)
    {
        if let Err(e) = run_blocking(site, rule.id, RuleRunTrigger::AfterSync, OffsetDateTime::now_utc()) {
            tracing::warn!(rule = %rule.name, error = %e.message, "automatic deployment rule not run after the synchronization");
        }
    }
}

/// Enabled timed rules whose evaluation time has come: each is marked evaluated, then runs
/// in its own thread. A rule still running from before waits for the next tick.
pub fn run_due(site: &Site, now: OffsetDateTime) {
    let rules = match load_all(&site.store().reader()) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e.message, "automatic deployment rules not read by the scheduler");
            return;
        }
    };
    for rule in rules.into_iter().filter(|r| r.enabled) {
        if !matches!(next_evaluation(&rule), Some(t) if t <= now) || is_running(site, rule.id) {
            continue;
        }
        let marked = site.store().writer().execute(
            "UPDATE adr_rules SET last_evaluated_utc = ?2 WHERE rule_id = ?1",
            params![rule.id, format_utc(now)],
        );
        if let Err(e) = marked {
            tracing::error!(rule = %rule.name, error = %e, "scheduled evaluation not recorded; the rule does not run");
            continue;
        }
        let worker = site.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("adr-{}", rule.id))
            .spawn(move || {
                if let Err(e) = run_blocking(&worker, rule.id, RuleRunTrigger::Schedule, now) {
                    tracing::warn!(rule = %rule.name, error = %e.message, "scheduled rule run did not start");
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "scheduled rule run could not start");
        }
    }
}

// ---- The steps ----

fn minute(t: OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    t.format(&fmt).unwrap_or_default()
}

fn steps(
    site: &Site,
    rule: &Stored,
    now: OffsetDateTime,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<RuleRunState, String> {
    let actor = Actor::new(format!("rule:{}", rule.name));
    let keys = select(site, rule, now, log).map_err(|e| {
        format!(
            "Selecting the updates failed: {} Check the rule's criteria, then run it again.",
            e.message
        )
    })?;
    counts.selected = keys.len() as i64;
    if keys.is_empty() {
        return Ok(RuleRunState::NothingSelected);
    }
    let (group, group_name) = group_step(site, rule, &actor, &keys, now, log, counts).map_err(|e| {
        format!(
            "Putting the updates in a software update group failed: {} Nothing was deployed; run the rule again once this is fixed.",
            e.message
        )
    })?;
    counts.group = Some(group);
    content_step(site, rule, &actor, group, log, counts)?;
    deploy_step(site, rule, &actor, group, &group_name, now, log, counts)?;
    Ok(RuleRunState::Succeeded)
}

fn select(site: &Site, rule: &Stored, now: OffsetDateTime, log: &mut RunLog<'_>) -> Result<Vec<UpdateKey>, ApiError> {
    let c = site.store().reader();
    let pks = criteria::select(&c, &rule.spec.criteria, now)?;
    if pks.is_empty() {
        log.info(format!(
            "No update matched the criteria: {}. Nothing was created.",
            describe(&c, &rule.spec.criteria)?
        ));
        return Ok(Vec::new());
    }
    let keys = keys_of(&c, &pks)?;
    let labels: Vec<String> = keys.iter().map(|k| k.label.clone()).collect();
    log.info(format!(
        "{} matched the criteria: {}.",
        plural(keys.len() as i64, "update", "updates"),
        some_of(&labels)
    ));
    Ok(keys)
}

fn keys_of(c: &Connection, pks: &[i64]) -> Result<Vec<UpdateKey>, ApiError> {
    let mut stmt =
        c.prepare_cached("SELECT kb_article_id, title, declined, declined_reason FROM updates WHERE upd_pk = ?1")?;
    let mut out = Vec::with_capacity(pks.len());
    for pk in pks {
        let key = stmt
            .query_row([pk], |r| {
                let kb: String = r.get(0)?;
                let title: String = r.get(1)?;
                Ok(UpdateKey {
                    pk: *pk,
                    label: if kb.is_empty() { title } else { format!("KB{kb}") },
                    declined: r.get(2)?,
                    declined_reason: r.get(3)?,
                })
            })
            .optional()?;
        out.extend(key);
    }
    Ok(out)
}

/// The criteria in words, for "nothing matched" (an empty one means "every update").
fn describe(c: &Connection, k: &RuleCriteria) -> Result<String, ApiError> {
    let mut parts = Vec::new();
    let mut titles = |ids: &[String], what: &str| -> Result<(), ApiError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut stmt = c.prepare_cached("SELECT title FROM categories WHERE category_id = ?1")?;
        let mut names = Vec::new();
        for id in ids {
            let t: Option<String> = stmt.query_row([id.to_lowercase()], |r| r.get(0)).optional()?;
            names.push(t.unwrap_or_else(|| id.clone()));
        }
        parts.push(format!("{what} {}", some_of(&names)));
        Ok(())
    };
    titles(&k.product_ids, "product")?;
    titles(&k.classification_ids, "classification")?;
    let span = |s: &TimeSpan| format!("{} {}", s.value, format!("{:?}", s.unit).to_lowercase());
    if !k.severities.is_empty() {
        parts.push(format!("severity {}", k.severities.join(" or ")));
    }
    if let Some(t) = k.title_contains.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(format!("title or KB contains '{}'", t.trim()));
    }
    if let Some(s) = &k.released_within {
        parts.push(format!("released within {}", span(s)));
    }
    if let Some(s) = &k.revised_within {
        parts.push(format!("revised within {}", span(s)));
    }
    match k.superseded {
        Some(false) => parts.push("not superseded".into()),
        Some(true) => parts.push("superseded".into()),
        None => {}
    }
    if let Some(n) = k.min_required {
        parts.push(format!("required on at least {}", plural(n, "computer", "computers")));
    }
    if !k.languages.is_empty() {
        parts.push(format!("language {}", k.languages.join(" or ")));
    }
    if !k.include_expired {
        parts.push("not expired".into());
    }
    parts.push("not declined".into());
    Ok(parts.join(", "))
}

fn group_exists(c: &Connection, g: i64) -> rusqlite::Result<Option<String>> {
    c.query_row("SELECT name FROM update_groups WHERE group_id = ?1", [g], |r| r.get(0))
        .optional()
}

/// Step 2: the run's group (new, or the rule's one), holding the selected updates.
fn group_step(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    keys: &[UpdateKey],
    now: OffsetDateTime,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<(i64, String), ApiError> {
    use crate::admin::update_groups as groups;
    let mut lines = Vec::new();
    let out = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let description = format!("Created by the automatic deployment rule '{}'.", rule.name);
        let (group, name) = match rule.spec.group_mode {
            AdrGroupMode::NewGroupEachRun => {
                let name = groups::unique_name(&tx, &format!("{} {} UTC", rule.name, minute(now)))?;
                let id = groups::insert(&tx, &name, &description, keys)?;
                audit::record(
                    &tx,
                    actor,
                    "update_group.create",
                    &name,
                    &plural(keys.len() as i64, "update", "updates"),
                )?;
                counts.added = keys.len() as i64;
                lines.push(format!(
                    "Created the software update group '{name}' with {}.",
                    plural(keys.len() as i64, "update", "updates")
                ));
                (id, name)
            }
            AdrGroupMode::AddToExistingGroup => {
                let (id, name) = match (rule.spec.existing_update_group_id, rule.update_group_id) {
                    (Some(g), _) => {
                        let name = group_exists(&tx, g)?.ok_or_else(|| {
                            not_found(format!(
                                "The software update group this rule adds to (id {g}) no longer exists; edit the rule and choose another group, or none to let the rule create one."
                            ))
                        })?;
                        (g, name)
                    }
                    (None, Some(g)) if group_exists(&tx, g)?.is_some() => {
                        (g, group_exists(&tx, g)?.unwrap_or_default())
                    }
                    (None, _) => {
                        let name = groups::unique_name(&tx, &rule.name)?;
                        let id = groups::insert(&tx, &name, &description, &[])?;
                        audit::record(
                            &tx,
                            actor,
                            "update_group.create",
                            &name,
                            "for the rule's runs to add to",
                        )?;
                        lines.push(format!(
                            "Created the software update group '{name}'; this and later runs add to it."
                        ));
                        (id, name)
                    }
                };
                let removed = remove_stale(&tx, id, rule.spec.criteria.include_expired)?;
                if !removed.is_empty() {
                    lines.push(format!(
                        "Removed from '{name}' {} now expired or declined: {}.",
                        plural(removed.len() as i64, "update", "updates"),
                        some_of(&removed)
                    ));
                }
                let added = groups::add_members(&tx, id, keys)? as i64;
                counts.added = added;
                lines.push(format!(
                    "Added {} to '{name}' ({} already in it).",
                    plural(added, "update", "updates"),
                    keys.len() as i64 - added
                ));
                if added > 0 || !removed.is_empty() {
                    audit::record(
                        &tx,
                        actor,
                        "update_group.edit",
                        &name,
                        &format!(
                            "{} added; {} removed (expired or declined)",
                            plural(added, "update", "updates"),
                            removed.len()
                        ),
                    )?;
                }
                (id, name)
            }
        };
        tx.execute(
            "UPDATE adr_rules SET update_group_id = ?2 WHERE rule_id = ?1",
            params![rule.id, group],
        )?;
        tx.commit()?;
        (group, name)
    };
    changed(site);
    for l in lines {
        log.info(l);
    }
    Ok(out)
}

/// Members that must not be deployed any more ("removed from the group if applicable").
fn remove_stale(tx: &Connection, group: i64, keep_expired: bool) -> Result<Vec<String>, ApiError> {
    let rows: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT u.upd_pk, CASE WHEN u.kb_article_id = '' THEN u.title ELSE 'KB' || u.kb_article_id END
             FROM update_group_members m JOIN updates u ON u.upd_pk = m.upd_pk
             WHERE m.group_id = ?1 AND (u.declined = 1 OR (?2 = 0 AND u.publication_state = 'Expired'))
             ORDER BY u.title",
        )?
        .query_map(params![group, keep_expired], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut del = tx.prepare_cached("DELETE FROM update_group_members WHERE group_id = ?1 AND upd_pk = ?2")?;
    for (pk, _) in &rows {
        del.execute(params![group, pk])?;
    }
    Ok(rows.into_iter().map(|(_, l)| l).collect())
}

fn source_text(s: &DownloadSource) -> String {
    match s {
        DownloadSource::Upstream => "the upstream server".into(),
        DownloadSource::MicrosoftUpdate => "Microsoft Update".into(),
        DownloadSource::LocalFolder { path } => format!("the folder {path}"),
    }
}

/// Step 3: the package (created by the first run when new), its download, its distribution.
fn content_step(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    group: i64,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<(), String> {
    let spec = &rule.spec;
    let fail = |what: &str, e: ApiError| {
        format!(
            "{what} failed: {} No deployment was created; fix this (see the rule's deployment package and download settings), then run the rule again.",
            e.message
        )
    };
    let (package, package_name) = match package_for(site, rule, actor, log) {
        Ok(Some(p)) => p,
        Ok(None) => {
            log.info("The rule has no deployment package: no content is downloaded; clients get it from their fallback source if the deployment allows.");
            return Ok(());
        }
        Err(e) => return Err(fail("Choosing the deployment package", e)),
    };
    let files = group_file_count(&site.store().reader(), group).map_err(|e| fail("Listing the files", e.into()))?;
    if files == 0 {
        log.info("The group's updates have no files to download.");
        return Ok(());
    }
    let job = crate::content::download::prepare(
        site,
        actor,
        StartDownloadArgs {
            package_id: Some(package),
            new_package_name: None,
            update_ids: Vec::new(),
            update_group_id: Some(group),
            source: spec.download_source.clone(),
            languages: spec.languages.clone(),
        },
    )
    .map_err(|e| fail("Preparing the download", e))?;
    let (total, held): (i64, i64) = site
        .store()
        .reader()
        .query_row(
            "SELECT count(*), coalesce(sum(state = 'Downloaded'), 0) FROM download_files WHERE job_id = ?1",
            [job],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| fail("Preparing the download", e.into()))?;
    log.info(format!(
        "Downloading {} from {} into the package '{package_name}' ({held} already in the content library; download job {job}).",
        plural(total - held, "file", "files"),
        source_text(&spec.download_source)
    ));
    let done = crate::content::download::run(site, job).map_err(|e| fail("The download", e))?;
    if done.state != DownloadJobState::Succeeded {
        let why = done
            .error
            .clone()
            .unwrap_or_else(|| format!("{} of {} files failed", done.files_failed, done.files_total));
        return Err(format!(
            "The download of the content failed ({why}). No deployment was created; check the download source (download job {job} lists each file), then run the rule again."
        ));
    }
    counts.downloaded = (done.files_downloaded - held).max(0);
    log.info(format!(
        "Downloaded {}; the package '{package_name}' holds every file of the group.",
        plural(counts.downloaded, "file", "files")
    ));
    distribute(site, rule, actor, package, &package_name, log);
    Ok(())
}

/// The rule's package: the chosen one, or the one its first run created (created now when
/// this is the first run). None: the rule downloads nothing.
fn package_for(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    log: &mut RunLog<'_>,
) -> Result<Option<(i64, String)>, ApiError> {
    let name_of = |c: &Connection, id: i64| -> rusqlite::Result<Option<String>> {
        c.query_row("SELECT name FROM packages WHERE package_id = ?1", [id], |r| r.get(0))
            .optional()
    };
    match &rule.spec.package {
        AdrPackageChoice::NoPackage => Ok(None),
        AdrPackageChoice::Existing { package_id } => {
            let name = name_of(&site.store().reader(), *package_id)?.ok_or_else(|| {
                not_found(format!(
                    "The deployment package {package_id} chosen for this rule no longer exists; edit the rule to choose another."
                ))
            })?;
            Ok(Some((*package_id, name)))
        }
        AdrPackageChoice::New { name } => {
            if let Some(id) = rule.package_id {
                if let Some(n) = name_of(&site.store().reader(), id)? {
                    return Ok(Some((id, n)));
                }
            }
            let id = {
                let mut c = site.store().writer();
                let tx = c.transaction()?;
                let id = crate::content::packages::insert(
                    &tx,
                    actor,
                    name,
                    &format!("Created by the automatic deployment rule '{}'.", rule.name),
                )?;
                tx.execute(
                    "UPDATE adr_rules SET package_id = ?2 WHERE rule_id = ?1",
                    params![rule.id, id],
                )?;
                tx.commit()?;
                id
            };
            log.info(format!("Created the deployment package '{name}'; later runs reuse it."));
            Ok(Some((id, name.clone())))
        }
    }
}

/// Files of the group's updates and of their bundle members (whatever their language).
fn group_file_count(c: &Connection, group: i64) -> rusqlite::Result<i64> {
    c.query_row(
        "WITH RECURSIVE chosen(pk) AS (
             SELECT upd_pk FROM update_group_members WHERE group_id = ?1
             UNION
             SELECT u.upd_pk FROM chosen ch JOIN bundle_members b ON b.bundle_pk = ch.pk
             JOIN updates u ON u.update_id = b.member_id
         )
         SELECT count(*) FROM chosen ch JOIN files f ON f.upd_pk = ch.pk",
        [group],
        |r| r.get(0),
    )
}

/// Copies the package to the rule's distribution points and waits for each copy, so the
/// log says where the content is. A failed copy is a warning: deployments still help the
/// computers whose points hold the content.
fn distribute(site: &Site, rule: &Stored, actor: &Actor, package: i64, package_name: &str, log: &mut RunLog<'_>) {
    let points = &rule.spec.distribution_point_ids;
    if points.is_empty() {
        return;
    }
    let started = crate::content::distribution::distribute(
        site,
        actor,
        DistributePackageArgs {
            package_id: package,
            dp_ids: points.clone(),
        },
    );
    if let Err(e) = started {
        log.warn(format!(
            "The package '{package_name}' was not sent to the distribution points: {} Distribute it from Content > Packages.",
            e.message
        ));
        return;
    }
    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let status = crate::content::distribution::status(
            site,
            actor,
            DistributionStatusArgs {
                package_id: Some(package),
            },
        );
        let rows: Vec<DistributionStatus> = match status {
            Ok(all) => all.into_iter().filter(|s| points.contains(&s.dp_id)).collect(),
            Err(e) => {
                log.warn(format!("The distribution's state could not be read: {}", e.message));
                return;
            }
        };
        let busy = rows
            .iter()
            .any(|s| matches!(s.state, DistributionState::InProgress | DistributionState::Pending));
        if !busy || Instant::now() > deadline {
            for s in rows {
                match s.state {
                    DistributionState::Installed => {
                        log.info(format!("Distribution point '{}': installed ({}).", s.dp_name, s.detail))
                    }
                    DistributionState::Failed => log.warn(format!(
                        "Distribution point '{}': failed ({}). Distribute the package again from Content > Packages.",
                        s.dp_name, s.detail
                    )),
                    _ => log.warn(format!(
                        "Distribution point '{}': still copying after an hour; its state shows in Content > Distribution.",
                        s.dp_name
                    )),
                }
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn deployment_type_text(t: DeploymentType) -> &'static str {
    match t {
        DeploymentType::Required => "Required",
        DeploymentType::Available => "Available",
    }
}

/// Step 4 (ADR-3, ADR-4): one deployment of the group per configured collection. A group
/// the rule already deploys to a collection keeps that deployment: it covers the updates
/// just added.
#[allow(clippy::too_many_arguments)]
fn deploy_step(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    group: i64,
    group_name: &str,
    now: OffsetDateTime,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<(), String> {
    for (slot, d) in rule.spec.deployments.iter().enumerate() {
        let made = deploy_slot(site, rule, actor, group, group_name, now, slot, d).map_err(|e| {
            format!(
                "Creating deployment {} of the rule failed: {} Edit the rule's deployment, then run the rule again (deployments made before stay).",
                slot + 1,
                e.message
            )
        })?;
        changed(site);
        counts.deployments += 1;
        log.info(made);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn deploy_slot(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    group: i64,
    group_name: &str,
    now: OffsetDateTime,
    slot: usize,
    d: &AdrDeploymentSpec,
) -> Result<String, ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let tree = Tree::load(&tx)?;
    let path = tree.path(d.target_group_id);
    if rule.spec.group_mode == AdrGroupMode::AddToExistingGroup {
        let kept: Option<String> = tx
            .query_row(
                "SELECT a.name FROM adr_deployments r JOIN assignments a ON a.assignment_id = r.assignment_id
                 WHERE r.rule_id = ?1 AND r.slot = ?2 AND r.update_group_id = ?3",
                params![rule.id, slot as i64, group],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(name) = kept {
            return Ok(format!(
                "The deployment '{name}' to '{path}' already deploys '{group_name}'; it now covers the updates added to it."
            ));
        }
    }
    let available = d.available_after.map_or(now, |s| schedule::add_span(now, s));
    let deadline = d.deadline_after.map(|s| schedule::add_span(available, s));
    let mut settings = d.settings.clone();
    settings.available_utc = format_utc(available);
    settings.deadline_utc = deadline.map(format_utc);
    let spec = DeploymentSpec {
        name: format!("{group_name} - {}", tree.name(d.target_group_id)),
        description: format!("Created by the automatic deployment rule '{}'.", rule.name),
        update_group_id: Some(group),
        update_ids: Vec::new(),
        target_group_id: d.target_group_id,
        settings,
    };
    let id = crate::admin::deployments::insert(&tx, actor, &spec)?;
    tx.execute(
        "INSERT OR REPLACE INTO adr_deployments (rule_id, slot, assignment_id, update_group_id) VALUES (?1, ?2, ?3, ?4)",
        params![rule.id, slot as i64, id, group],
    )?;
    tx.commit()?;
    Ok(format!(
        "Deployed '{group_name}' to '{path}': {}, available {} UTC, deadline {} (deployment '{}').",
        deployment_type_text(d.settings.deployment_type),
        minute(available),
        deadline
            .map(|t| format!("{} UTC", minute(t)))
            .unwrap_or_else(|| "none".into()),
        spec.name
    ))
}

// ---- Reading runs ----

fn state_of(text: &str) -> RuleRunState {
    match text {
        "Running" => RuleRunState::Running,
        "Succeeded" => RuleRunState::Succeeded,
        "NothingSelected" => RuleRunState::NothingSelected,
        _ => RuleRunState::Failed,
    }
}

fn trigger_of(text: &str) -> RuleRunTrigger {
    match text {
        "Schedule" => RuleRunTrigger::Schedule,
        "AfterSync" => RuleRunTrigger::AfterSync,
        _ => RuleRunTrigger::Manual,
    }
}

/// Runs, newest first; a Running row nobody runs reads as the interrupted run it is.
pub(crate) fn runs_where(
    site: &Site,
    c: &Connection,
    rule: Option<i64>,
    run: Option<i64>,
    limit: i64,
) -> Result<Vec<AdrRunInfo>, ApiError> {
    let mut stmt = c.prepare_cached(
        "SELECT run_id, rule_id, rule_name, trigger_kind, state, started_utc, ended_utc, selected, added, downloaded,
                deployments, update_group_id, error
         FROM adr_runs WHERE (?1 IS NULL OR rule_id = ?1) AND (?2 IS NULL OR run_id = ?2)
         ORDER BY run_id DESC LIMIT ?3",
    )?;
    let mut runs = stmt
        .query_map(params![rule, run, limit], |r| {
            Ok(AdrRunInfo {
                run_id: r.get(0)?,
                rule_id: r.get(1)?,
                rule_name: r.get(2)?,
                trigger: trigger_of(&r.get::<_, String>(3)?),
                state: state_of(&r.get::<_, String>(4)?),
                started_utc: r.get(5)?,
                ended_utc: r.get(6)?,
                selected: r.get(7)?,
                added: r.get(8)?,
                downloaded: r.get(9)?,
                deployments: r.get(10)?,
                update_group_id: r.get(11)?,
                error: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for run in &mut runs {
        if run.state == RuleRunState::Running && !is_running(site, run.rule_id) {
            run.state = RuleRunState::Failed;
            run.error = Some(INTERRUPTED.into());
        }
    }
    Ok(runs)
}

fn read_run(site: &Site, run: i64) -> Result<AdrRunInfo, ApiError> {
    runs_where(site, &site.store().reader(), None, Some(run), 1)?
        .into_iter()
        .next()
        .ok_or_else(|| not_found(format!("There is no rule run with id {run}.")))
}

pub fn list_runs(site: &Site, _actor: &Actor, args: ListAdrRunsArgs) -> Result<Vec<AdrRunInfo>, ApiError> {
    let limit = if args.limit <= 0 { 100 } else { args.limit.min(1000) };
    runs_where(site, &site.store().reader(), args.rule_id, None, limit)
}

/// A run's log, in order; an interrupted run ends with a line saying so.
pub fn run_log(site: &Site, _actor: &Actor, args: IdArgs) -> Result<Vec<RuleRunLogEntry>, ApiError> {
    let run = read_run(site, args.id)?;
    let c = site.store().reader();
    let mut entries = c
        .prepare_cached("SELECT at_utc, level, message FROM adr_run_log WHERE run_id = ?1 ORDER BY seq")?
        .query_map([args.id], |r| {
            let level: String = r.get(1)?;
            Ok(RuleRunLogEntry {
                at_utc: r.get(0)?,
                level: match level.as_str() {
                    "Warning" => LogLevel::Warning,
                    "Error" => LogLevel::Error,
                    _ => LogLevel::Info,
                },
                message: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let ended_unexplained = run.state == RuleRunState::Failed
        && run.error.as_deref() == Some(INTERRUPTED)
        && !entries.iter().any(|e| e.message == INTERRUPTED);
    if ended_unexplained {
        entries.push(RuleRunLogEntry {
            at_utc: run.ended_utc.unwrap_or(run.started_utc),
            level: LogLevel::Error,
            message: INTERRUPTED.into(),
        });
    }
    Ok(entries)
}
