//! One servicing run (SRV-3): copy the image into a working folder on the servicing drive,
//! mount each index with DISM, add each update's packages, commit, export every index to a
//! fresh WIM (dropping the payload the updates superseded), read the result back from the
//! image itself, and swap it in with one rename. Every step goes to the run's log; DISM's
//! own log is kept with it. Whatever happens, the working folder is removed at the end.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{params, Connection};
use wim::Wimlib;

use super::dism::{self, Outcome};
use super::{applicable, settings_of};
use crate::handle::Site;
use crate::wire::{OsImageIndex, ServicingLogSource, ServicingSettings, SiteEvent};

pub(super) fn log_line(c: &Connection, run: i64, source: ServicingLogSource, line: &str) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO servicing_log (run_id, seq, at_utc, source, line)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM servicing_log WHERE run_id = ?1), ?2, ?3, ?4)",
        params![
            run,
            crate::clock::now_utc(),
            match source {
                ServicingLogSource::Servicing => "Servicing",
                ServicingLogSource::Dism => "DISM",
            },
            line
        ],
    )?;
    Ok(())
}

/// Removes a run's working folder; true when it is gone.
pub(super) fn remove_working_folder(folder: &str) -> bool {
    if folder.is_empty() {
        return true;
    }
    let p = Path::new(folder);
    !p.exists() || std::fs::remove_dir_all(p).is_ok()
}

/// Where runs work (SRV-7): the configured drive or folder, or Automatic (the site's drive,
/// in the site folder) when it is Automatic or does not exist; the log says which.
pub(super) fn servicing_base(site: &Site, settings: &ServicingSettings) -> (PathBuf, String) {
    let automatic = crate::content::site_folder(site).join("servicing");
    let drive = settings.servicing_drive.trim();
    if drive.is_empty() || drive.eq_ignore_ascii_case("Automatic") {
        return (
            automatic.clone(),
            format!(
                "Servicing drive: Automatic (the site's drive), working in {}.",
                automatic.display()
            ),
        );
    }
    let given = Path::new(drive);
    if given.is_absolute() && given.is_dir() {
        let base = given.join("PatchdeckServicing");
        let note = format!("Servicing drive: {drive}, working in {}.", base.display());
        return (base, note);
    }
    (
        automatic.clone(),
        format!(
            "The servicing drive or folder '{drive}' does not exist; falling back to Automatic (the site's drive), working in {}.",
            automatic.display()
        ),
    )
}

struct Update {
    ord: i64,
    kb: String,
    title: String,
    architecture: &'static str,
    packages: Vec<PathBuf>,
    failed: Option<String>,
    applied: bool,
}

/// Why a run stopped before its end.
enum Stop {
    Cancelled,
    Failed(String),
}

struct Ctx<'a> {
    site: &'a Site,
    run: i64,
    cancel: &'a AtomicBool,
    dism: PathBuf,
    work: PathBuf,
    dism_log: PathBuf,
    dism_log_read: u64,
}

