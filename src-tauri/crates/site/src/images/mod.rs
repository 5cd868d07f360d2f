//! OS images and OS upgrade packages (issue 17, points 1 and 2): the WIM files the site
//! keeps, every image index they hold and the updates present in each, read from the image
//! itself with wimlib (the `wim` crate) and matched to catalog updates by KB number.
//!
//! Reading happens before the write transaction: a file that is not absolute, not a WIM,
//! damaged, or a folder without setup.exe is refused with the reason and nothing recorded.
//! Offline servicing (the Schedule Updates wizard and its runs) is `servicing/`;
//! distribution points (OSP-2) are `distribution.rs`.

mod applicable;
pub mod distribution;
mod read;
pub mod servicing;
mod setup_folder;

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection, OptionalExtension};

use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::{
    AddOsImageArgs, AddOsUpgradePackageArgs, ApiError, EditOsImageArgs, ErrorCode, IdArgs, InspectOsImageArgs, NoArgs,
    OsImage, OsImageCatalogMatch, OsImageDetails, OsImageIndex, OsImageInspection, OsImageKind, OsImagePackage,
};

use read::{read_image, read_source, ReadImage};

/// What a source holds, read without recording anything (the wizards' Data Source page).
pub fn inspect(_site: &Site, _actor: &Actor, args: InspectOsImageArgs) -> Result<OsImageInspection, ApiError> {
    let (wim_path, info) = read_source(args.kind, &args.path)?;
    Ok(OsImageInspection {
        wim_path: wim_path.display().to_string(),
        file_bytes: read::bytes(info.file_bytes),
        indexes: info.images.iter().map(read::index_of).collect(),
    })
}

/// Under the site folder: images uploaded from a browser console, one folder per upload.
const IMAGE_FOLDER: &str = "os-images";

/// Add Operating System Image: reads every index of the WIM and the packages each holds,
/// then records them (audited). A file a browser uploaded is read where it arrived, then
/// becomes the image's file in the site's image folder.
pub fn add_image(site: &Site, actor: &Actor, args: AddOsImageArgs) -> Result<OsImageDetails, ApiError> {
    let path = args.path.trim().to_string();
    let upload = crate::content::upload_folders::upload_folder_of(site, &path);
    let mut read = match read_image(OsImageKind::Image, &path) {
        Ok(read) => read,
        Err(e) => {
            // An upload wimlib cannot read is of no use to a later try: nothing of it stays.
            if upload.is_some() && e.code == ErrorCode::Validation {
                crate::content::upload_folders::forget(site, &path);
            }
            return Err(e);
        }
    };
    let first = read
        .indexes
        .first()
        .map(|i| (i.name.clone(), i.version.clone()))
        .unwrap_or_default();
    let name = args
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or(first.0);
    let version = args
        .version
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or(first.1);
    let description = args.description.unwrap_or_default();
    let add = |source: &str, read: &ReadImage| {
        record(
            site,
            actor,
            OsImageKind::Image,
            &name,
            &version,
            &description,
            source,
            read,
        )
    };
    let Some(upload) = upload else {
        return details(site, add(&path, &read)?);
    };
    let kept = keep_upload(site, &path, &upload)?;
    read.wim_path = kept.display().to_string();
    match add(&read.wim_path, &read) {
        Ok(id) => {
            crate::content::upload_folders::forget(site, &path);
            details(site, id)
        }
        Err(e) => {
            // Refused (a name taken): the upload goes back where it was, for the wizard to
            // try again with another name without sending the file again.
            if let Err(back) = std::fs::rename(&kept, &path) {
                tracing::warn!(error = %back, file = %kept.display(), "an uploaded image could not be moved back");
            }
            if let Some(folder) = kept.parent() {
                let _ = std::fs::remove_dir(folder);
            }
            Err(e)
        }
    }
}

/// Moves an uploaded image into the site's image folder (same disk: a rename), in a folder
/// named after the upload so two images of one file name do not meet.
fn keep_upload(site: &Site, path: &str, upload: &std::path::Path) -> Result<std::path::PathBuf, ApiError> {
    let file = std::path::Path::new(path);
    let (Some(id), Some(name)) = (upload.file_name(), file.file_name()) else {
        return Err(ApiError::internal(format!("{path} is not an uploaded file")));
    };
    let folder = crate::content::site_folder(site).join(IMAGE_FOLDER).join(id);
    std::fs::create_dir_all(&folder).map_err(|e| ApiError::internal(format!("creating {}: {e}", folder.display())))?;
    let kept = folder.join(name);
    std::fs::rename(file, &kept)
        .map_err(|e| ApiError::internal(format!("moving {path} to {}: {e}", kept.display())))?;
    Ok(kept)
}

