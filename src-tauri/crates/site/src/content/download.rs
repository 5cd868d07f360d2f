//! Download jobs: the files of chosen updates fetched into the content library, verified,
//! resumable.
//!
//! A job and its files are rows, so a job survives the process: a job left `Running` by a
//! process that stopped reads as `Interrupted` and `resume_download` continues it. Each file
//! downloads into `downloads/<SHA1HEX>.<ext>.partial`; a partial file left behind continues
//! with an HTTP Range request (a server that ignores Range sends the whole file, which
//! replaces the partial one). Only a file whose digests match the catalog is renamed into
//! the library; any other is deleted and its row says why.

use std::collections::{HashMap, HashSet};
use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rusqlite::{params, OptionalExtension};

use super::{invalid, not_found};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::update_point::transport::{error_chain, header, HttpClient};
use crate::wire::{
    ApiError, DownloadFile, DownloadFileState, DownloadJob, DownloadJobState, DownloadSource, ErrorCode, IdArgs,
    NoArgs, SiteEvent, StartDownloadArgs, SyncSource,
};

/// Jobs running in this process, by (database, job): their cancel flags.
type Running = Mutex<HashMap<(PathBuf, i64), Runner>>;

/// A job this process runs: its cancel flag, and the lock file that tells other processes
/// (a `patchdeck serve` and a `patchdeck download` on one site) that it runs. The operating
/// system drops the lock when the process dies, which is how a killed job reads Interrupted.
struct Runner {
    cancel: Arc<AtomicBool>,
    _lock: std::fs::File,
}

fn lock_path(site: &Site, job: i64) -> PathBuf {
    super::partial_root(site).join(format!("job-{job}.lock"))
}

/// Whether another process holds the job's lock.
fn running_elsewhere(site: &Site, job: i64) -> bool {
    let Ok(f) = OpenOptions::new().write(true).open(lock_path(site, job)) else {
        return false;
    };
    matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

fn running() -> &'static Running {
    static R: OnceLock<Running> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// Partial files being written in this process: two jobs never write one file.
fn in_flight() -> &'static Mutex<HashSet<PathBuf>> {
    static F: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    F.get_or_init(Default::default)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn is_running(site: &Site, job: i64) -> bool {
    lock(running()).contains_key(&(site.database_path(), job)) || running_elsewhere(site, job)
}

pub(crate) fn running_for_package(site: &Site, package_id: i64) -> bool {
    let c = site.store().reader();
    let jobs: Vec<i64> = c
        .prepare_cached("SELECT job_id FROM download_jobs WHERE package_id = ?1 AND state = 'Running'")
        .and_then(|mut s| s.query_map([package_id], |r| r.get(0))?.collect())
        .unwrap_or_default();
    jobs.into_iter().any(|j| is_running(site, j))
}

/// One file to fetch, as the catalog describes it.
#[derive(Debug, Clone)]
pub(super) struct Wanted {
    pub(super) sha1: String,
    sha256: Option<String>,
    pub(super) file_name: String,
    size: i64,
    update_id: String,
    title: String,
}

/// The wizard's Finish: records the job and starts it on a background thread.
///
/// The job, a new package and their audit lines are one transaction, committed only once the
/// job's thread is registered and waiting: a start refused at any step (the source, the
/// files, the download folder, the thread) leaves nothing recorded, so no empty package.
pub fn start(site: &Site, actor: &Actor, args: StartDownloadArgs) -> Result<DownloadJob, ApiError> {
    check_source(site, &args.source)?;
    let wanted = resolve_files(site, &args)?;
    let job = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let job = record(&tx, site, actor, &args, &wanted)?;
        let go = spawn_waiting(site, job)?;
        if let Err(e) = tx.commit() {
            // The thread hears "no" and unregisters; the rollback left nothing.
            let _ = go.send(false);
            return Err(e.into());
        }
        // The thread only ends before this when it was told no, which it was not.
        let _ = go.send(true);
        job
    };
    get_job(site, job, true)
}

/// Records a job (and its package, when new) without running it.
pub fn prepare(site: &Site, actor: &Actor, args: StartDownloadArgs) -> Result<i64, ApiError> {
    check_source(site, &args.source)?;
    let wanted = resolve_files(site, &args)?;
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let job = record(&tx, site, actor, &args, &wanted)?;
    tx.commit()?;
    Ok(job)
}

