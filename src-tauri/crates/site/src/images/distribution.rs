//! OS images and upgrade packages on distribution points (issue 17, OSP-2), through the
//! content path deployment packages use (an upgrade package as its whole setup folder:
//! `setup_folder.rs`): the image file goes under the point's `Content/`
//! as `<XX>/<SHA1HEX>.wim` (the library's layout, so a remote point's upload check by name
//! applies unchanged), a folder copy renamed into place only once its digests match, a
//! remote upload streamed with its SHA-256 declared.
//!
//! The file's digests are computed once by streaming it and kept with the size and
//! modification time they describe; a copy already at the point with those digests (folder)
//! or that size under that digest's name (remote) is not sent again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rusqlite::{params, Connection, OptionalExtension};

use super::setup_folder::{self, Piece};
use crate::audit;
use crate::content::distribution::{put_in_folder, state_named, targets, PutError, Remote};
use crate::handle::{Actor, Site};
use crate::wire::{
    ApiError, DistributeOsImageArgs, DistributionPoint, DistributionPointKind, DistributionState, ErrorCode,
    OsImageDistribution, OsImageDistributionStatusArgs, OsImageKind, SiteEvent,
};

/// Sends running in this process, by (database, image, distribution point). A row left
/// InProgress by a process that stopped reads as Failed (interrupted).
type Sending = Mutex<HashSet<(PathBuf, i64, i64)>>;

fn sending() -> &'static Sending {
    static S: OnceLock<Sending> = OnceLock::new();
    S.get_or_init(Default::default)
}

const INTERRUPTED: &str = "Interrupted: the copy stopped with the process that ran it; distribute the image again.";

struct Image {
    id: i64,
    kind: OsImageKind,
    name: String,
    wim_path: String,
    /// The upgrade package's setup folder (the file itself for an OS image).
    source_path: String,
}

fn image(site: &Site, id: i64) -> Result<Image, ApiError> {
    site.store()
        .reader()
        .query_row(
            "SELECT kind, name, wim_path, source_path FROM os_images WHERE image_id = ?1",
            [id],
            |r| {
                let kind: String = r.get(0)?;
                Ok(Image {
                    id,
                    kind: if kind == "UpgradePackage" {
                        OsImageKind::UpgradePackage
                    } else {
                        OsImageKind::Image
                    },
                    name: r.get(1)?,
                    wim_path: r.get(2)?,
                    source_path: r.get(3)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("There is no OS image or upgrade package {id}."),
            )
        })
}

/// Claims (image, point) pairs for this process; false when one is being sent already.
fn claim(site: &Site, image: i64, dps: &[i64]) -> bool {
    let db = site.database_path();
    let mut running = sending().lock().unwrap_or_else(|p| p.into_inner());
    if dps.iter().any(|d| running.contains(&(db.clone(), image, *d))) {
        return false;
    }
    running.extend(dps.iter().map(|d| (db.clone(), image, *d)));
    true
}

fn release(site: &Site, image: i64, dp: i64) {
    sending()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&(site.database_path(), image, dp));
}

fn set_state(
    c: &Connection,
    image: i64,
    dp: i64,
    state: &str,
    detail: &str,
    path: Option<&str>,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO os_image_distribution (image_id, dp_id, state, detail, path, updated_utc)
         VALUES (?1, ?2, ?3, ?4, COALESCE(?5, ''), ?6)
         ON CONFLICT(image_id, dp_id) DO UPDATE SET state = excluded.state, detail = excluded.detail,
             path = COALESCE(?5, path), updated_utc = excluded.updated_utc",
        params![image, dp, state, detail, path, crate::clock::now_utc()],
    )?;
    Ok(())
}