impl Ctx<'_> {
    fn log(&self, line: &str) {
        let c = self.site.store().writer();
        if let Err(e) = log_line(&c, self.run, ServicingLogSource::Servicing, line) {
            tracing::warn!(run = self.run, error = %e, "a servicing log line was not kept");
        }
        drop(c);
        self.site.emit(SiteEvent::Progress {
            job: format!("servicing-{}", self.run),
            done: 0,
            total: 1,
            message: line.to_string(),
        });
    }

    /// Copies what DISM added to its log since the last look into the run's DISM log.
    fn keep_dism_log(&mut self) {
        let Ok(mut f) = std::fs::File::open(&self.dism_log) else {
            return;
        };
        let mut text = String::new();
        if f.seek(SeekFrom::Start(self.dism_log_read)).is_err() || f.read_to_string(&mut text).is_err() {
            return;
        }
        self.dism_log_read += text.len() as u64;
        let c = self.site.store().writer();
        for l in text.lines().filter(|l| !l.trim().is_empty()) {
            let _ = log_line(&c, self.run, ServicingLogSource::Dism, l);
        }
    }

    /// Runs one DISM command; Err(Stop) on cancel, Ok(Err(reason)) when DISM failed.
    fn dism(&mut self, what: &str, args: Vec<String>) -> Result<Result<(), String>, Stop> {
        if self.cancel.load(Ordering::SeqCst) {
            return Err(Stop::Cancelled);
        }
        let mut args = args;
        args.push(format!("/LogPath:{}", self.dism_log.display()));
        args.push("/English".into());
        self.log(&format!("DISM {}", args.join(" ")));
        let out = dism::run(&self.dism, &args, self.cancel, |_| {});
        self.keep_dism_log();
        match out {
            Ok(Outcome::Done) => {
                self.log(&format!("{what}: the operation completed successfully."));
                Ok(Ok(()))
            }
            Ok(Outcome::Failed { code, reason }) => {
                let why = format!("{what} failed: Error {code}: {reason}");
                self.log(&why);
                Ok(Err(format!("Error {code}: {reason}")))
            }
            Ok(Outcome::Cancelled) => {
                self.log(&format!("{what}: DISM was stopped (cancel)."));
                Err(Stop::Cancelled)
            }
            Err(e) => {
                self.log(&e);
                Ok(Err(e))
            }
        }
    }

    fn mount_dir(&self) -> PathBuf {
        self.work.join("mount")
    }

    fn discard(&mut self) {
        let cancel = AtomicBool::new(false);
        let mut args = vec![
            "/Unmount-Image".to_string(),
            format!("/MountDir:{}", self.mount_dir().display()),
            "/Discard".into(),
            format!("/LogPath:{}", self.dism_log.display()),
        ];
        args.push("/English".into());
        self.log(&format!("DISM {}", args.join(" ")));
        let _ = dism::run(&self.dism, &args, &cancel, |_| {});
        self.keep_dism_log();
    }
}

fn set_state(site: &Site, run: i64, state: &str, detail: &str) {
    let c = site.store().writer();
    if let Err(e) = c.execute(
        "UPDATE servicing_runs SET state = ?2, detail = ?3, finished_utc = ?4 WHERE run_id = ?1",
        params![run, state, detail, crate::clock::now_utc()],
    ) {
        tracing::error!(run, error = %e, "the end of a servicing run was not recorded");
    }
    let _ = log_line(
        &c,
        run,
        ServicingLogSource::Servicing,
        &format!("Run ended: {state}. {detail}"),
    );
    drop(c);
    site.emit(SiteEvent::Progress {
        job: format!("servicing-{run}"),
        done: 1,
        total: 1,
        message: state.to_string(),
    });
}

/// Runs servicing run `run` to its end (called on the run's own thread).
pub(super) fn execute(site: &Site, run: i64, cancel: &AtomicBool) {
    let settings = settings_of(&site.store().reader());
    let (base, drive_note) = servicing_base(site, &settings);
    let work = base.join(format!("run-{run}"));
    {
        let c = site.store().writer();
        let _ = c.execute(
            "UPDATE servicing_runs SET working_folder = ?2 WHERE run_id = ?1",
            params![run, work.display().to_string()],
        );
    }
    let mut ctx = Ctx {
        site,
        run,
        cancel,
        dism: PathBuf::new(),
        dism_log: work.join("dism.log"),
        work: work.clone(),
        dism_log_read: 0,
    };
    ctx.log("Servicing run started.");
    ctx.log(&drive_note);
    let outcome = service(&mut ctx, &settings);
    let cleaned = remove_working_folder(&work.display().to_string());
    ctx.log(&if cleaned {
        format!("Working folder {} removed.", work.display())
    } else {
        format!(
            "The working folder {} could not be removed; delete it by hand.",
            work.display()
        )
    });
    match outcome {
        Ok(detail) => {
            let failed = detail.1;
            set_state(site, run, if failed { "Failed" } else { "Successful" }, &detail.0);
        }
        Err(Stop::Cancelled) => set_state(
            site,
            run,
            "Cancelled",
            "Cancelled while in progress: DISM was stopped, the copy discarded and the image left untouched.",
        ),
        Err(Stop::Failed(why)) => set_state(site, run, "Failed", &format!("{why} The image was left untouched.")),
    }
}

fn size_of(p: &Path) -> i64 {
    std::fs::metadata(p).map(|m| m.len() as i64).unwrap_or(0)
}