/// Inserts the job, its files and (when new) its package in the caller's transaction.
fn record(
    tx: &rusqlite::Transaction<'_>,
    site: &Site,
    actor: &Actor,
    args: &StartDownloadArgs,
    wanted: &[Wanted],
) -> Result<i64, ApiError> {
    let source = serde_json::to_string(&args.source).map_err(|e| ApiError::internal(e.to_string()))?;
    let package_id = match (args.package_id, args.new_package_name.as_deref()) {
        (Some(id), _) => {
            let ok: Option<i64> = tx
                .query_row("SELECT package_id FROM packages WHERE package_id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            ok.ok_or_else(|| not_found(format!("There is no package {id}; choose another or create a new one.")))?
        }
        (None, Some(name)) => {
            super::packages::insert(tx, actor, name, args.new_package_description.as_deref().unwrap_or(""))?
        }
        (None, None) => return Err(invalid("Choose an existing package or name a new one.")),
    };
    let library = super::library_root(site);
    tx.execute(
        "INSERT INTO download_jobs (package_id, source, languages, state, actor, created_utc)
         VALUES (?1, ?2, ?3, 'Running', ?4, ?5)",
        params![
            package_id,
            source,
            args.languages.join(","),
            actor.name,
            crate::clock::now_utc()
        ],
    )?;
    let job = tx.last_insert_rowid();
    {
        let mut pc = tx.prepare_cached(
            "INSERT OR IGNORE INTO package_content (package_id, sha1, update_id) VALUES (?1, ?2, ?3)",
        )?;
        let mut df = tx.prepare_cached(
            "INSERT INTO download_files (job_id, sha1, sha256, file_name, update_id, update_title, size, state, bytes_done)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut held = tx.prepare_cached("SELECT path FROM content WHERE sha1 = ?1")?;
        for w in wanted {
            pc.execute(params![package_id, w.sha1, w.update_id])?;
            let path: Option<String> = held.query_row([&w.sha1], |r| r.get(0)).optional()?;
            let have = path.is_some_and(|p| library.join(p).is_file());
            let (state, done) = if have { ("Downloaded", w.size) } else { ("Pending", 0) };
            df.execute(params![
                job,
                w.sha1,
                w.sha256,
                w.file_name,
                w.update_id,
                w.title,
                w.size,
                state,
                done
            ])?;
        }
    }
    audit::record(
        tx,
        actor,
        "content.download.start",
        &format!("job {job}"),
        &format!("package {package_id}, {} files, source {source}", wanted.len()),
    )?;
    Ok(job)
}

fn check_source(site: &Site, source: &DownloadSource) -> Result<(), ApiError> {
    match source {
        DownloadSource::Upstream => {
            let s = crate::update_point::settings::load(site)?;
            if s.source == SyncSource::MicrosoftUpdate {
                return Err(invalid(
                    "This site synchronizes from Microsoft Update, so it has no upstream server to download content from. \
                     Choose Microsoft Update or a local folder as the source.",
                ));
            }
            Ok(())
        }
        DownloadSource::MicrosoftUpdate => Ok(()),
        DownloadSource::LocalFolder { path } => {
            if path.trim().is_empty() || !Path::new(path.trim()).is_dir() {
                return Err(invalid(format!(
                    "The folder '{path}' does not exist or is not a folder this site can read."
                )));
            }
            Ok(())
        }
    }
}

/// Whether a file with these languages (comma-separated, '' = language-neutral) belongs in a
/// download for `chosen` (lower case; empty = every language).
fn wanted_for_languages(file_languages: &str, chosen: &[String]) -> bool {
    let mut langs = file_languages
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    chosen.is_empty() || langs.peek().is_none() || langs.any(|l| chosen.iter().any(|c| c.eq_ignore_ascii_case(l)))
}

/// The files of the chosen updates and of their bundle members, one per digest: the
/// language-neutral ones and those of the chosen languages.
pub(super) fn resolve_files(site: &Site, args: &StartDownloadArgs) -> Result<Vec<Wanted>, ApiError> {
    let c = site.store().reader();
    let mut pks: Vec<i64> = Vec::new();
    for id in &args.update_ids {
        let pk: Option<i64> = c
            .query_row(
                "SELECT upd_pk FROM updates WHERE update_id = ?1",
                [id.trim().to_lowercase()],
                |r| r.get(0),
            )
            .optional()?;
        pks.push(pk.ok_or_else(|| not_found(format!("The update {id} is not in this site's catalog.")))?);
    }
    if let Some(g) = args.update_group_id {
        let exists: Option<i64> = c
            .query_row("SELECT group_id FROM update_groups WHERE group_id = ?1", [g], |r| {
                r.get(0)
            })
            .optional()?;
        exists.ok_or_else(|| not_found(format!("There is no software update group {g}.")))?;
        let mut s = c.prepare_cached("SELECT upd_pk FROM update_group_members WHERE group_id = ?1")?;
        let members = s
            .query_map([g], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        pks.extend(members);
    }
    if pks.is_empty() {
        return Err(invalid(
            "Choose the updates (or a software update group) whose content to download.",
        ));
    }
    let mut stmt = c.prepare_cached(
        "WITH RECURSIVE chosen(pk) AS (
             SELECT ?1
             UNION
             SELECT u.upd_pk FROM chosen ch JOIN bundle_members b ON b.bundle_pk = ch.pk
             JOIN updates u ON u.update_id = b.member_id
         )
         SELECT f.sha1, f.sha256, f.file_name, f.size, u.update_id, u.title, f.languages
         FROM chosen ch JOIN files f ON f.upd_pk = ch.pk JOIN updates u ON u.upd_pk = ch.pk
         ORDER BY u.title, f.file_name",
    )?;
    let chosen: Vec<String> = args
        .languages
        .iter()
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut other_languages = 0;
    for pk in pks {
        let rows = stmt
            .query_map([pk], |r| {
                Ok((
                    Wanted {
                        sha1: r.get(0)?,
                        sha256: r.get(1)?,
                        file_name: r.get(2)?,
                        size: r.get(3)?,
                        update_id: r.get(4)?,
                        title: r.get(5)?,
                    },
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (w, languages) in rows {
            if !wanted_for_languages(&languages, &chosen) {
                other_languages += 1;
                continue;
            }
            if seen.insert(w.sha1.clone()) {
                out.push(w);
            }
        }
    }
    if out.is_empty() && other_languages > 0 {
        return Err(invalid(format!(
            "The chosen updates have files only in other languages than {}; choose their languages, or none for all.",
            chosen.join(", ")
        )));
    }
    if out.is_empty() {
        return Err(invalid("The chosen updates have no files to download."));
    }
    Ok(out)
}

fn spawn(site: &Site, job: i64) -> Result<(), ApiError> {
    let cancel = register(site, job)?;
    let site = site.clone();
    std::thread::Builder::new()
        .name(format!("download-{job}"))
        .spawn(move || {
            run_registered(&site, job, &cancel);
        })
        .map_err(|e| ApiError::internal(format!("The download could not start: {e}")))?;
    Ok(())
}

/// Registers the job and starts its thread, which waits for the word: `true` once the job is
/// committed, `false` (or the sender dropped) when it was not, and then only unregisters.
fn spawn_waiting(site: &Site, job: i64) -> Result<std::sync::mpsc::Sender<bool>, ApiError> {
    let cancel = register(site, job)?;
    let (go, wait) = std::sync::mpsc::channel::<bool>();
    let thread_site = site.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("download-{job}"))
        .spawn(move || {
            if wait.recv() == Ok(true) {
                run_registered(&thread_site, job, &cancel);
            } else {
                unregister(&thread_site, job);
            }
        });
    if let Err(e) = spawned {
        unregister(site, job);
        return Err(ApiError::internal(format!("The download could not start: {e}")));
    }
    Ok(go)
}

fn unregister(site: &Site, job: i64) {
    // Unlocked as the handle drops; the file is only a marker.
    lock(running()).remove(&(site.database_path(), job));
    let _ = std::fs::remove_file(lock_path(site, job));
}

fn register(site: &Site, job: i64) -> Result<Arc<AtomicBool>, ApiError> {
    let mut r = lock(running());
    let key = (site.database_path(), job);
    if r.contains_key(&key) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("The download job {job} is running already."),
        ));
    }
    let path = lock_path(site, job);
    let file = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|_| OpenOptions::new().create(true).truncate(false).write(true).open(&path))
        .map_err(|e| {
            ApiError::internal(format!(
                "The download folder cannot be written ({}): {e}",
                path.display()
            ))
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("The download job {job} is running in another Patchdeck process on this site."),
            ))
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(ApiError::internal(format!("{} cannot be locked: {e}", path.display())))
        }
    }
    let flag = Arc::new(AtomicBool::new(false));
    r.insert(
        key,
        Runner {
            cancel: flag.clone(),
            _lock: file,
        },
    );
    Ok(flag)
}