/// Distribute Content: starts sending the image to the points named (all when none is);
/// each point's state shows in os_image_distribution_status.
pub fn distribute(
    site: &Site,
    actor: &Actor,
    args: DistributeOsImageArgs,
) -> Result<Vec<OsImageDistribution>, ApiError> {
    let image = image(site, args.image_id)?;
    let points = targets(site, &args.distribution_point_ids)?;
    if points.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "Add a distribution point first (Content › Distribution Points), then distribute the image to it.",
        ));
    }
    let ids: Vec<i64> = points.iter().map(|d| d.id).collect();
    if !claim(site, image.id, &ids) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "'{}' is being copied to one of these distribution points already.",
                image.name
            ),
        ));
    }
    let recorded = (|| -> Result<(), ApiError> {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        for d in &points {
            set_state(&tx, image.id, d.id, "InProgress", "", None)?;
            audit::record(
                &tx,
                actor,
                match image.kind {
                    OsImageKind::Image => "os_image.distribute",
                    OsImageKind::UpgradePackage => "os_upgrade_package.distribute",
                },
                &image.name,
                &format!("to {} ({})", d.name, d.location),
            )?;
        }
        tx.commit()?;
        Ok(())
    })();
    if let Err(e) = recorded {
        for d in &ids {
            release(site, image.id, *d);
        }
        return Err(e);
    }
    let worker = site.clone();
    let image_id = image.id;
    std::thread::Builder::new()
        .name(format!("distribute-os-image-{image_id}"))
        .spawn(move || {
            for d in points {
                send_and_record(&worker, image_id, &d);
            }
        })
        .map_err(|e| {
            for d in &ids {
                release(site, image_id, *d);
            }
            ApiError::internal(format!("The distribution could not start: {e}"))
        })?;
    status(site, actor, OsImageDistributionStatusArgs { image_id })
}

/// Sends the image to one claimed point, records the outcome and releases the claim.
fn send_and_record(site: &Site, image_id: i64, d: &DistributionPoint) -> (DistributionState, String) {
    let previous: Option<String> = site
        .store()
        .reader()
        .query_row(
            "SELECT path FROM os_image_distribution WHERE image_id = ?1 AND dp_id = ?2",
            params![image_id, d.id],
            |r| r.get::<_, String>(0),
        )
        .optional()
        .ok()
        .flatten()
        .filter(|p| !p.is_empty());
    let (state, detail, path) = match send(site, image_id, d) {
        Ok(sent) => {
            let mut detail = sent.detail(&d.location);
            // The point drops what an earlier version left there once the new one is in
            // place, so it holds exactly the current image (or folder).
            if let Some(old) = previous.as_deref().filter(|old| *old != sent.path) {
                if let Err(e) = drop_previous(site, d, old, &sent.held) {
                    detail.push_str(&format!("; the earlier version stays on the point: {e}"));
                }
            }
            (DistributionState::Installed, detail, Some(sent.path))
        }
        Err(e) => (DistributionState::Failed, e, None),
    };
    let word = if state == DistributionState::Installed {
        "Installed"
    } else {
        "Failed"
    };
    if let Err(e) = set_state(&site.store().writer(), image_id, d.id, word, &detail, path.as_deref()) {
        tracing::error!(error = %e, "OS image distribution state not recorded");
    }
    release(site, image_id, d.id);
    site.emit(SiteEvent::Progress {
        job: format!("distribute-os-image:{image_id}:{}", d.id),
        done: 1,
        total: 1,
        message: format!("{word}: {detail}"),
    });
    (state, detail)
}