/// The run's steps; Ok((detail, some update failed)) once the image was replaced.
fn service(ctx: &mut Ctx<'_>, settings: &ServicingSettings) -> Result<(String, bool), Stop> {
    ctx.dism = dism::locate(&settings.dism_path).map_err(Stop::Failed)?;
    ctx.log(&format!("DISM: {}", ctx.dism.display()));
    let (image_id, wim_path, continue_on_error, redistribute, indexes, mut updates) =
        load_run(ctx.site, ctx.run).map_err(Stop::Failed)?;
    if let Some(missing) = updates.iter().find(|u| u.failed.is_some()) {
        if !continue_on_error {
            return Err(Stop::Failed(format!(
                "{} ({}): {}",
                missing.title,
                missing.kb,
                missing.failed.clone().unwrap_or_default()
            )));
        }
    }
    std::fs::create_dir_all(&ctx.work).map_err(|e| {
        Stop::Failed(format!(
            "The working folder {} cannot be made: {e}.",
            ctx.work.display()
        ))
    })?;
    let copy = ctx.work.join("image.wim");
    let original = PathBuf::from(&wim_path);
    ctx.log(&format!("Copying {} to {}.", original.display(), copy.display()));
    std::fs::copy(&original, &copy).map_err(|e| Stop::Failed(format!("Copying {wim_path} failed: {e}.")))?;
    let before = size_of(&copy);
    record_sizes(ctx, "bytes_before", before);
    ctx.log(&format!("Copied: {before} bytes."));

    for index in &indexes {
        let wanted: Vec<usize> = updates
            .iter()
            .enumerate()
            .filter(|(_, u)| u.failed.is_none() && (u.architecture.is_empty() || u.architecture == index.architecture))
            .map(|(i, _)| i)
            .collect();
        if wanted.is_empty() {
            ctx.log(&format!(
                "Index {} ({}): no chosen update applies.",
                index.index, index.architecture
            ));
            continue;
        }
        let mount = ctx.mount_dir();
        let _ = std::fs::create_dir_all(&mount);
        let mounted = ctx.dism(
            &format!("Mount index {}", index.index),
            vec![
                "/Mount-Image".into(),
                format!("/ImageFile:{}", copy.display()),
                format!("/Index:{}", index.index),
                format!("/MountDir:{}", mount.display()),
            ],
        )?;
        if let Err(why) = mounted {
            return Err(Stop::Failed(format!(
                "Index {} could not be mounted: {why}.",
                index.index
            )));
        }
        for i in wanted {
            let u = &updates[i];
            let mut failure = None;
            for package in &u.packages {
                let step = ctx.dism(
                    &format!(
                        "Add {} ({})",
                        u.kb,
                        package.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    vec![
                        format!("/Image:{}", mount.display()),
                        "/Add-Package".into(),
                        format!("/PackagePath:{}", package.display()),
                    ],
                );
                match step {
                    Err(stop) => {
                        ctx.discard();
                        return Err(stop);
                    }
                    Ok(Err(why)) => {
                        failure = Some(why);
                        break;
                    }
                    Ok(Ok(())) => {}
                }
            }
            let u = &mut updates[i];
            match failure {
                Some(why) if !continue_on_error => {
                    ctx.discard();
                    mark(ctx, u.ord, "Failed", &why);
                    return Err(Stop::Failed(format!(
                        "{} ({}) could not be added: {why}.",
                        u.title, u.kb
                    )));
                }
                Some(why) => {
                    ctx.log(&format!("{} failed; continuing (continue on error is set).", u.kb));
                    u.failed = Some(why);
                }
                None => u.applied = true,
            }
        }
        let committed = ctx.dism(
            &format!("Commit index {}", index.index),
            vec![
                "/Unmount-Image".into(),
                format!("/MountDir:{}", mount.display()),
                "/Commit".into(),
            ],
        );
        match committed {
            Err(stop) => {
                ctx.discard();
                return Err(stop);
            }
            Ok(Err(why)) => {
                ctx.discard();
                return Err(Stop::Failed(format!(
                    "Index {} could not be committed: {why}.",
                    index.index
                )));
            }
            Ok(Ok(())) => {}
        }
    }
    for u in &updates {
        match &u.failed {
            Some(why) => mark(ctx, u.ord, "Failed", why),
            None if !u.applied => mark(
                ctx,
                u.ord,
                "NotApplied",
                "No index of the image has this update's architecture.",
            ),
            None => {}
        }
    }
    if !updates.iter().any(|u| u.applied) {
        return Err(Stop::Failed("No update was added.".into()));
    }
    let committed = size_of(&copy);
    record_sizes(ctx, "bytes_committed", committed);
    ctx.log(&format!(
        "Committed copy: {committed} bytes (the new payload appended, the superseded one still in it)."
    ));

    let fresh = ctx.work.join("fresh.wim");
    for index in &indexes {
        let exported = ctx.dism(
            &format!("Export index {}", index.index),
            vec![
                "/Export-Image".into(),
                format!("/SourceImageFile:{}", copy.display()),
                format!("/SourceIndex:{}", index.index),
                format!("/DestinationImageFile:{}", fresh.display()),
            ],
        )?;
        if let Err(why) = exported {
            return Err(Stop::Failed(format!(
                "Index {} could not be exported: {why}.",
                index.index
            )));
        }
    }
    let after = size_of(&fresh);
    record_sizes(ctx, "bytes_after", after);
    ctx.log(&format!(
        "Exported to a fresh image: {after} bytes ({} bytes of superseded payload dropped).",
        committed - after
    ));

    // What the image holds now, read from the image itself.
    let wimlib = Wimlib::default();
    let info = wimlib
        .info(&fresh)
        .map_err(|e| Stop::Failed(format!("The serviced image cannot be read back: {e}.")))?;
    let mut read_back = Vec::new();
    for image in &info.images {
        let packages = wimlib
            .packages(&fresh, image.index)
            .map_err(|e| Stop::Failed(format!("The serviced image's packages cannot be read back: {e}.")))?;
        read_back.push((image.index, packages));
    }
    for u in updates.iter_mut().filter(|u| u.applied) {
        let holds = read_back
            .iter()
            .any(|(_, ps)| ps.iter().any(|p| p.kb.as_deref() == Some(u.kb.as_str())));
        if !holds {
            let why = "DISM said it was added, but the image read back does not hold it.".to_string();
            ctx.log(&format!("{}: {why}", u.kb));
            u.applied = false;
            u.failed = Some(why);
        }
    }
    if ctx.cancel.load(Ordering::SeqCst) {
        return Err(Stop::Cancelled);
    }
    // The swap: a full copy beside the original, then one rename over it.
    let staged = original.with_file_name(format!(
        ".{}.patchdeck-{}",
        original.file_name().unwrap_or_default().to_string_lossy(),
        ctx.run
    ));
    let swapped = std::fs::copy(&fresh, &staged)
        .and_then(|_| std::fs::File::open(&staged)?.sync_all())
        .and_then(|_| std::fs::rename(&staged, &original));
    if let Err(e) = swapped {
        let _ = std::fs::remove_file(&staged);
        return Err(Stop::Failed(format!(
            "The serviced image could not replace {wim_path}: {e}."
        )));
    }
    ctx.log(&format!("The serviced image replaced {wim_path}."));
    record_result(ctx, image_id, &info, &read_back, &updates).map_err(Stop::Failed)?;
    if redistribute {
        crate::images::distribution::redistribute(ctx.site, image_id, &|line| ctx.log(line));
    }
    let applied: Vec<&str> = updates.iter().filter(|u| u.applied).map(|u| u.kb.as_str()).collect();
    let failed: Vec<String> = updates
        .iter()
        .filter_map(|u| u.failed.as_ref().map(|w| format!("{} ({w})", u.kb)))
        .collect();
    let mut detail = format!(
        "Applied {} of {} updates: {}.",
        applied.len(),
        updates.len(),
        applied.join(", ")
    );
    if !failed.is_empty() {
        detail.push_str(&format!(" Failed: {}.", failed.join("; ")));
    }
    Ok((detail, !failed.is_empty()))
}

type Loaded = (i64, String, bool, bool, Vec<OsImageIndex>, Vec<Update>);

fn load_run(site: &Site, run: i64) -> Result<Loaded, String> {
    let c = site.store().reader();
    let library = crate::content::library_root(site);
    let err = |e: rusqlite::Error| format!("The run cannot be read: {e}.");
    let (image_id, wim_path, continue_on_error, redistribute): (i64, String, bool, bool) = c
        .query_row(
            "SELECT r.image_id, o.wim_path, r.continue_on_error, r.redistribute
             FROM servicing_runs r JOIN os_images o ON o.image_id = r.image_id WHERE r.run_id = ?1",
            [run],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(err)?;
    let indexes = super::super::indexes(&c, image_id).map_err(|e| e.message)?;
    let mut stmt = c
        .prepare("SELECT ord, update_id, title, kb FROM servicing_run_updates WHERE run_id = ?1 ORDER BY ord")
        .map_err(err)?;
    let rows = stmt
        .query_map([run], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(err)?;
    let mut updates = Vec::new();
    for (ord, update_id, title, kb) in rows {
        let mut failed = None;
        let mut packages = Vec::new();
        match applicable::chosen(&c, &update_id) {
            Err(e) => failed = Some(e.message),
            Ok(u) => {
                for f in applicable::files(&c, u.upd_pk, &library).map_err(|e| e.message)? {
                    match f.path {
                        Some(p) => packages.push(p),
                        None => {
                            failed = Some(format!(
                                "its file {} is no longer in the content library; download it, then schedule again",
                                f.file_name
                            ))
                        }
                    }
                }
            }
        }
        updates.push(Update {
            ord,
            architecture: applicable::architecture_of(&title),
            kb,
            title,
            packages,
            failed,
            applied: false,
        });
    }
    Ok((image_id, wim_path, continue_on_error, redistribute, indexes, updates))
}

fn record_sizes(ctx: &Ctx<'_>, column: &str, bytes: i64) {
    let c = ctx.site.store().writer();
    let _ = c.execute(
        &format!("UPDATE servicing_runs SET {column} = ?2 WHERE run_id = ?1"),
        params![ctx.run, bytes],
    );
}

fn mark(ctx: &Ctx<'_>, ord: i64, state: &str, detail: &str) {
    let c = ctx.site.store().writer();
    let _ = c.execute(
        "UPDATE servicing_run_updates SET state = ?3, detail = ?4 WHERE run_id = ?1 AND ord = ?2",
        params![ctx.run, ord, state, detail],
    );
}

/// What the image holds after the swap: its size, each index's size, and the packages
/// the run added (source: the run), with the run's update states, in one transaction.
fn record_result(
    ctx: &Ctx<'_>,
    image_id: i64,
    info: &wim::WimInfo,
    read_back: &[(u32, Vec<wim::PackageManifest>)],
    updates: &[Update],
) -> Result<(), String> {
    let now = crate::clock::now_utc();
    let source = format!("{}{}", super::RUN_SOURCE_PREFIX, ctx.run);
    let mut c = ctx.site.store().writer();
    let go = |c: &mut Connection| -> rusqlite::Result<()> {
        let tx = c.transaction()?;
        tx.execute(
            "UPDATE os_images SET file_bytes = ?2 WHERE image_id = ?1",
            params![image_id, i64::try_from(info.file_bytes).unwrap_or(i64::MAX)],
        )?;
        for image in &info.images {
            tx.execute(
                "UPDATE os_image_indexes SET total_bytes = ?3 WHERE image_id = ?1 AND idx = ?2",
                params![
                    image_id,
                    image.index,
                    i64::try_from(image.total_bytes).unwrap_or(i64::MAX)
                ],
            )?;
        }
        for (index, packages) in read_back {
            super::super::insert_packages(&tx, image_id, *index, packages, &source, &now)?;
        }
        for u in updates.iter().filter(|u| u.applied) {
            tx.execute(
                "UPDATE servicing_run_updates SET state = 'Installed', detail = '' WHERE run_id = ?1 AND ord = ?2",
                params![ctx.run, u.ord],
            )?;
        }
        for u in updates.iter().filter(|u| u.failed.is_some()) {
            tx.execute(
                "UPDATE servicing_run_updates SET state = 'Failed', detail = ?3 WHERE run_id = ?1 AND ord = ?2",
                params![ctx.run, u.ord, u.failed.clone().unwrap_or_default()],
            )?;
        }
        tx.commit()
    };
    go(&mut c).map_err(|e| format!("The image was replaced but its record could not be updated: {e}."))
}