/// Runs a recorded job to its end in this thread (the CLI's `download` verb).
pub fn run(site: &Site, job: i64) -> Result<DownloadJob, ApiError> {
    let cancel = register(site, job)?;
    run_registered(site, job, &cancel);
    get_job(site, job, true)
}

fn run_registered(site: &Site, job: i64, cancel: &AtomicBool) {
    if let Err(e) = work(site, job, cancel) {
        tracing::error!(job, error = %e, "download job failed");
        let c = site.store().writer();
        let _ = finish(&c, job, "Failed", Some(&e.message));
    }
    unregister(site, job);
}

struct Progress<'a> {
    site: &'a Site,
    job: i64,
    done: i64,
    total: i64,
    last_event: Instant,
}

impl Progress<'_> {
    fn emit(&mut self, message: &str, force: bool) {
        if force || self.last_event.elapsed() >= Duration::from_millis(200) {
            self.last_event = Instant::now();
            self.site.emit(SiteEvent::Progress {
                job: format!("download:{}", self.job),
                done: self.done,
                total: self.total,
                message: message.to_string(),
            });
        }
    }
}

fn work(site: &Site, job: i64, cancel: &AtomicBool) -> Result<(), ApiError> {
    let (source_text, _) = job_row(site, job)?;
    let source: DownloadSource =
        serde_json::from_str(&source_text).map_err(|e| ApiError::internal(format!("job {job}'s source: {e}")))?;
    let fetcher = Fetcher::new(site, &source)?;
    let files = job_files(site, job)?;
    let total: i64 = files.iter().map(|f| f.size).sum();
    let mut progress = Progress {
        site,
        job,
        done: files
            .iter()
            .filter(|f| f.state == DownloadFileState::Downloaded)
            .map(|f| f.size)
            .sum(),
        total,
        last_event: Instant::now() - Duration::from_secs(1),
    };
    let count = files.len();
    progress.emit(&format!("Downloading {count} files"), true);
    let library = super::library_root(site);
    let partials = super::partial_root(site);
    let mut cancelled = false;
    for (i, f) in files.iter().enumerate() {
        if f.state == DownloadFileState::Downloaded {
            continue;
        }
        if cancel.load(Ordering::SeqCst) {
            cancelled = true;
            break;
        }
        let label = format!("{} ({} of {count})", f.file_name, i + 1);
        let Some(rel) = super::relative_path(&f.sha1, &f.file_name) else {
            set_file(
                site,
                job,
                &f.sha1,
                "Failed",
                0,
                Some(&describe(f, "its digest or name is not usable as a content path")),
            )?;
            continue;
        };
        // Another package may have brought the file in meanwhile.
        if held(site, &f.sha1, &library)? {
            set_file(site, job, &f.sha1, "Downloaded", f.size, None)?;
            progress.done += f.size;
            continue;
        }
        let file_name_on_disk = rel.rsplit('/').next().unwrap_or(&rel).to_string();
        let partial = partials.join(format!("{file_name_on_disk}.partial"));
        if !lock(in_flight()).insert(partial.clone()) {
            set_file(
                site,
                job,
                &f.sha1,
                "Failed",
                0,
                Some(&describe(
                    f,
                    "another download job is fetching this file now; resume this job when it has finished",
                )),
            )?;
            continue;
        }
        set_file(site, job, &f.sha1, "Downloading", f.bytes_done, None)?;
        let base = progress.done;
        let mut last_db = Instant::now();
        let urls = catalog_urls(site, &f.sha1);
        let outcome = fetcher.fetch(f, &urls, &rel, &partial, cancel, &mut |bytes| {
            progress.done = base + bytes;
            progress.emit(&label, false);
            if last_db.elapsed() >= Duration::from_secs(1) {
                last_db = Instant::now();
                let _ = set_file(site, job, &f.sha1, "Downloading", bytes, None);
            }
        });
        let result = match outcome {
            Ok(()) => store(site, job, f, &rel, &partial, &library),
            Err(FetchError::Cancelled) => {
                cancelled = true;
                Err(String::new())
            }
            Err(FetchError::Failed(e)) => Err(e),
        };
        lock(in_flight()).remove(&partial);
        match result {
            Ok(()) => {
                set_file(site, job, &f.sha1, "Downloaded", f.size, None)?;
                progress.done = base + f.size;
                tracing::info!(job, file = %f.file_name, "content file verified and stored");
            }
            Err(_) if cancelled => {
                let done = std::fs::metadata(&partial).map(|m| m.len() as i64).unwrap_or(0);
                set_file(site, job, &f.sha1, "Pending", done, None)?;
                break;
            }
            Err(e) => {
                let msg = describe(f, &e);
                tracing::warn!(job, error = %msg, "content file refused");
                set_file(site, job, &f.sha1, "Failed", 0, Some(&msg))?;
                progress.done = base;
            }
        }
        progress.emit(&label, true);
    }
    let failed = job_files(site, job)?
        .iter()
        .filter(|f| f.state == DownloadFileState::Failed)
        .count();
    let c = site.store().writer();
    if cancelled {
        finish(
            &c,
            job,
            "Cancelled",
            Some("Cancelled; resume the download to continue where it stopped."),
        )?;
    } else if failed > 0 {
        finish(
            &c,
            job,
            "Failed",
            Some(&format!(
                "{failed} of {count} files failed; each file's error says why."
            )),
        )?;
    } else {
        finish(&c, job, "Succeeded", None)?;
    }
    drop(c);
    progress.emit(if cancelled { "Cancelled" } else { "Finished" }, true);
    Ok(())
}

