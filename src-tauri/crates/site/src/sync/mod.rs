//! Synchronization of the catalog from an upstream (SYNC-1..6).
//!
//! `start` opens a run row and works on its own thread (the console never waits on a
//! sync); progress and the end arrive as events, and every step is written to the run's
//! log. Only one run at a time per site: a second start is refused while one runs.

pub mod children;
pub mod cleanup;
pub mod client;
pub mod export;
pub mod first_run;
pub mod scheduler;

use std::sync::{Arc, Mutex};

use rusqlite::{params, OptionalExtension};

use crate::update_point::{settings, transport};

use crate::handle::{Actor, Site};
use crate::wire::{
    ApiError, ErrorCode, NoArgs, SiteEvent, SyncCoverage, SyncLogArgs, SyncLogEntry, SyncRunInfo, SyncState, SyncStatus,
};
use crate::{audit, clock};

/// How long the cleanup after a run may take.
const CLEANUP_BUDGET: std::time::Duration = std::time::Duration::from_secs(20);

/// The run in progress, shared between its thread and status queries.
#[derive(Default)]
pub struct SyncSlot {
    running: Mutex<Option<Arc<Mutex<SyncRunInfo>>>>,
}

/// Writes a run's log lines and progress: to the database, to tracing, and as events.
pub struct RunLog {
    site: Site,
    info: Arc<Mutex<SyncRunInfo>>,
}

impl RunLog {
    fn line(&self, level: &str, message: &str) {
        let run_id = self.lock().run_id;
        tracing::info!(run_id, level, "{message}");
        let c = self.site.store().writer();
        if let Err(e) = c.execute(
            "INSERT INTO sync_log (run_id, at_utc, level, message) VALUES (?1, ?2, ?3, ?4)",
            params![run_id, clock::now_utc(), level, message],
        ) {
            tracing::error!(error = %e, "cannot write the sync log");
        }
    }

    pub fn info(&self, message: &str) {
        self.line("info", message);
    }

    pub fn warn(&self, message: &str) {
        self.line("warning", message);
    }

    pub fn error(&self, message: &str) {
        self.line("error", message);
    }