/// The image file's SHA-1 and SHA-256 (base64), hashed again only when the file changed.
fn digests(site: &Site, image_id: i64, wim: &Path) -> Result<(String, String), String> {
    let (_, of) = setup_folder::file_version(wim).map_err(|e| format!("the image file {e}"))?;
    let kept: Option<(Option<String>, Option<String>, Option<String>)> = site
        .store()
        .reader()
        .query_row(
            "SELECT sha1, sha256, digest_of FROM os_images WHERE image_id = ?1",
            [image_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(|e| format!("the image's digests cannot be read: {e}"))?;
    if let Some((Some(sha1), Some(sha256), Some(k))) = kept {
        if k == of {
            return Ok((sha1, sha256));
        }
    }
    let (sha1, sha256) =
        crate::content::digests_of(wim).map_err(|e| format!("the image file {} cannot be read: {e}", wim.display()))?;
    site.store()
        .writer()
        .execute(
            "UPDATE os_images SET sha1 = ?2, sha256 = ?3, digest_of = ?4 WHERE image_id = ?1",
            params![image_id, sha1, sha256, of],
        )
        .map_err(|e| format!("the image's digests cannot be kept: {e}"))?;
    Ok((sha1, sha256))
}

/// What one point got: the row's path (the image file, or an upgrade package's manifest),
/// every content file the point now holds for the image, and how many were sent.
struct Sent {
    path: String,
    held: HashSet<String>,
    files: usize,
    sent: usize,
    bytes: u64,
}

impl Sent {
    fn detail(&self, location: &str) -> String {
        let at = format!("{location}/Content/{}", self.path);
        match (self.files, self.sent) {
            (1, 1) => format!("copied and verified at {at}"),
            (1, _) => format!("already present and verified at {at}; not sent again"),
            (n, 0) => format!("all {n} files of the setup folder already present and verified (manifest {at}); not sent again"),
            (n, k) => format!(
                "{n} files of the setup folder ({} bytes) on the point, {k} sent and verified, {} already there; manifest {at}",
                self.bytes,
                n - k
            ),
        }
    }
}

/// Puts the image on one point: an OS image's file, or an upgrade package's whole setup
/// folder and its manifest (the manifest last, so a point holding it holds every file).
fn send(site: &Site, image_id: i64, d: &DistributionPoint) -> Result<Sent, String> {
    let image = image(site, image_id).map_err(|e| e.message)?;
    let folder;
    let single;
    // The files, then (for a folder) its manifest: sent last, so a point holding the
    // manifest holds every file it names.
    let (files, manifest): (Vec<&Piece>, Option<&Piece>) = match image.kind {
        OsImageKind::UpgradePackage => {
            folder = setup_folder::prepare(site, image_id, &image.name, Path::new(&image.source_path))?;
            (folder.files.iter().collect(), Some(&folder.manifest))
        }
        OsImageKind::Image => {
            single = image_file(site, &image)?;
            (vec![&single], None)
        }
    };
    let remote = match d.kind {
        DistributionPointKind::Remote => {
            let r = Remote::new(site, d)?;
            r.check_token()?;
            Some(r)
        }
        DistributionPointKind::Folder => None,
    };
    let put = |p: &Piece| -> Result<bool, String> {
        match &remote {
            Some(r) => r.put(&p.src, &p.rel, &p.file_name, p.size, Some(&p.sha256)),
            None => put_in_folder(
                &p.src,
                &Path::new(&d.location).join("Content"),
                &p.rel,
                &p.file_name,
                &p.sha1,
                Some(&p.sha256),
            )
            .map_err(|e| match e {
                PutError::Mismatch(e) => format!(
                    "the copy of {} at {} does not match the source ({e}); it was removed. \
                     The file may be changing: distribute it again once nothing writes to it.",
                    p.file_name, d.location
                ),
                PutError::Io(e) => e,
            }),
        }
    };
    let mut sent = 0;
    for (i, p) in files.iter().enumerate() {
        sent += usize::from(put(p)?);
        if manifest.is_some() {
            site.emit(SiteEvent::Progress {
                job: format!("distribute-os-image:{image_id}:{}", d.id),
                done: (i + 1) as i64,
                total: files.len() as i64,
                message: p.file_name.clone(),
            });
        }
    }
    if let Some(m) = manifest {
        put(m)?;
    }
    let named = manifest
        .or(files.first().copied())
        .ok_or_else(|| "nothing to send".to_string())?;
    Ok(Sent {
        path: named.rel.clone(),
        held: files.iter().chain(manifest.iter()).map(|p| p.rel.clone()).collect(),
        files: files.len(),
        sent,
        bytes: files.iter().map(|p| p.size).sum(),
    })
}

/// Removes from a point what an earlier version of the image left there (the old image file,
/// or an old manifest and the files it names) and the new one does not hold. The error names
/// what stays.
fn drop_previous(site: &Site, d: &DistributionPoint, old: &str, held: &HashSet<String>) -> Result<(), String> {
    let is_manifest = old.ends_with(".json");
    match d.kind {
        DistributionPointKind::Folder => {
            let root = Path::new(&d.location).join("Content");
            let text = if is_manifest {
                std::fs::read_to_string(root.join(old)).ok()
            } else {
                None
            };
            let mut stays = Vec::new();
            for rel in setup_folder::held_by(old, text.as_deref()) {
                if held.contains(&rel) {
                    continue;
                }
                match std::fs::remove_file(root.join(&rel)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => stays.push(format!("{rel} ({e})")),
                }
            }
            if stays.is_empty() {
                Ok(())
            } else {
                Err(stays.join(", "))
            }
        }
        DistributionPointKind::Remote => {
            let remote = Remote::new(site, d)?;
            let text = if is_manifest { remote.fetch_text(old)? } else { None };
            let mut stays = Vec::new();
            for rel in setup_folder::held_by(old, text.as_deref()) {
                if !held.contains(&rel) {
                    if let Err(e) = remote.remove(&rel) {
                        stays.push(e);
                    }
                }
            }
            if stays.is_empty() {
                Ok(())
            } else {
                Err(stays.join("; "))
            }
        }
    }
}

/// The image file of an OS image, with its kept digests.
fn image_file(site: &Site, image: &Image) -> Result<Piece, String> {
    let wim = PathBuf::from(&image.wim_path);
    let (sha1, sha256) = digests(site, image.id, &wim)?;
    let file_name = wim
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "install.wim".into());
    let rel = crate::content::relative_path(&sha1, &file_name)
        .ok_or_else(|| format!("{file_name} has no name a distribution point can hold"))?;
    let size = std::fs::metadata(&wim)
        .map_err(|e| format!("the image file {} cannot be read: {e}", wim.display()))?
        .len();
    Ok(Piece {
        src: wim,
        file_name,
        rel,
        size,
        sha1,
        sha256,
    })
}

/// After a servicing run: sends the new image to every point that held it, one point after
/// the other, and logs each point's outcome.
pub(crate) fn redistribute(site: &Site, image_id: i64, log: &dyn Fn(&str)) {
    let held = match status(
        site,
        &Actor::new("internal"),
        OsImageDistributionStatusArgs { image_id },
    ) {
        Ok(rows) => rows,
        Err(e) => {
            log(&format!(
                "Update distribution points: the image's points cannot be read: {}",
                e.message
            ));
            return;
        }
    };
    if held.is_empty() {
        log("Update distribution points: this image is on no distribution point; nothing to redistribute.");
        return;
    }
    let points = match targets(site, &held.iter().map(|h| h.dp_id).collect::<Vec<_>>()) {
        Ok(p) => p,
        Err(e) => {
            log(&format!("Update distribution points: {}", e.message));
            return;
        }
    };
    for d in points {
        if !claim(site, image_id, &[d.id]) {
            log(&format!(
                "Update distribution points: {}: a copy to it is running already; distribute the image again once it ends.",
                d.name
            ));
            continue;
        }
        if let Err(e) = set_state(&site.store().writer(), image_id, d.id, "InProgress", "", None) {
            release(site, image_id, d.id);
            log(&format!("Update distribution points: {}: not started ({e}).", d.name));
            continue;
        }
        let (state, detail) = send_and_record(site, image_id, &d);
        log(&format!("Update distribution points: {}: {state:?}: {detail}.", d.name));
    }
}

/// The image's state on each point it was sent to.
pub fn status(
    site: &Site,
    _actor: &Actor,
    args: OsImageDistributionStatusArgs,
) -> Result<Vec<OsImageDistribution>, ApiError> {
    image(site, args.image_id)?;
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT od.image_id, o.name, od.dp_id, d.name, od.state, od.detail, od.path, od.updated_utc
         FROM os_image_distribution od JOIN os_images o ON o.image_id = od.image_id
         JOIN distribution_points d ON d.dp_id = od.dp_id
         WHERE od.image_id = ?1 ORDER BY d.name",
    )?;
    let rows = stmt
        .query_map([args.image_id], |r| {
            let state: String = r.get(4)?;
            Ok(OsImageDistribution {
                image_id: r.get(0)?,
                image_name: r.get(1)?,
                dp_id: r.get(2)?,
                dp_name: r.get(3)?,
                state: state_named(&state),
                detail: r.get(5)?,
                path: r.get(6)?,
                updated_utc: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let db = site.database_path();
    let running = sending().lock().unwrap_or_else(|p| p.into_inner());
    Ok(rows
        .into_iter()
        .map(|mut r| {
            if r.state == DistributionState::InProgress && !running.contains(&(db.clone(), r.image_id, r.dp_id)) {
                r.state = DistributionState::Failed;
                r.detail = INTERRUPTED.into();
            }
            r
        })
        .collect())
}