fn describe(f: &DownloadFile, what: &str) -> String {
    format!("{} ({}), file {}: {what}", f.update_title, f.update_id, f.file_name)
}

pub(super) fn held(site: &Site, sha1: &str, library: &Path) -> Result<bool, ApiError> {
    let c = site.store().reader();
    let p: Option<String> = c
        .query_row("SELECT path FROM content WHERE sha1 = ?1", [sha1], |r| r.get(0))
        .optional()?;
    Ok(p.is_some_and(|p| library.join(p).is_file()))
}

/// Verifies a finished partial file and moves it into the library; a file that does not
/// match is deleted, never kept.
fn store(site: &Site, job: i64, f: &DownloadFile, rel: &str, partial: &Path, library: &Path) -> Result<(), String> {
    let sha256 = sha256_of(site, job, &f.sha1);
    if let Err(e) = super::verify(partial, &f.sha1, sha256.as_deref()) {
        let _ = std::fs::remove_file(partial);
        return Err(format!("{e}; the file was deleted and not stored"));
    }
    let target = library.join(rel);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("the library folder {} cannot be created: {e}", dir.display()))?;
    }
    std::fs::rename(partial, &target).map_err(|e| format!("moving into {} failed: {e}", target.display()))?;
    let mut c = site.store().writer();
    let tx = c.transaction().map_err(|e| e.to_string())?;
    tx.execute(
        "INSERT INTO content (sha1, sha256, size, file_name, path, state, downloaded_utc)
         VALUES (?1, ?2, ?3, ?4, ?5, 'Downloaded', ?6)
         ON CONFLICT(sha1) DO UPDATE SET path = excluded.path, downloaded_utc = excluded.downloaded_utc",
        params![f.sha1, sha256, f.size, f.file_name, rel, crate::clock::now_utc()],
    )
    .map_err(|e| e.to_string())?;
    tx.commit().map_err(|e| e.to_string())?;
    Ok(())
}

fn sha256_of(site: &Site, job: i64, sha1: &str) -> Option<String> {
    let c = site.store().reader();
    c.query_row(
        "SELECT sha256 FROM download_files WHERE job_id = ?1 AND sha1 = ?2",
        params![job, sha1],
        |r| r.get(0),
    )
    .optional()
    .ok()
    .flatten()
}

enum FetchError {
    Cancelled,
    Failed(String),
}

enum Fetcher {
    Http {
        agent: HttpClient,
        root: String,
    },
    MicrosoftUpdate {
        agent: HttpClient,
    },
    Folder {
        index: HashMap<String, PathBuf>,
        root: PathBuf,
    },
}

/// Read and write in pieces this big; cancel and progress are checked between them.
const CHUNK: usize = 64 * 1024;

impl Fetcher {
    fn new(site: &Site, source: &DownloadSource) -> Result<Self, ApiError> {
        let settings = crate::update_point::settings::load(site)?;
        let agent = || {
            crate::update_point::transport::HttpTransport::for_settings(&settings)
                .map(|t| t.client())
                .map_err(invalid)
        };
        Ok(match source {
            DownloadSource::Upstream => Fetcher::Http {
                agent: agent()?,
                root: crate::update_point::settings::upstream_root(&settings),
            },
            DownloadSource::MicrosoftUpdate => Fetcher::MicrosoftUpdate { agent: agent()? },
            DownloadSource::LocalFolder { path } => {
                let root = PathBuf::from(path.trim());
                let mut index = HashMap::new();
                index_folder(&root, 0, &mut index);
                Fetcher::Folder { index, root }
            }
        })
    }