    pub fn progress(&self, done: i64, total: i64, message: &str) {
        {
            let mut i = self.lock();
            i.progress_done = done;
            i.progress_total = total;
            i.progress_message = message.to_string();
        }
        self.site.emit(SiteEvent::Progress {
            job: "sync".into(),
            done,
            total,
            message: message.into(),
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SyncRunInfo> {
        self.info.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The console command: starts a run with the real HTTP transport.
pub fn start(site: &Site, actor: &Actor, _args: NoArgs) -> Result<SyncRunInfo, ApiError> {
    let settings = settings::load(site)?;
    let transport =
        transport::HttpTransport::for_settings(&settings).map_err(|e| ApiError::new(ErrorCode::Validation, e))?;
    start_with(site, actor, Arc::new(transport))
}

/// Starts a run on its own thread with the given transport.
pub fn start_with(
    site: &Site,
    actor: &Actor,
    transport: Arc<dyn transport::Transport>,
) -> Result<SyncRunInfo, ApiError> {
    let (info, log) = begin(site, actor)?;
    let first = info.clone();
    let site = site.clone();
    std::thread::Builder::new()
        .name("patchdeck-sync".into())
        .spawn(move || {
            finish(
                &site,
                &log,
                client::run(
                    &site,
                    &settings::load(&site).unwrap_or_else(|_| settings::defaults()),
                    transport.as_ref(),
                    &log,
                ),
            )
        })
        .map_err(|e| ApiError::internal(format!("cannot start the synchronization thread: {e}")))?;
    Ok(first)
}

/// Runs one synchronization on this thread, start to end (CLI, tests).
pub fn run_now(site: &Site, actor: &Actor, transport: &dyn transport::Transport) -> Result<SyncRunInfo, ApiError> {
    let (_, log) = begin(site, actor)?;
    let settings = settings::load(site)?;
    Ok(finish(site, &log, client::run(site, &settings, transport, &log)))
}

fn begin(site: &Site, actor: &Actor) -> Result<(SyncRunInfo, RunLog), ApiError> {
    let settings = settings::load(site)?;
    let upstream = settings::upstream_root(&settings);
    let sync_slot = site.state::<SyncSlot>();
    let mut slot = sync_slot.running.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(r) = slot.as_ref() {
        let r = r.lock().unwrap_or_else(|p| p.into_inner());
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "A synchronization is already running (started {}); wait for it to finish.",
                r.started_utc
            ),
        ));
    }
    let started = clock::now_utc();
    let run_id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        tx.execute(
            "INSERT INTO sync_runs (started_utc, state, upstream) VALUES (?1, 'Running', ?2)",
            params![started, upstream],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(&tx, actor, "sync.start", &upstream, &format!("run {id}"))?;
        tx.commit()?;
        id
    };
    let info = SyncRunInfo {
        run_id,
        started_utc: started,
        ended_utc: None,
        state: SyncState::Running,
        upstream,
        error: None,
        anchor: None,
        new_count: 0,
        changed_count: 0,
        expired_count: 0,
        removed_count: 0,
        fetched_count: 0,
        progress_done: 0,
        progress_total: 0,
        progress_message: "starting".into(),
    };
    let shared = Arc::new(Mutex::new(info.clone()));
    *slot = Some(shared.clone());
    site.emit(SiteEvent::SyncChanged {
        run_id,
        state: SyncState::Running,
    });
    Ok((
        info,
        RunLog {
            site: site.clone(),
            info: shared,
        },
    ))
}

fn finish(site: &Site, log: &RunLog, result: Result<client::Outcome, client::Failed>) -> SyncRunInfo {
    let mut info = log.lock().clone();
    info.ended_utc = Some(clock::now_utc());
    let o = match result {
        Ok(o) => {
            info.state = SyncState::Succeeded;
            let not_chosen = match o.not_chosen {
                Some(n) if n > 0 => {
                    format!("; {n} more revisions at the upstream are in products or classifications not chosen")
                }
                _ => String::new(),
            };
            log.info(&format!(
                "synchronization succeeded: {} new, {} changed, {} expired, {} documents downloaded{not_chosen}",
                o.new, o.changed, o.expired, o.fetched
            ));
            o
        }
        Err(client::Failed { error, arrived }) => {
            info.state = SyncState::Failed;
            info.error = Some(failure_message(&error, arrived.fetched));
            log.error(&format!("synchronization failed: {error}"));
            // What was committed is in the catalog, and Monitoring says so; the catalog
            // version is still the last completed pass's.
            client::Outcome {
                anchor: None,
                ..arrived
            }
        }
    };
    info.new_count = o.new;
    info.changed_count = o.changed;
    info.expired_count = o.expired;
    info.fetched_count = o.fetched;
    info.anchor = o.anchor;
    let state = match info.state {
        SyncState::Running => "Running",
        SyncState::Succeeded => "Succeeded",
        SyncState::Failed => "Failed",
    };
    {
        let c = site.store().writer();
        if let Err(e) = c.execute(
            "UPDATE sync_runs SET ended_utc = ?2, state = ?3, error = ?4, anchor = ?5, new_count = ?6, changed_count = ?7,
                expired_count = ?8, fetched_count = ?9 WHERE run_id = ?1",
            params![
                info.run_id,
                info.ended_utc,
                state,
                info.error,
                info.anchor,
                info.new_count,
                info.changed_count,
                info.expired_count,
                info.fetched_count
            ],
        ) {
            tracing::error!(error = %e, "cannot record the end of a sync run");
        }
    }
    *site
        .state::<SyncSlot>()
        .running
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = None;
    site.emit(SiteEvent::SyncChanged {
        run_id: info.run_id,
        state: info.state,
    });
    if info.state == SyncState::Succeeded {
        let days = settings::load(site).map(|s| s.cleanup_superseded_days).unwrap_or(30);
        match cleanup::run(site, days, CLEANUP_BUDGET) {
            Ok(c) => log.info(&format!(
                "cleanup: {} expired and {} superseded updates declined; {} approved ones kept{}",
                c.expired,
                c.superseded,
                c.kept_approved,
                if c.unfinished {
                    "; time budget spent, the next run continues"
                } else {
                    ""
                }
            )),
            Err(e) => log.error(&format!("cleanup failed: {e}")),
        }
        crate::automation::after_sync(site, &info.started_utc);
        children::notify_all(site);
    }
    // A run imports in batches of a thousand, then cleans up and runs the rules: the log is
    // emptied once, after all of it.
    site.store().checkpoint();
    info
}

/// A failed run's error for the administrator: why, and, only when something was committed,
/// how much the next run will not fetch again.
fn failure_message(error: &client::SyncError, fetched: i64) -> String {
    match fetched {
        0 => format!("Synchronization failed: {error}. Nothing arrived before the failure."),
        1 => format!(
            "Synchronization failed: {error}. The catalog keeps the 1 update document that arrived; the next synchronization continues from there."
        ),
        n => format!(
            "Synchronization failed: {error}. The catalog keeps the {n} update documents that arrived; the next synchronization continues from there."
        ),
    }
}

pub fn status(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<SyncStatus, ApiError> {
    let running = site
        .state::<SyncSlot>()
        .running
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .map(|r| r.lock().unwrap_or_else(|p| p.into_inner()).clone());
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT run_id, started_utc, ended_utc, state, upstream, error, anchor, new_count, changed_count,
                expired_count, removed_count, fetched_count
         FROM sync_runs ORDER BY run_id DESC LIMIT 50",
    )?;
    let history = stmt
        .query_map([], |r| {
            let state: String = r.get(3)?;
            Ok(SyncRunInfo {
                run_id: r.get(0)?,
                started_utc: r.get(1)?,
                ended_utc: r.get(2)?,
                state: match state.as_str() {
                    "Succeeded" => SyncState::Succeeded,
                    "Running" => SyncState::Running,
                    _ => SyncState::Failed,
                },
                upstream: r.get(4)?,
                error: r.get(5)?,
                anchor: r.get(6)?,
                new_count: r.get(7)?,
                changed_count: r.get(8)?,
                expired_count: r.get(9)?,
                removed_count: r.get(10)?,
                fetched_count: r.get(11)?,
                progress_done: 0,
                progress_total: 0,
                progress_message: String::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A row left Running by a process that died is not running now.
    let history = history
        .into_iter()
        .map(|mut h| {
            if h.state == SyncState::Running && running.as_ref().map(|r| r.run_id) != Some(h.run_id) {
                h.state = SyncState::Failed;
                h.error
                    .get_or_insert_with(|| "The synchronization stopped with the process that ran it.".into());
            }
            h
        })
        .collect();
    Ok(SyncStatus {
        settings: settings::load(site)?,
        running,
        history,
        next_scheduled_utc: scheduler::next_due(site).map(clock::format_utc),
        coverage: Some(coverage(site)?),
    })
}

/// What this site holds against what it could: the last sync's count of what was not
/// chosen, and the listed updates in no product held as a category (which no site
/// synchronizing from this one can choose).
fn coverage(site: &Site) -> Result<SyncCoverage, ApiError> {
    let c = site.store().reader();
    let (held, product_not_held) = c.query_row(
        "SELECT count(*), coalesce(sum(NOT EXISTS (
             SELECT 1 FROM update_categories uc JOIN categories c USING (category_id)
             WHERE uc.upd_pk = u.upd_pk AND c.kind = 'Product' AND c.synced = 1)), 0)
         FROM updates u WHERE u.listed > 0",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let not_chosen = crate::store::meta::get(&c, client::NOT_CHOSEN)?.and_then(|v| v.parse().ok());
    Ok(SyncCoverage {
        held,
        not_chosen,
        product_not_held,
    })
}

pub fn log(site: &Site, _actor: &Actor, args: SyncLogArgs) -> Result<Vec<SyncLogEntry>, ApiError> {
    let c = site.store().reader();
    let exists: Option<i64> = c
        .query_row("SELECT run_id FROM sync_runs WHERE run_id = ?1", [args.run_id], |r| {
            r.get(0)
        })
        .optional()?;
    if exists.is_none() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("There is no synchronization run {}.", args.run_id),
        ));
    }
    let mut stmt =
        c.prepare_cached("SELECT at_utc, level, message FROM sync_log WHERE run_id = ?1 ORDER BY rowid LIMIT 100000")?;
    let rows = stmt
        .query_map([args.run_id], |r| {
            Ok(SyncLogEntry {
                at_utc: r.get(0)?,
                level: r.get(1)?,
                message: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
