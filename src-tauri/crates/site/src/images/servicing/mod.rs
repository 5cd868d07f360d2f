//! Offline servicing (SRV-1..7): the Schedule Updates wizard's commands, the runs they
//! schedule, their logs, Cancel, and the settings (servicing drive, DISM path).
//!
//! A run is started by the scheduler thread when due ([`run_due`]) or at once when
//! scheduled for now. The thread running it holds a lock file (`servicing/run-<id>.lock`
//! in the site folder) that the operating system drops when the process dies: a run still
//! `InProgress` whose lock nobody holds was cut short, and [`recover`] records it as
//! Interrupted and removes its working folder. The image itself is only ever replaced by
//! one atomic rename at the end, so a cut-short run leaves it as it was.

mod dism;
mod run;

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::clock::UtcTime;
use rusqlite::{params, Connection, OptionalExtension};

use super::applicable;
use crate::audit;
use crate::clock::format_utc;
use crate::handle::{Actor, Site};
use crate::store::meta;
use crate::wire::{
    ApiError, ApplicableUpdates, ApplicableUpdatesArgs, ErrorCode, IdArgs, ListServicingRunsArgs, NoArgs,
    ScheduleServicingArgs, ServicingLogLine, ServicingLogSource, ServicingRun, ServicingRunLog, ServicingRunUpdate,
    ServicingSettings, ServicingState, ServicingUpdateState, SiteEvent,
};

const SETTINGS_KEY: &str = "servicing_settings";

/// How a package a run applied names its source ("Servicing run 12"); Properties reads the
/// run's id back from it.
pub(crate) const RUN_SOURCE_PREFIX: &str = "Servicing run ";

pub(super) fn settings_of(c: &Connection) -> ServicingSettings {
    meta::get_json(c, SETTINGS_KEY).ok().flatten().unwrap_or_default()
}

pub fn get_settings(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<ServicingSettings, ApiError> {
    Ok(settings_of(&site.store().reader()))
}

/// Saves the servicing drive (SRV-7) and DISM's path (audited). A drive that does not
/// exist is accepted: runs fall back to Automatic and say so in their log.
pub fn set_settings(site: &Site, actor: &Actor, args: ServicingSettings) -> Result<ServicingSettings, ApiError> {
    let drive = args.servicing_drive.trim();
    let s = ServicingSettings {
        servicing_drive: if drive.is_empty() {
            "Automatic".into()
        } else {
            drive.to_string()
        },
        dism_path: args.dism_path.trim().to_string(),
    };
    if s.dism_path.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "Give the path of DISM (Dism.exe).",
        ));
    }
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    meta::put_json(&tx, SETTINGS_KEY, &s)?;
    audit::record(
        &tx,
        actor,
        "servicing.settings",
        "Offline Servicing",
        &format!("servicing drive {}, DISM {}", s.servicing_drive, s.dism_path),
    )?;
    tx.commit()?;
    Ok(s)
}

// ---- Runs going on in this process ----

/// A run's thread: its cancel flag and its lock file.
struct Running {
    cancel: Arc<AtomicBool>,
    _lock: File,
}

type Table = Mutex<HashMap<(PathBuf, i64), Running>>;

fn running() -> std::sync::MutexGuard<'static, HashMap<(PathBuf, i64), Running>> {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

fn lock_path(site: &Site, run: i64) -> PathBuf {
    crate::content::site_folder(site)
        .join("servicing")
        .join(format!("run-{run}.lock"))
}

