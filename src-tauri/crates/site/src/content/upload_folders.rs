//! Where a browser console's uploads live under the site folder (`uploads.rs` on floor 8
//! accepts and checks them): the folder of an upload id, and what the wizards that go on
//! from an upload's files (an update published, an OS image added) need to find it and
//! remove it once used. Here, below both, so neither imports the other.

use std::path::{Path, PathBuf};

use super::site_folder;
use crate::handle::Site;
use crate::wire::{ApiError, ErrorCode};

/// Under the site folder: one folder per upload, named by its id.
const UPLOADS: &str = "publishing/uploads";

pub(crate) fn uploads_root(site: &Site) -> PathBuf {
    site_folder(site).join(UPLOADS)
}

/// The folder of an upload id the site made (32 hex digits), or the refusal.
pub(crate) fn folder_of(site: &Site, upload_id: &str) -> Result<PathBuf, ApiError> {
    let id = upload_id.trim();
    if id.len() != 32 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("'{id}' is not an upload of this site."),
        ));
    }
    Ok(uploads_root(site).join(id.to_ascii_lowercase()))
}

/// The upload folder a path names a file of (what a wizard goes on from after a browser
/// upload), or None for any other path (the desktop app's, or one typed on the site's machine).
pub(crate) fn upload_folder_of(site: &Site, path: &str) -> Option<PathBuf> {
    let path = Path::new(path.trim());
    let folder = path.parent()?;
    let plain = path.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::RootDir | std::path::Component::Prefix(_)
        )
    });
    let id = folder.file_name()?.to_str()?;
    (plain && folder.parent() == Some(uploads_root(site).as_path()) && folder_of(site, id).is_ok())
        .then(|| folder.to_path_buf())
}

/// After a wizard went on from an upload's files: the upload folder goes. `path` is the
/// path it went on from; a path outside the uploads folder (the desktop app's) is left alone.
pub(crate) fn forget(site: &Site, path: &str) {
    if let Some(folder) = upload_folder_of(site, path) {
        if let Err(e) = std::fs::remove_dir_all(&folder) {
            tracing::warn!(folder = %folder.display(), error = %e, "a used upload's folder could not be removed");
        }
    }
}