/// Whether a file is one the site keeps itself (uploaded from a browser), rather than the
/// administrator's own file, which deleting the image leaves alone.
fn kept_by_site(site: &Site, wim_path: &str) -> Option<std::path::PathBuf> {
    let root = crate::content::site_folder(site).join(IMAGE_FOLDER);
    let folder = std::path::Path::new(wim_path).parent()?;
    (folder.parent() == Some(root.as_path())).then(|| folder.to_path_buf())
}

/// Add Operating System Upgrade Package: the folder must hold setup.exe and
/// sources/install.wim or .esd; the install image is read as for an OS image.
pub fn add_upgrade_package(
    site: &Site,
    actor: &Actor,
    args: AddOsUpgradePackageArgs,
) -> Result<OsImageDetails, ApiError> {
    let folder = args.folder.trim().to_string();
    let name = args.name.trim().to_string();
    check_name(&name)?;
    let read = read_image(OsImageKind::UpgradePackage, &folder)?;
    let id = record(
        site,
        actor,
        OsImageKind::UpgradePackage,
        &name,
        args.version.trim(),
        &args.comment,
        &folder,
        &read,
    )?;
    details(site, id)
}

fn check_name(name: &str) -> Result<(), ApiError> {
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "Give a name of 1 to 200 characters.",
        ));
    }
    Ok(())
}

fn kind_label(kind: OsImageKind) -> &'static str {
    match kind {
        OsImageKind::Image => "OS image",
        OsImageKind::UpgradePackage => "OS upgrade package",
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    site: &Site,
    actor: &Actor,
    kind: OsImageKind,
    name: &str,
    version: &str,
    description: &str,
    source_path: &str,
    read: &ReadImage,
) -> Result<i64, ApiError> {
    check_name(name)?;
    let now = crate::clock::now_utc();
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let exists: Option<i64> = tx
        .query_row(
            "SELECT image_id FROM os_images WHERE kind = ?1 AND name = ?2",
            params![kind.as_str(), name],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "An {} named '{name}' already exists; give another name.",
                kind_label(kind)
            ),
        ));
    }
    tx.execute(
        "INSERT INTO os_images (kind, name, version, description, source_path, wim_path, file_bytes, created_utc, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            kind.as_str(),
            name,
            version,
            description.trim(),
            source_path,
            read.wim_path,
            read.file_bytes,
            now,
            actor.name
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut idx = tx.prepare_cached(
            "INSERT INTO os_image_indexes (image_id, idx, name, description, edition, architecture, version,
                languages, default_language, total_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for i in &read.indexes {
            idx.execute(params![
                id,
                i.index,
                i.name,
                i.description,
                i.edition,
                i.architecture,
                i.version,
                i.languages.join(","),
                i.default_language,
                i.total_bytes
            ])?;
        }
        for (index, packages) in &read.packages {
            insert_packages(&tx, id, *index, packages, "Import", &now)?;
        }
    }
    let package_count: usize = read.packages.iter().map(|(_, p)| p.len()).sum();
    audit::record(
        &tx,
        actor,
        match kind {
            OsImageKind::Image => "os_image.add",
            OsImageKind::UpgradePackage => "os_upgrade_package.add",
        },
        name,
        &format!(
            "{} {id}: {}, {} image index(es), {package_count} servicing package(s)",
            kind_label(kind),
            read.wim_path,
            read.indexes.len()
        ),
    )?;
    tx.commit()?;
    Ok(id)
}