/// Whether another process holds the run's lock.
fn held_elsewhere(site: &Site, run: i64) -> bool {
    let Ok(f) = OpenOptions::new().write(true).open(lock_path(site, run)) else {
        return false;
    };
    matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// Records runs cut short by a process that died as Interrupted and removes their
/// working folders (the image was never touched: it is only replaced at the very end).
pub fn recover(site: &Site) {
    let stale: Vec<(i64, String)> = {
        let c = site.store().reader();
        let Ok(mut stmt) = c.prepare("SELECT run_id, working_folder FROM servicing_runs WHERE state = 'InProgress'")
        else {
            return;
        };
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .unwrap_or_default()
    };
    for (run, folder) in stale {
        if running().contains_key(&(site.database_path(), run)) || held_elsewhere(site, run) {
            continue;
        }
        let cleaned = run::remove_working_folder(&folder);
        let c = site.store().writer();
        let note = format!(
            "Interrupted: Patchdeck stopped during this run; the image was left as it was{}. Schedule the updates again.",
            if cleaned { " and the working folder removed" } else { "" }
        );
        let changed = c
            .execute(
                "UPDATE servicing_runs SET state = 'Interrupted', detail = ?2, finished_utc = ?3
                 WHERE run_id = ?1 AND state = 'InProgress'",
                params![run, note, crate::clock::now_utc()],
            )
            .unwrap_or(0);
        if changed > 0 {
            let _ = run::log_line(&c, run, ServicingLogSource::Servicing, &note);
            let _ = std::fs::remove_file(lock_path(site, run));
            drop(c);
            site.emit(SiteEvent::Progress {
                job: format!("servicing-{run}"),
                done: 1,
                total: 1,
                message: "Interrupted".into(),
            });
        }
    }
}

/// Starts every scheduled run due at `now` (the scheduler thread calls this every 30 s).
pub fn run_due(site: &Site, now: UtcTime) {
    recover(site);
    let due: Vec<i64> = {
        let c = site.store().reader();
        let Ok(mut stmt) = c.prepare(
            "SELECT run_id FROM servicing_runs WHERE state = 'Scheduled' AND scheduled_utc <= ?1 ORDER BY scheduled_utc, run_id",
        ) else {
            return;
        };
        stmt.query_map([format_utc(now)], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .unwrap_or_default()
    };
    for run in due {
        if let Err(e) = start(site, run) {
            tracing::warn!(run, reason = %e.message, "a scheduled servicing run did not start");
        }
    }
}

/// Claims the run (lock, InProgress) and runs it on its own thread.
fn start(site: &Site, run: i64) -> Result<(), ApiError> {
    let key = (site.database_path(), run);
    let mut table = running();
    if table.contains_key(&key) || held_elsewhere(site, run) {
        return Ok(());
    }
    let path = lock_path(site, run);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ApiError::internal(format!("{}: {e}", dir.display())))?;
    }
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| ApiError::internal(format!("{}: {e}", path.display())))?;
    if lock.try_lock().is_err() {
        return Ok(());
    }
    let claimed = site.store().writer().execute(
        "UPDATE servicing_runs SET state = 'InProgress', started_utc = ?2 WHERE run_id = ?1 AND state = 'Scheduled'",
        params![run, crate::clock::now_utc()],
    )?;
    if claimed == 0 {
        return Ok(());
    }
    let cancel = Arc::new(AtomicBool::new(false));
    table.insert(
        key.clone(),
        Running {
            cancel: cancel.clone(),
            _lock: lock,
        },
    );
    drop(table);
    let owned = site.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("patchdeck-servicing-{run}"))
        .spawn(move || {
            run::execute(&owned, run, &cancel);
            let _ = std::fs::remove_file(lock_path(&owned, run));
            running().remove(&key);
        });
    if let Err(e) = spawned {
        running().remove(&(site.database_path(), run));
        return Err(ApiError::internal(format!("cannot start servicing run {run}: {e}")));
    }
    Ok(())
}

// ---- The wizard ----

/// Choose updates: what applies to the image and is not in it; says when DISM is absent.
pub fn applicable_updates(
    site: &Site,
    _actor: &Actor,
    args: ApplicableUpdatesArgs,
) -> Result<ApplicableUpdates, ApiError> {
    let c = site.store().reader();
    let indexes = serviceable_image(&c, args.image_id)?.1;
    let library = crate::content::library_root(site);
    Ok(ApplicableUpdates {
        updates: applicable::list(&c, args.image_id, &indexes, &args.text, args.architecture, &library)?,
        dism_missing: dism::locate(&settings_of(&c).dism_path).err(),
    })
}

/// The image's name and indexes (an OS image or an upgrade package's install image),
/// refusing unknown ids and an .esd, which DISM cannot mount.
fn serviceable_image(c: &Connection, id: i64) -> Result<(String, Vec<crate::wire::OsImageIndex>), ApiError> {
    let row: Option<(String, String)> = c
        .query_row("SELECT name, wim_path FROM os_images WHERE image_id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match row {
        None => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("There is no OS image or upgrade package {id}; it may have been deleted."),
        )),
        Some((name, wim)) if wim.to_ascii_lowercase().ends_with(".esd") => Err(ApiError::new(
            ErrorCode::Validation,
            format!(
                "'{name}' holds its image as an .esd ({wim}), which DISM cannot mount; export it to a .wim \
                 (DISM /Export-Image or wimlib-imagex export) and add that instead."
            ),
        )),
        Some((name, _)) => Ok((name, super::indexes(c, id)?)),
    }
}