    fn fetch(
        &self,
        f: &DownloadFile,
        urls: &CatalogUrls,
        rel: &str,
        partial: &Path,
        cancel: &AtomicBool,
        on_bytes: &mut dyn FnMut(i64),
    ) -> Result<(), FetchError> {
        if let Some(dir) = partial.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                FetchError::Failed(format!("the download folder {} cannot be created: {e}", dir.display()))
            })?;
        }
        match self {
            Fetcher::Http { agent, root } => {
                let url = format!("{root}/{}", uss_path(urls.uss_url.as_deref(), rel));
                fetch_http(agent, &url, f.size, partial, cancel, on_bytes)
            }
            Fetcher::MicrosoftUpdate { agent } => {
                let url = urls.mu_url.clone().ok_or_else(|| {
                    FetchError::Failed(
                        "the catalog holds no Microsoft Update address (MUUrl) for this file (synchronization \
                         does not record them yet); download it from the upstream server or a local folder"
                            .into(),
                    )
                })?;
                fetch_http(agent, &url, f.size, partial, cancel, on_bytes)
            }
            Fetcher::Folder { index, root } => {
                let disk_name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
                let src = index
                    .get(&f.file_name.to_ascii_lowercase())
                    .or_else(|| index.get(&disk_name))
                    .ok_or_else(|| {
                        FetchError::Failed(format!(
                            "no file named {} (or {}) in {}",
                            f.file_name,
                            rel.rsplit('/').next().unwrap_or(rel),
                            root.display()
                        ))
                    })?;
                copy_file(src, f.size, partial, cancel, on_bytes)
            }
        }
    }
}

/// The addresses the catalog holds for a file (GetUpdateData's FileUrls), when the sync
/// recorded them; without them the UssUrl path is derived from the digest and extension.
#[derive(Default)]
pub(super) struct CatalogUrls {
    pub(super) mu_url: Option<String>,
    pub(super) uss_url: Option<String>,
}

pub(super) fn catalog_urls(site: &Site, sha1: &str) -> CatalogUrls {
    let c = site.store().reader();
    let pick = |col: &str| -> Option<String> {
        c.query_row(
            &format!("SELECT {col} FROM files WHERE sha1 = ?1 AND COALESCE({col}, '') <> '' LIMIT 1"),
            [sha1],
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten()
    };
    CatalogUrls {
        mu_url: pick("mu_url"),
        uss_url: pick("uss_url"),
    }
}

/// A recorded UssUrl relative to the upstream root, used only when it is a plain
/// `Content/...` path (an absolute or odd one could point anywhere).
pub(super) fn uss_path(recorded: Option<&str>, derived: &str) -> String {
    match recorded.map(|u| u.trim_start_matches('/')) {
        Some(u)
            if u.starts_with("Content/")
                && !u.contains("..")
                && u.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)) =>
        {
            u.to_string()
        }
        _ => format!("Content/{derived}"),
    }
}

/// File names (lower case) under a folder, three levels deep at most; the first found wins.
pub(super) fn index_folder(dir: &Path, depth: u32, index: &mut HashMap<String, PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && depth < 3 {
            index_folder(&p, depth + 1, index);
        } else if ft.is_file() {
            index
                .entry(e.file_name().to_string_lossy().to_ascii_lowercase())
                .or_insert(p);
        }
    }
}

/// Opens the partial file for appending after `offset` bytes (truncating anything past it).
fn open_partial(partial: &Path, offset: u64) -> Result<std::fs::File, FetchError> {
    let mut out = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(partial)
        .map_err(|e| FetchError::Failed(format!("{} cannot be written: {e}", partial.display())))?;
    // Another process writing the same file (another job on this site) keeps it locked.
    if let Err(std::fs::TryLockError::WouldBlock) = out.try_lock() {
        return Err(FetchError::Failed(
            "another download is fetching this file now; resume this job when it has finished".into(),
        ));
    }
    out.set_len(offset)
        .and_then(|_| out.seek(SeekFrom::Start(offset)).map(|_| ()))
        .map_err(|e| FetchError::Failed(format!("{} cannot be written: {e}", partial.display())))?;
    Ok(out)
}

fn partial_len(partial: &Path, size: i64) -> u64 {
    let len = std::fs::metadata(partial).map(|m| m.len()).unwrap_or(0);
    // A partial file longer than the file should be is not a prefix of it.
    if len > size.max(0) as u64 {
        0
    } else {
        len
    }
}

/// Copies `reader` to `out` from `offset`, refusing more than `size` bytes in all.
fn pump(
    reader: &mut dyn Read,
    out: &mut std::fs::File,
    mut offset: u64,
    size: i64,
    cancel: &AtomicBool,
    on_bytes: &mut dyn FnMut(i64),
) -> Result<u64, FetchError> {
    let mut buf = vec![0u8; CHUNK];
    loop {
        if cancel.load(Ordering::SeqCst) {
            let _ = out.flush();
            return Err(FetchError::Cancelled);
        }
        let n = reader
            .read(&mut buf)
            .map_err(|e| FetchError::Failed(format!("the transfer broke off after {offset} bytes: {e}")))?;
        if n == 0 {
            break;
        }
        offset += n as u64;
        if size >= 0 && offset > size as u64 {
            return Err(FetchError::Failed(format!(
                "the source sent more than the {size} bytes the update metadata declares"
            )));
        }
        out.write_all(&buf[..n])
            .map_err(|e| FetchError::Failed(format!("writing the downloaded file failed: {e}")))?;
        on_bytes(offset as i64);
    }
    out.flush()
        .map_err(|e| FetchError::Failed(format!("writing the downloaded file failed: {e}")))?;
    Ok(offset)
}