/// Records the servicing packages of one index, as read from the image; those recorded
/// already keep their first source and time.
fn insert_packages(
    c: &Connection,
    image: i64,
    index: u32,
    packages: &[wim::PackageManifest],
    source: &str,
    now: &str,
) -> rusqlite::Result<()> {
    let mut pkg = c.prepare_cached(
        "INSERT OR IGNORE INTO os_image_packages (image_id, idx, identity, name, version, architecture, language,
            kb, release_type, source, added_utc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for p in packages {
        pkg.execute(params![
            image,
            index,
            p.identity(),
            p.name,
            p.version,
            p.architecture,
            p.language,
            p.kb,
            p.release_type.clone().unwrap_or_default(),
            source,
            now
        ])?;
    }
    Ok(())
}

pub fn list_images(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<OsImage>, ApiError> {
    list(&site.store().reader(), OsImageKind::Image, None)
}

pub fn list_upgrade_packages(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<OsImage>, ApiError> {
    list(&site.store().reader(), OsImageKind::UpgradePackage, None)
}

fn list(c: &Connection, kind: OsImageKind, only: Option<i64>) -> Result<Vec<OsImage>, ApiError> {
    let mut stmt = c.prepare_cached(
        "SELECT image_id, name, version, description, source_path, wim_path, file_bytes, created_utc, created_by,
                (SELECT COUNT(*) FROM os_image_indexes i WHERE i.image_id = o.image_id),
                (SELECT COUNT(DISTINCT kb) FROM os_image_packages p WHERE p.image_id = o.image_id AND kb IS NOT NULL)
         FROM os_images o WHERE kind = ?1 AND (?2 IS NULL OR image_id = ?2) ORDER BY name",
    )?;
    let mut out = stmt
        .query_map(params![kind.as_str(), only], |r| {
            Ok(OsImage {
                id: r.get(0)?,
                kind,
                name: r.get(1)?,
                version: r.get(2)?,
                description: r.get(3)?,
                source_path: r.get(4)?,
                wim_path: r.get(5)?,
                file_bytes: r.get(6)?,
                created_utc: r.get(7)?,
                created_by: r.get(8)?,
                index_count: r.get(9)?,
                update_count: r.get(10)?,
                os_version: String::new(),
                architectures: Vec::new(),
                languages: Vec::new(),
                scheduled_updates_date: None,
                scheduled_updates_status: None,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for image in &mut out {
        let indexes = indexes(c, image.id)?;
        image.os_version = indexes.first().map(|i| i.version.clone()).unwrap_or_default();
        let mut archs = BTreeSet::new();
        let mut langs = BTreeSet::new();
        for i in &indexes {
            if !i.architecture.is_empty() {
                archs.insert(i.architecture.clone());
            }
            langs.extend(i.languages.iter().cloned());
        }
        image.architectures = archs.into_iter().collect();
        image.languages = langs.into_iter().collect();
        if let Some((when, state)) = servicing::latest(c, image.id)? {
            image.scheduled_updates_date = Some(when);
            image.scheduled_updates_status = Some(state.label().to_string());
        }
    }
    Ok(out)
}

fn indexes(c: &Connection, id: i64) -> Result<Vec<OsImageIndex>, ApiError> {
    let mut stmt = c.prepare_cached(
        "SELECT idx, name, description, edition, architecture, version, languages, default_language, total_bytes
         FROM os_image_indexes WHERE image_id = ?1 ORDER BY idx",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            let languages: String = r.get(6)?;
            Ok(OsImageIndex {
                index: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                edition: r.get(3)?,
                architecture: r.get(4)?,
                version: r.get(5)?,
                languages: languages
                    .split(',')
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
                default_language: r.get(7)?,
                total_bytes: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The kind of image `id`, or not found.
fn kind_of(c: &Connection, id: i64) -> Result<OsImageKind, ApiError> {
    let kind: Option<String> = c
        .query_row("SELECT kind FROM os_images WHERE image_id = ?1", [id], |r| r.get(0))
        .optional()?;
    match kind.as_deref() {
        Some("Image") => Ok(OsImageKind::Image),
        Some(_) => Ok(OsImageKind::UpgradePackage),
        None => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("There is no OS image or upgrade package {id}; it may have been deleted."),
        )),
    }
}

/// Properties: the image, its indexes and the packages present, each with its catalog match.
pub fn get(site: &Site, _actor: &Actor, args: IdArgs) -> Result<OsImageDetails, ApiError> {
    details(site, args.id)
}

/// The run id a package's source names (`servicing::run` writes "Servicing run N").
fn run_of_source(source: &str) -> Option<i64> {
    source.strip_prefix(servicing::RUN_SOURCE_PREFIX)?.parse().ok()
}

fn details(site: &Site, id: i64) -> Result<OsImageDetails, ApiError> {
    let c = site.store().reader();
    let kind = kind_of(&c, id)?;
    let image = list(&c, kind, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::internal(format!("image {id} vanished while it was read")))?;
    let mut catalog: BTreeMap<String, Vec<OsImageCatalogMatch>> = BTreeMap::new();
    {
        let mut stmt = c.prepare_cached(
            "SELECT 'KB' || u.kb_article_id, u.update_id, u.title FROM updates u
             WHERE u.kb_article_id IN (SELECT DISTINCT substr(kb, 3) FROM os_image_packages WHERE image_id = ?1 AND kb IS NOT NULL)
             ORDER BY u.title",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                OsImageCatalogMatch {
                    update_id: r.get(1)?,
                    title: r.get(2)?,
                },
            ))
        })?;
        for row in rows {
            let (kb, m) = row?;
            catalog.entry(kb).or_default().push(m);
        }
    }
    let mut stmt = c.prepare_cached(
        "SELECT idx, identity, name, version, architecture, language, kb, release_type, source, added_utc
         FROM os_image_packages WHERE image_id = ?1 ORDER BY idx, kb IS NULL, kb, identity",
    )?;
    let packages = stmt
        .query_map([id], |r| {
            let kb: Option<String> = r.get(6)?;
            let source: String = r.get(8)?;
            Ok(OsImagePackage {
                index: r.get(0)?,
                identity: r.get(1)?,
                name: r.get(2)?,
                version: r.get(3)?,
                architecture: r.get(4)?,
                language: r.get(5)?,
                catalog: kb.as_ref().and_then(|k| catalog.get(k)).cloned().unwrap_or_default(),
                kb,
                release_type: r.get(7)?,
                servicing_run: run_of_source(&source),
                source,
                added_utc: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(OsImageDetails {
        indexes: indexes(&c, id)?,
        image,
        packages,
    })
}

const MAX_VERSION: usize = 100;
const MAX_COMMENT: usize = 1000;

/// Properties › General: renames an image or upgrade package and sets its version and
/// comment (audited with what changed). The file and what it holds are not touched.
pub fn edit(site: &Site, actor: &Actor, args: EditOsImageArgs) -> Result<OsImageDetails, ApiError> {
    let name = args.name.trim();
    let version = args.version.trim();
    let comment = args.comment.trim();
    check_name(name)?;
    if version.chars().count() > MAX_VERSION {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("The version is longer than {MAX_VERSION} characters; shorten it."),
        ));
    }
    if comment.chars().count() > MAX_COMMENT {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("The comment is longer than {MAX_COMMENT} characters; shorten it."),
        ));
    }
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let kind = kind_of(&tx, args.id)?;
        let (old_name, old_version, old_comment): (String, String, String) = tx.query_row(
            "SELECT name, version, description FROM os_images WHERE image_id = ?1",
            [args.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let taken: Option<i64> = tx
            .query_row(
                "SELECT image_id FROM os_images WHERE kind = ?1 AND name = ?2 AND image_id != ?3",
                params![kind.as_str(), name, args.id],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("Another {} is named '{name}'; give another name.", kind_label(kind)),
            ));
        }
        let mut changes = Vec::new();
        for (field, old, new) in [
            ("name", &old_name, name),
            ("version", &old_version, version),
            ("comment", &old_comment, comment),
        ] {
            if old != new {
                changes.push(format!("{field}: '{old}' -> '{new}'"));
            }
        }
        if !changes.is_empty() {
            tx.execute(
                "UPDATE os_images SET name = ?2, version = ?3, description = ?4 WHERE image_id = ?1",
                params![args.id, name, version, comment],
            )?;
            audit::record(
                &tx,
                actor,
                match kind {
                    OsImageKind::Image => "os_image.edit",
                    OsImageKind::UpgradePackage => "os_upgrade_package.edit",
                },
                name,
                &format!("{} {}: {}", kind_label(kind), args.id, changes.join("; ")),
            )?;
            tx.commit()?;
        }
    }
    details(site, args.id)
}

pub fn delete_image(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    delete(site, actor, OsImageKind::Image, args.id)
}

pub fn delete_upgrade_package(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    delete(site, actor, OsImageKind::UpgradePackage, args.id)
}

/// Forgets the image and what it holds; the file on disk is the administrator's and stays,
/// unless the site keeps it (uploaded from a browser).
fn delete(site: &Site, actor: &Actor, kind: OsImageKind, id: i64) -> Result<NoArgs, ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT name, source_path FROM os_images WHERE image_id = ?1 AND kind = ?2",
            params![id, kind.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((name, source)) = row else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!(
                "There is no {} {id}; it may have been deleted already.",
                kind_label(kind)
            ),
        ));
    };
    // A file uploaded from a browser is the site's, not the administrator's: it goes too.
    let kept = kept_by_site(site, &source);
    tx.execute("DELETE FROM os_image_packages WHERE image_id = ?1", [id])?;
    tx.execute("DELETE FROM os_image_indexes WHERE image_id = ?1", [id])?;
    tx.execute("DELETE FROM os_images WHERE image_id = ?1", [id])?;
    audit::record(
        &tx,
        actor,
        match kind {
            OsImageKind::Image => "os_image.delete",
            OsImageKind::UpgradePackage => "os_upgrade_package.delete",
        },
        &name,
        &format!(
            "{} {id}: {source} ({})",
            kind_label(kind),
            if kept.is_some() {
                "the uploaded file removed"
            } else {
                "the files stay"
            }
        ),
    )?;
    tx.commit()?;
    if let Some(folder) = kept {
        if let Err(e) = std::fs::remove_dir_all(&folder) {
            tracing::warn!(folder = %folder.display(), error = %e, "a deleted image's uploaded file could not be removed");
        }
    }
    Ok(NoArgs {})
}
