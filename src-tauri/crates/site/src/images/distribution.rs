//! OS images and upgrade packages on distribution points (issue 17, OSP-2), through the
//! content path deployment packages use: the image file goes under the point's `Content/`
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
use std::time::UNIX_EPOCH;

use rusqlite::{params, Connection, OptionalExtension};

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
}

fn image(site: &Site, id: i64) -> Result<Image, ApiError> {
    site.store()
        .reader()
        .query_row(
            "SELECT kind, name, wim_path FROM os_images WHERE image_id = ?1",
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
        Ok((rel, sent)) => {
            // A folder point drops the image's earlier version once the new one is in place.
            if let (Some(old), DistributionPointKind::Folder) = (previous.as_deref(), d.kind) {
                if old != rel {
                    let _ = std::fs::remove_file(Path::new(&d.location).join("Content").join(old));
                }
            }
            let detail = if sent {
                format!("copied and verified at {}/Content/{rel}", d.location)
            } else {
                format!(
                    "already present and verified at {}/Content/{rel}; not sent again",
                    d.location
                )
            };
            (DistributionState::Installed, detail, Some(rel))
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
    let meta = std::fs::metadata(wim).map_err(|e| format!("the image file {} cannot be read: {e}", wim.display()))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let of = format!("{}:{mtime}", meta.len());
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

/// Puts the image on one point: its path under Content/ and whether bytes were sent.
fn send(site: &Site, image_id: i64, d: &DistributionPoint) -> Result<(String, bool), String> {
    let image = image(site, image_id).map_err(|e| e.message)?;
    let wim = PathBuf::from(&image.wim_path);
    let (sha1, sha256) = digests(site, image_id, &wim)?;
    let file_name = wim
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "install.wim".into());
    let rel = crate::content::relative_path(&sha1, &file_name)
        .ok_or_else(|| format!("{file_name} has no name a distribution point can hold"))?;
    let sent = match d.kind {
        DistributionPointKind::Folder => put_in_folder(
            &wim,
            &Path::new(&d.location).join("Content"),
            &rel,
            &file_name,
            &sha1,
            Some(&sha256),
        )
        .map_err(|e| match e {
            PutError::Mismatch(e) => format!(
                "the copy of {file_name} at {} does not match the image ({e}); it was removed. \
                 The image file may be changing: distribute it again once nothing writes to it.",
                d.location
            ),
            PutError::Io(e) => e,
        })?,
        DistributionPointKind::Remote => {
            let remote = Remote::new(site, d)?;
            remote.check_token()?;
            remote.put(
                &wim,
                &rel,
                &file_name,
                std::fs::metadata(&wim).map(|m| m.len()).unwrap_or(0),
                Some(&sha256),
            )?
        }
    };
    Ok((rel, sent))
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