fn copy_file(
    src: &Path,
    size: i64,
    partial: &Path,
    cancel: &AtomicBool,
    on_bytes: &mut dyn FnMut(i64),
) -> Result<(), FetchError> {
    let mut input =
        std::fs::File::open(src).map_err(|e| FetchError::Failed(format!("{} cannot be read: {e}", src.display())))?;
    let offset = partial_len(partial, size);
    input
        .seek(SeekFrom::Start(offset))
        .map_err(|e| FetchError::Failed(format!("{} cannot be read: {e}", src.display())))?;
    let mut out = open_partial(partial, offset)?;
    pump(&mut input, &mut out, offset, size, cancel, on_bytes)?;
    Ok(())
}

/// GET with Range when a partial file exists; network failures resume up to three times.
fn fetch_http(
    agent: &HttpClient,
    url: &str,
    size: i64,
    partial: &Path,
    cancel: &AtomicBool,
    on_bytes: &mut dyn FnMut(i64),
) -> Result<(), FetchError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match fetch_http_once(agent, url, size, partial, cancel, on_bytes) {
            Err(FetchError::Failed(e)) if attempt < 4 && e.starts_with(NETWORK) => {
                tracing::warn!(%url, error = %e, attempt, "content download interrupted; resuming");
                std::thread::sleep(Duration::from_millis(250 * attempt));
            }
            other => return other,
        }
    }
}

const NETWORK: &str = "network: ";

fn fetch_http_once(
    agent: &HttpClient,
    url: &str,
    size: i64,
    partial: &Path,
    cancel: &AtomicBool,
    on_bytes: &mut dyn FnMut(i64),
) -> Result<(), FetchError> {
    let offset = partial_len(partial, size);
    if size >= 0 && offset == size as u64 && offset > 0 {
        // Complete already (killed between the last byte and the check).
        return Ok(());
    }
    let mut req = agent.get(url);
    if offset > 0 {
        req = req.header(reqwest::header::RANGE, format!("bytes={offset}-"));
    }
    let response = match req.send() {
        Ok(r) if r.status().is_success() => r,
        Ok(r) if r.status() == reqwest::StatusCode::RANGE_NOT_SATISFIABLE => {
            // The partial file does not fit the server's copy: start over.
            let _ = std::fs::remove_file(partial);
            return Err(FetchError::Failed(format!(
                "{NETWORK}{url} refused the resume range; starting over"
            )));
        }
        Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND => {
            return Err(FetchError::Failed(format!(
                "{url} answered 404: the source does not hold this file (download it into the upstream's library first)"
            )))
        }
        Ok(r) => {
            return Err(FetchError::Failed(format!(
                "{url} answered HTTP {}",
                r.status().as_u16()
            )))
        }
        Err(e) => return Err(FetchError::Failed(format!("{NETWORK}{url}: {}", error_chain(&e)))),
    };
    let start = if response.status() == reqwest::StatusCode::PARTIAL_CONTENT {
        let range = header(&response, reqwest::header::CONTENT_RANGE).unwrap_or("");
        let from = range
            .strip_prefix("bytes ")
            .and_then(|r| r.split('-').next())
            .and_then(|n| n.trim().parse::<u64>().ok());
        if from != Some(offset) {
            return Err(FetchError::Failed(format!(
                "{url} answered the range request with '{range}', not from byte {offset}"
            )));
        }
        offset
    } else {
        // 200: the server ignored Range; the whole file replaces the partial one.
        0
    };
    let mut out = open_partial(partial, start)?;
    let mut reader = response;
    match pump(&mut reader, &mut out, start, size, cancel, on_bytes) {
        Ok(got) if size >= 0 && got < size as u64 => Err(FetchError::Failed(format!(
            "{NETWORK}{url} ended after {got} of {size} bytes"
        ))),
        Ok(_) => Ok(()),
        Err(FetchError::Failed(e)) if e.starts_with("the transfer broke off") => {
            Err(FetchError::Failed(format!("{NETWORK}{e}")))
        }
        Err(e) => Err(e),
    }
}

// ---- rows ----

fn job_row(site: &Site, job: i64) -> Result<(String, String), ApiError> {
    let c = site.store().reader();
    c.query_row(
        "SELECT source, state FROM download_jobs WHERE job_id = ?1",
        [job],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| not_found(format!("There is no download job {job}.")))
}

