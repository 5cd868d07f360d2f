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

use crate::clock::UtcTime;
use rusqlite::{params, Connection};

use super::run_log::{minute, Counts, RunLog};
use super::{load, load_all, next_evaluation, Stored};
use crate::admin::{conflict, not_found, plural};
use crate::audit;
use crate::clock::format_utc;
use crate::handle::{Actor, Site};
use crate::wire::*;

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
        let now = crate::clock::now_utc();
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
fn execute(site: &Site, claim: Claim, rule: &Stored, run: i64, trigger: RuleRunTrigger, now: UtcTime) {
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
    let outcome = super::steps::steps(site, rule, now, &mut log, &mut counts);
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
            crate::clock::now_utc(),
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
pub fn run_blocking(site: &Site, rule_id: i64, trigger: RuleRunTrigger, now: UtcTime) -> Result<AdrRunInfo, ApiError> {
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
        .spawn(move || execute(&worker, claim, &rule, run, RuleRunTrigger::Manual, crate::clock::now()))
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
        if let Err(e) = run_blocking(site, rule.id, RuleRunTrigger::AfterSync, crate::clock::now()) {
            tracing::warn!(rule = %rule.name, error = %e.message, "automatic deployment rule not run after the synchronization");
        }
    }
}

/// Enabled timed rules whose evaluation time has come: each is marked evaluated, then runs
/// in its own thread. A rule still running from before waits for the next tick.
pub fn run_due(site: &Site, now: UtcTime) {
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
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM adr_runs WHERE (?1 IS NULL OR rule_id = ?1) AND (?2 IS NULL OR run_id = ?2)
         ORDER BY run_id DESC LIMIT ?3"
    ))?;
    let mut runs = stmt
        .query_map(params![rule, run, limit], run_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for run in &mut runs {
        if run.state == RuleRunState::Running && !is_running(site, run.rule_id) {
            // It may have ended between the read above and that check: read it again.
            let now: AdrRunInfo = c
                .prepare_cached(&format!("SELECT {RUN_COLUMNS} FROM adr_runs WHERE run_id = ?1"))?
                .query_row([run.run_id], run_from_row)?;
            *run = now;
            if run.state == RuleRunState::Running {
                run.state = RuleRunState::Failed;
                run.error = Some(INTERRUPTED.into());
            }
        }
    }
    Ok(runs)
}

/// Failed rule runs, newest first: only each rule's latest run when `latest_only` (what
/// still needs attention), else every failed run among the last `limit` (each an alert).
pub fn failed_runs(c: &Connection, latest_only: bool, limit: i64) -> rusqlite::Result<Vec<AdrRunInfo>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM adr_runs r
         WHERE r.state = 'Failed'
           AND (?1 = 0 OR r.run_id = (SELECT max(run_id) FROM adr_runs l WHERE l.rule_id = r.rule_id))
         ORDER BY r.run_id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![latest_only, limit], run_from_row)?.collect();
    rows
}

const RUN_COLUMNS: &str = "run_id, rule_id, rule_name, trigger_kind, state, started_utc, ended_utc, selected, added,
    downloaded, deployments, update_group_id, error";

fn run_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AdrRunInfo> {
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