/// Schedule Updates: checks the choice (applicable, not present, content in the library,
/// DISM found, no other run pending on the image), records the run (audited) and starts it
/// when it is due now.
pub fn schedule(site: &Site, actor: &Actor, args: ScheduleServicingArgs) -> Result<ServicingRun, ApiError> {
    let now = crate::clock::now();
    let when = match args.when_utc.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => now,
        Some(w) => crate::clock::parse_rfc3339(w).ok_or_else(|| {
            ApiError::new(
                ErrorCode::Validation,
                format!("'{w}' is not a date and time; give one such as 2026-12-03T22:00:00Z."),
            )
        })?,
    };
    let mut ids: Vec<String> = Vec::new();
    for id in &args.update_ids {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    if ids.is_empty() {
        return Err(ApiError::new(ErrorCode::Validation, "Choose at least one update."));
    }
    let library = crate::content::library_root(site);
    let mut c = site.store().writer();
    let settings = settings_of(&c);
    if let Err(why) = dism::locate(&settings.dism_path) {
        return Err(ApiError::new(ErrorCode::Unavailable, why));
    }
    let (image_name, indexes) = serviceable_image(&c, args.image_id)?;
    let present: Vec<String> = {
        let mut stmt =
            c.prepare_cached("SELECT DISTINCT kb FROM os_image_packages WHERE image_id = ?1 AND kb IS NOT NULL")?;
        let kbs = stmt
            .query_map([args.image_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        kbs
    };
    let mut chosen = Vec::new();
    let (mut not_applicable, mut not_downloaded) = (Vec::new(), Vec::new());
    for id in &ids {
        let u = applicable::chosen(&c, id)?;
        let name = format!("{} ({})", u.title, u.kb);
        if present.contains(&u.kb) || !applicable::applies(&indexes, &u.title, &u.products) {
            not_applicable.push(name);
        } else if applicable::files(&c, u.upd_pk, &library)?
            .iter()
            .any(|f| f.path.is_none())
        {
            not_downloaded.push(name);
        }
        chosen.push(u);
    }
    if !not_applicable.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!(
                "These updates do not apply to '{image_name}' or are in it already: {}. Choose among the updates listed.",
                not_applicable.join("; ")
            ),
        ));
    }
    if !not_downloaded.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!(
                "The content of these updates is not in the content library: {}. Download them first \
                 (Download Software Updates), then schedule the updates again.",
                not_downloaded.join("; ")
            ),
        ));
    }
    let tx = c.transaction()?;
    let pending: Option<i64> = tx
        .query_row(
            "SELECT run_id FROM servicing_runs WHERE image_id = ?1 AND state IN ('Scheduled', 'InProgress')",
            [args.image_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = pending {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "'{image_name}' has scheduled updates already (run {other}); wait for that run to end or cancel it, then schedule again."
            ),
        ));
    }
    tx.execute(
        "INSERT INTO servicing_runs (image_id, scheduled_utc, continue_on_error, redistribute, state, created_utc, created_by)
         VALUES (?1, ?2, ?3, ?4, 'Scheduled', ?5, ?6)",
        params![
            args.image_id,
            format_utc(when),
            args.continue_on_error,
            args.update_distribution_points,
            format_utc(now),
            actor.name
        ],
    )?;
    let run = tx.last_insert_rowid();
    for (ord, u) in chosen.iter().enumerate() {
        tx.execute(
            "INSERT INTO servicing_run_updates (run_id, ord, update_id, title, kb, state) VALUES (?1, ?2, ?3, ?4, ?5, 'Pending')",
            params![run, ord as i64, u.update_id, u.title, u.kb],
        )?;
    }
    audit::record(
        &tx,
        actor,
        "os_image.schedule_updates",
        &image_name,
        &format!(
            "servicing run {run} at {}: {}; continue on error {}, update distribution points {}",
            format_utc(when),
            chosen.iter().map(|u| u.kb.as_str()).collect::<Vec<_>>().join(", "),
            if args.continue_on_error { "yes" } else { "no" },
            if args.update_distribution_points { "yes" } else { "no" }
        ),
    )?;
    tx.commit()?;
    drop(c);
    if when <= now {
        start(site, run)?;
    }
    load(&site.store().reader(), run)
}

/// Cancel Scheduled Updates: a scheduled run is dropped; a run in progress has DISM killed,
/// its copy discarded and the image left untouched. Waits (up to a minute) for the run's
/// thread to have cleaned up, so the answer says Cancelled.
pub fn cancel(site: &Site, actor: &Actor, args: IdArgs) -> Result<ServicingRun, ApiError> {
    let run = {
        let c = site.store().reader();
        load(&c, args.id)?
    };
    match run.state {
        ServicingState::Scheduled => {
            let mut c = site.store().writer();
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE servicing_runs SET state = 'Cancelled', detail = ?2, finished_utc = ?3 WHERE run_id = ?1 AND state = 'Scheduled'",
                params![args.id, format!("Cancelled by {} before it started.", actor.name), crate::clock::now_utc()],
            )?;
            audit::record(
                &tx,
                actor,
                "os_image.cancel_updates",
                &run.image_name,
                &format!("servicing run {}", args.id),
            )?;
            tx.commit()?;
        }
        ServicingState::InProgress => {
            let flag = running()
                .get(&(site.database_path(), args.id))
                .map(|r| r.cancel.clone());
            let Some(flag) = flag else {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "This run is going on in another Patchdeck process on this site; cancel it there.",
                ));
            };
            {
                let c = site.store().writer();
                audit::record(
                    &c,
                    actor,
                    "os_image.cancel_updates",
                    &run.image_name,
                    &format!("servicing run {}", args.id),
                )?;
                run::log_line(
                    &c,
                    args.id,
                    ServicingLogSource::Servicing,
                    &format!("Cancel asked by {}.", actor.name),
                )?;
            }
            flag.store(true, Ordering::SeqCst);
            let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while running().contains_key(&(site.database_path(), args.id)) && std::time::Instant::now() < until {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
        _ => {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "Run {} has ended ({}); there is nothing to cancel.",
                    args.id,
                    run.state.label()
                ),
            ))
        }
    }
    load(&site.store().reader(), args.id)
}