fn job_files(site: &Site, job: i64) -> Result<Vec<DownloadFile>, ApiError> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT sha1, file_name, update_id, update_title, size, bytes_done, state, error
         FROM download_files WHERE job_id = ?1 ORDER BY update_title, file_name",
    )?;
    let rows = stmt
        .query_map([job], |r| {
            let state: String = r.get(6)?;
            Ok(DownloadFile {
                sha1: r.get(0)?,
                file_name: r.get(1)?,
                update_id: r.get(2)?,
                update_title: r.get(3)?,
                size: r.get(4)?,
                bytes_done: r.get(5)?,
                state: match state.as_str() {
                    "Downloading" => DownloadFileState::Downloading,
                    "Downloaded" => DownloadFileState::Downloaded,
                    "Failed" => DownloadFileState::Failed,
                    _ => DownloadFileState::Pending,
                },
                error: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn set_file(site: &Site, job: i64, sha1: &str, state: &str, bytes: i64, error: Option<&str>) -> Result<(), ApiError> {
    let c = site.store().writer();
    c.execute(
        "UPDATE download_files SET state = ?3, bytes_done = ?4, error = ?5 WHERE job_id = ?1 AND sha1 = ?2",
        params![job, sha1, state, bytes, error],
    )?;
    Ok(())
}

fn finish(c: &rusqlite::Connection, job: i64, state: &str, error: Option<&str>) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE download_jobs SET state = ?2, error = ?3, finished_utc = ?4 WHERE job_id = ?1",
        params![job, state, error, crate::clock::now_utc()],
    )?;
    Ok(())
}

pub fn get_job(site: &Site, job: i64, with_files: bool) -> Result<DownloadJob, ApiError> {
    let mut jobs = read_jobs(site, Some(job))?;
    let mut j = jobs
        .pop()
        .ok_or_else(|| not_found(format!("There is no download job {job}.")))?;
    if with_files {
        j.files = job_files(site, job)?;
    }
    Ok(j)
}

fn read_jobs(site: &Site, only: Option<i64>) -> Result<Vec<DownloadJob>, ApiError> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT j.job_id, j.package_id, p.name, j.source, j.languages, j.state, j.actor, j.created_utc,
                j.finished_utc, j.error,
                (SELECT COUNT(*) FROM download_files f WHERE f.job_id = j.job_id),
                (SELECT COUNT(*) FROM download_files f WHERE f.job_id = j.job_id AND f.state = 'Downloaded'),
                (SELECT COUNT(*) FROM download_files f WHERE f.job_id = j.job_id AND f.state = 'Failed'),
                (SELECT COALESCE(SUM(f.bytes_done), 0) FROM download_files f WHERE f.job_id = j.job_id),
                (SELECT COALESCE(SUM(f.size), 0) FROM download_files f WHERE f.job_id = j.job_id)
         FROM download_jobs j JOIN packages p ON p.package_id = j.package_id
         WHERE ?1 IS NULL OR j.job_id = ?1
         ORDER BY j.job_id DESC LIMIT 200",
    )?;
    let rows = stmt
        .query_map([only], |r| {
            let source: String = r.get(3)?;
            let languages: String = r.get(4)?;
            let state: String = r.get(5)?;
            Ok((
                DownloadJob {
                    id: r.get(0)?,
                    package_id: r.get(1)?,
                    package_name: r.get(2)?,
                    source: serde_json::from_str(&source).unwrap_or(DownloadSource::Upstream),
                    languages: languages
                        .split(',')
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    state: DownloadJobState::Running,
                    actor: r.get(6)?,
                    created_utc: r.get(7)?,
                    finished_utc: r.get(8)?,
                    error: r.get(9)?,
                    files_total: r.get(10)?,
                    files_downloaded: r.get(11)?,
                    files_failed: r.get(12)?,
                    bytes_done: r.get(13)?,
                    bytes_total: r.get(14)?,
                    files: Vec::new(),
                },
                state,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(mut j, state)| {
            j.state = match state.as_str() {
                "Succeeded" => DownloadJobState::Succeeded,
                "Failed" => DownloadJobState::Failed,
                "Cancelled" => DownloadJobState::Cancelled,
                // A job no thread of this process runs was left by a process that stopped,
                // unless it ended between the read above and that check: read it again.
                _ if !is_running(site, j.id) => match settled_state(site, j.id).as_deref() {
                    Some("Succeeded") => DownloadJobState::Succeeded,
                    Some("Failed") => DownloadJobState::Failed,
                    Some("Cancelled") => DownloadJobState::Cancelled,
                    _ => DownloadJobState::Interrupted,
                },
                _ => DownloadJobState::Running,
            };
            j
        })
        .collect())
}

/// The job's recorded state now (a fresh read, for a job that just stopped running).
fn settled_state(site: &Site, job: i64) -> Option<String> {
    site.store()
        .reader()
        .query_row("SELECT state FROM download_jobs WHERE job_id = ?1", [job], |r| r.get(0))
        .ok()
}

// ---- commands ----

pub fn get(site: &Site, _actor: &Actor, args: IdArgs) -> Result<DownloadJob, ApiError> {
    get_job(site, args.id, true)
}

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<DownloadJob>, ApiError> {
    read_jobs(site, None)
}

/// Stops a running job after the piece in flight; its partial files stay for a resume.
pub fn cancel(site: &Site, actor: &Actor, args: IdArgs) -> Result<DownloadJob, ApiError> {
    let job = get_job(site, args.id, false)?;
    let flag = lock(running())
        .get(&(site.database_path(), args.id))
        .map(|r| r.cancel.clone());
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    match (flag, job.state) {
        (Some(flag), _) => flag.store(true, Ordering::SeqCst),
        (None, DownloadJobState::Interrupted) => finish(&tx, args.id, "Cancelled", Some("Cancelled."))?,
        (None, DownloadJobState::Running) => {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The download job {} runs in another Patchdeck process (such as `patchdeck download`); \
                     stop it there. Its partial files stay for a resume.",
                    args.id
                ),
            ))
        }
        _ => {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("The download job {} is not running (it is {:?}).", args.id, job.state),
            ))
        }
    }
    audit::record(&tx, actor, "content.download.cancel", &format!("job {}", args.id), "")?;
    tx.commit()?;
    drop(c);
    get_job(site, args.id, true)
}

/// Runs an interrupted, failed or cancelled job again: files not yet stored are fetched,
/// continuing their partial downloads.
pub fn resume(site: &Site, actor: &Actor, args: IdArgs) -> Result<DownloadJob, ApiError> {
    reopen(site, actor, args.id)?;
    spawn(site, args.id)?;
    get_job(site, args.id, true)
}

