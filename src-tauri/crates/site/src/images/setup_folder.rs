//! An OS upgrade package on a distribution point is its whole setup folder (setup.exe,
//! sources/install.wim and the rest), not its install image alone. Each file goes under the
//! point's `Content/` by its digest like any library file (`<XX>/<SHA1HEX>.<ext>`, so a
//! remote point's upload check by name applies unchanged and a file two packages share is
//! held once), and a manifest, itself a content file (`<XX>/<SHA1HEX>.json`), says which of
//! them is which path of the folder: the point holds what rebuilds the folder, and the
//! distribution row names the manifest.
//!
//! Each file's digests are computed once by streaming it and kept in `os_image_files` with
//! the size and modification time they describe; a file changed since is hashed again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha1::Digest;

use crate::handle::Site;

/// One file to put on a point.
pub(super) struct Piece {
    pub src: PathBuf,
    pub file_name: String,
    /// Its place under the point's Content/.
    pub rel: String,
    pub size: u64,
    pub sha1: String,
    pub sha256: String,
}

/// What a point holds for an upgrade package: each path of the folder and its content file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Manifest {
    pub name: String,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ManifestFile {
    /// Relative to the folder, '/'-separated.
    pub path: String,
    pub size: u64,
    /// Base64, as the content path declares it.
    pub sha256: String,
    /// Under the point's Content/.
    pub content: String,
}

/// The folder's files and its manifest, ready to send; the manifest's file is written in the
/// site's partial folder and removed when this is dropped.
pub(super) struct FolderSend {
    pub files: Vec<Piece>,
    pub manifest: Piece,
}

impl Drop for FolderSend {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.manifest.src);
    }
}

/// Reads the folder (every regular file under it), digests each file (kept ones reused) and
/// writes the manifest.
pub(super) fn prepare(site: &Site, image_id: i64, name: &str, folder: &Path) -> Result<FolderSend, String> {
    let mut found = Vec::new();
    walk(folder, folder, &mut found)?;
    if found.is_empty() {
        return Err(format!(
            "the setup folder {} holds no file; add the package again from a folder with the setup files",
            folder.display()
        ));
    }
    let mut files = Vec::with_capacity(found.len());
    for (rel, src) in found {
        let (size, sha1, sha256) = digests(site, image_id, &rel, &src)?;
        let file_name = rel.rsplit('/').next().unwrap_or(&rel).to_string();
        let content = crate::content::relative_path(&sha1, &file_name).ok_or_else(|| {
            format!("{rel} in the setup folder has an extension a distribution point cannot hold (a plain name part of 16 letters or digits at most)")
        })?;
        files.push(Piece {
            src,
            file_name,
            rel: content,
            size,
            sha1,
            sha256,
        });
    }
    forget_gone(site, image_id, &files, folder);
    let manifest = Manifest {
        name: name.to_string(),
        files: files
            .iter()
            .map(|f| ManifestFile {
                path: rel_of(folder, &f.src),
                size: f.size,
                sha256: f.sha256.clone(),
                content: f.rel.clone(),
            })
            .collect(),
    };
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| format!("the manifest cannot be written: {e}"))?;
    let sha1 = crate::content::b64(&sha1::Sha1::digest(&bytes));
    let sha256 = crate::content::b64(&sha2::Sha256::digest(&bytes));
    let rel = crate::content::relative_path(&sha1, "manifest.json")
        .ok_or_else(|| "the manifest's digest has no content name".to_string())?;
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = crate::content::partial_root(site);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{} cannot be created: {e}", dir.display()))?;
    let src = dir.join(format!(
        "manifest-{image_id}-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&src, &bytes).map_err(|e| format!("{} cannot be written: {e}", src.display()))?;
    Ok(FolderSend {
        files,
        manifest: Piece {
            src,
            file_name: "manifest.json".into(),
            rel,
            size: bytes.len() as u64,
            sha1,
            sha256,
        },
    })
}

fn rel_of(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every regular file under `dir`, in name order; a link is refused, as it may lead out of
/// the folder.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("the setup folder {} cannot be read: {e}", dir.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the setup folder {} cannot be read: {e}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let kind = e
            .file_type()
            .map_err(|err| format!("{} cannot be read: {err}", path.display()))?;
        if kind.is_symlink() {
            return Err(format!(
                "{} is a symbolic link; a distribution point gets the setup folder's own files only: replace the link with the file",
                path.display()
            ));
        } else if kind.is_dir() {
            walk(root, &path, out)?;
        } else if kind.is_file() {
            out.push((rel_of(root, &path), path));
        }
    }
    Ok(())
}