pub fn list_runs(site: &Site, _actor: &Actor, args: ListServicingRunsArgs) -> Result<Vec<ServicingRun>, ApiError> {
    recover(site);
    let c = site.store().reader();
    let mut stmt =
        c.prepare_cached("SELECT run_id FROM servicing_runs WHERE ?1 IS NULL OR image_id = ?1 ORDER BY run_id DESC")?;
    let ids = stmt
        .query_map([args.image_id], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    ids.into_iter().map(|id| load(&c, id)).collect()
}

/// One run with its servicing log and DISM's log.
pub fn run_log(site: &Site, _actor: &Actor, args: IdArgs) -> Result<ServicingRunLog, ApiError> {
    recover(site);
    let c = site.store().reader();
    let run = load(&c, args.id)?;
    let mut stmt = c.prepare_cached("SELECT at_utc, source, line FROM servicing_log WHERE run_id = ?1 ORDER BY seq")?;
    let lines = stmt
        .query_map([args.id], |r| {
            Ok(ServicingLogLine {
                at_utc: r.get(0)?,
                source: if r.get::<_, String>(1)? == "DISM" {
                    ServicingLogSource::Dism
                } else {
                    ServicingLogSource::Servicing
                },
                line: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ServicingRunLog { run, lines })
}

pub(super) fn load(c: &Connection, id: i64) -> Result<ServicingRun, ApiError> {
    let run = c
        .query_row(
            "SELECT r.run_id, r.image_id, o.name, r.scheduled_utc, r.continue_on_error, r.redistribute, r.state, r.detail,
                    r.created_utc, r.created_by, r.started_utc, r.finished_utc, r.bytes_before, r.bytes_committed, r.bytes_after
             FROM servicing_runs r JOIN os_images o ON o.image_id = r.image_id WHERE r.run_id = ?1",
            [id],
            |r| {
                Ok(ServicingRun {
                    id: r.get(0)?,
                    image_id: r.get(1)?,
                    image_name: r.get(2)?,
                    scheduled_utc: r.get(3)?,
                    continue_on_error: r.get(4)?,
                    update_distribution_points: r.get(5)?,
                    state: ServicingState::parse(&r.get::<_, String>(6)?),
                    detail: r.get(7)?,
                    created_utc: r.get(8)?,
                    created_by: r.get(9)?,
                    started_utc: r.get(10)?,
                    finished_utc: r.get(11)?,
                    bytes_before: r.get(12)?,
                    bytes_committed: r.get(13)?,
                    bytes_after: r.get(14)?,
                    updates: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut run) = run else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("There is no servicing run {id}; its image may have been deleted."),
        ));
    };
    let mut stmt = c.prepare_cached(
        "SELECT update_id, title, kb, state, detail FROM servicing_run_updates WHERE run_id = ?1 ORDER BY ord",
    )?;
    run.updates = stmt
        .query_map([id], |r| {
            Ok(ServicingRunUpdate {
                update_id: r.get(0)?,
                title: r.get(1)?,
                kb: r.get(2)?,
                state: match r.get::<_, String>(3)?.as_str() {
                    "Installed" => ServicingUpdateState::Installed,
                    "Failed" => ServicingUpdateState::Failed,
                    "NotApplied" => ServicingUpdateState::NotApplied,
                    _ => ServicingUpdateState::Pending,
                },
                detail: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(run)
}

/// The latest run of an image (Scheduled Updates Date and Status).
pub(super) fn latest(c: &Connection, image: i64) -> Result<Option<(String, ServicingState)>, ApiError> {
    Ok(c.query_row(
        "SELECT scheduled_utc, state FROM servicing_runs WHERE image_id = ?1 ORDER BY run_id DESC LIMIT 1",
        [image],
        |r| Ok((r.get::<_, String>(0)?, ServicingState::parse(&r.get::<_, String>(1)?))),
    )
    .optional()?)
}