/// Marks a job to run again (the CLI then runs it in its own thread).
pub fn reopen(site: &Site, actor: &Actor, job: i64) -> Result<(), ApiError> {
    let current = get_job(site, job, false)?;
    if current.state == DownloadJobState::Running {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("The download job {job} is running already."),
        ));
    }
    if current.state == DownloadJobState::Succeeded {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("The download job {job} has finished; every file is in the library."),
        ));
    }
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    tx.execute(
        "UPDATE download_files SET state = 'Pending', error = NULL WHERE job_id = ?1 AND state <> 'Downloaded'",
        [job],
    )?;
    tx.execute(
        "UPDATE download_jobs SET state = 'Running', error = NULL, finished_utc = NULL WHERE job_id = ?1",
        [job],
    )?;
    audit::record(&tx, actor, "content.download.resume", &format!("job {job}"), "")?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;

    /// A one-request HTTP server: `answer` gets the request's Range header (if any) and
    /// returns the status line, extra headers and body. It hands back what it was asked.
    fn server(
        answer: impl Fn(Option<String>) -> (String, String, Vec<u8>) + Send + 'static,
    ) -> (String, std::thread::JoinHandle<Option<String>>) {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/Content/AB/file.cab", l.local_addr().expect("addr"));
        let h = std::thread::spawn(move || {
            let (mut s, _) = l.accept().expect("accept");
            let mut r = BufReader::new(s.try_clone().expect("clone"));
            let mut range = None;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("range:") {
                    range = Some(v.trim().to_string());
                }
            }
            let (status, headers, body) = answer(range.clone());
            let head = format!(
                "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            s.write_all(head.as_bytes()).expect("head");
            s.write_all(&body).expect("body");
            range
        });
        (url, h)
    }

    const FULL: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

    fn fetch(url: &str, partial: &Path) -> Result<(), FetchError> {
        let agent = crate::update_point::transport::HttpTransport::new().client();
        fetch_http_once(
            &agent,
            url,
            FULL.len() as i64,
            partial,
            &AtomicBool::new(false),
            &mut |_| {},
        )
    }

    /// The fetch fails with a message that contains `says`; `why` explains a failure.
    fn assert_refused(url: &str, partial: &Path, says: &str, why: &str) {
        match fetch(url, partial) {
            Err(FetchError::Failed(e)) => assert!(e.contains(says), "{e}"),
            _ => panic!("{why}"),
        }
    }

    /// A temporary directory holding `f.partial` with `bytes` already downloaded (none
    /// when `bytes` is None).
    fn partial_holding(bytes: Option<&[u8]>) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tmp");
        let partial = dir.path().join("f.partial");
        if let Some(b) = bytes {
            std::fs::write(&partial, b).expect("partial");
        }
        (dir, partial)
    }

    /// A 206 answer carrying `body` as the bytes of `range` (`first-last/total`).
    fn partial_content(range: &str, body: &[u8]) -> (String, String, Vec<u8>) {
        (
            "206 Partial Content".into(),
            format!("Content-Range: bytes {range}\r\n"),
            body.to_vec(),
        )
    }

    #[test]
    fn a_partial_file_continues_with_a_range_request() {
        let (_dir, partial) = partial_holding(Some(&FULL[..10]));
        let (url, h) = server(|_| partial_content("10-35/36", &FULL[10..]));
        assert!(fetch(&url, &partial).is_ok());
        assert_eq!(h.join().expect("server").as_deref(), Some("bytes=10-"));
        assert_eq!(std::fs::read(&partial).expect("read"), FULL);
    }

    #[test]
    fn a_server_ignoring_range_sends_the_whole_file_which_replaces_the_partial_one() {
        let (_dir, partial) = partial_holding(Some(b"XXXXXXXXXX"));
        let (url, h) = server(|_| ("200 OK".into(), String::new(), FULL.to_vec()));
        assert!(fetch(&url, &partial).is_ok());
        assert!(h.join().expect("server").is_some(), "a range was asked");
        assert_eq!(std::fs::read(&partial).expect("read"), FULL);
    }

    #[test]
    fn a_range_answer_from_elsewhere_is_refused() {
        let (_dir, partial) = partial_holding(Some(&FULL[..10]));
        let (url, h) = server(|_| partial_content("0-35/36", FULL));
        assert_refused(
            &url,
            &partial,
            "not from byte 10",
            "a range from byte 0 is not the continuation asked for",
        );
        let _ = h.join();
    }

    #[test]
    fn more_bytes_than_declared_are_refused() {
        let (_dir, partial) = partial_holding(None);
        let mut long = FULL.to_vec();
        long.extend_from_slice(b"extra");
        let (url, h) = server(move |_| ("200 OK".into(), String::new(), long.clone()));
        assert_refused(
            &url,
            &partial,
            "more than the 36 bytes",
            "an oversized answer is refused",
        );
        let _ = h.join();
    }

    #[test]
    fn language_neutral_files_always_come_and_others_only_in_a_chosen_language() {
        let chosen = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(wanted_for_languages("", &chosen(&["fr"])), "neutral");
        assert!(wanted_for_languages("fr,de", &chosen(&["en", "DE"])));
        assert!(!wanted_for_languages("fr,de", &chosen(&["en"])));
        assert!(wanted_for_languages("ja", &[]), "no choice means every language");
    }

    #[test]
    fn recorded_uss_urls_are_used_only_when_they_are_content_paths() {
        assert_eq!(uss_path(Some("Content/AB/X.cab"), "AB/Y.cab"), "Content/AB/X.cab");
        assert_eq!(uss_path(Some("/Content/AB/X.cab"), "AB/Y.cab"), "Content/AB/X.cab");
        assert_eq!(uss_path(Some("http://evil/x"), "AB/Y.cab"), "Content/AB/Y.cab");
        assert_eq!(uss_path(Some("Content/../site.db"), "AB/Y.cab"), "Content/AB/Y.cab");
        assert_eq!(uss_path(None, "AB/Y.cab"), "Content/AB/Y.cab");
    }
}