/// A file's size, SHA-1 and SHA-256, hashed again only when it changed.
fn digests(site: &Site, image_id: i64, rel: &str, path: &Path) -> Result<(u64, String, String), String> {
    let (size, of) = file_version(path)?;
    let kept: Option<(String, String, String)> = site
        .store()
        .reader()
        .query_row(
            "SELECT sha1, sha256, digest_of FROM os_image_files WHERE image_id = ?1 AND rel_path = ?2",
            params![image_id, rel],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(|e| format!("the digests of {rel} cannot be read: {e}"))?;
    if let Some((sha1, sha256, k)) = kept {
        if k == of {
            return Ok((size, sha1, sha256));
        }
    }
    let (sha1, sha256) =
        crate::content::digests_of(path).map_err(|e| format!("{} cannot be read: {e}", path.display()))?;
    site.store()
        .writer()
        .execute(
            "INSERT INTO os_image_files (image_id, rel_path, size, sha1, sha256, digest_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(image_id, rel_path) DO UPDATE SET size = excluded.size, sha1 = excluded.sha1,
                 sha256 = excluded.sha256, digest_of = excluded.digest_of",
            params![
                image_id,
                rel,
                i64::try_from(size).unwrap_or(i64::MAX),
                sha1,
                sha256,
                of
            ],
        )
        .map_err(|e| format!("the digests of {rel} cannot be kept: {e}"))?;
    Ok((size, sha1, sha256))
}

/// A file's size and the version its kept digests are checked against (size and
/// modification time): a file changed since reads as another version.
pub(super) fn file_version(path: &Path) -> Result<(u64, String), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{} cannot be read: {e}", path.display()))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok((meta.len(), format!("{}:{mtime}", meta.len())))
}

/// Drops the kept digests of files no longer in the folder.
fn forget_gone(site: &Site, image_id: i64, files: &[Piece], folder: &Path) {
    let present: HashSet<String> = files.iter().map(|f| rel_of(folder, &f.src)).collect();
    let c = site.store().writer();
    let kept: Vec<String> = c
        .prepare("SELECT rel_path FROM os_image_files WHERE image_id = ?1")
        .and_then(|mut s| s.query_map([image_id], |r| r.get(0))?.collect())
        .unwrap_or_default();
    for rel in kept.into_iter().filter(|r| !present.contains(r)) {
        let _ = c.execute(
            "DELETE FROM os_image_files WHERE image_id = ?1 AND rel_path = ?2",
            params![image_id, rel],
        );
    }
}

/// The content files an earlier copy left on the point: the manifest and what it names, or
/// the single image file an earlier distribution put there.
pub(super) fn held_by(previous_rel: &str, manifest_text: Option<&str>) -> Vec<String> {
    let mut held = Vec::new();
    if let Some(m) = manifest_text.and_then(|t| serde_json::from_str::<Manifest>(t).ok()) {
        held.extend(m.files.into_iter().map(|f| f.content));
    }
    held.push(previous_rel.to_string());
    // What is read back from a point is outside data: only library names, never a path
    // that leads elsewhere.
    held.retain(|rel| {
        rel.split_once('/').is_some_and(|(dir, file)| {
            crate::content::receive::ContentName::parse(dir, file).is_ok_and(|n| n.rel.eq_ignore_ascii_case(rel))
        })
    });
    held
}
