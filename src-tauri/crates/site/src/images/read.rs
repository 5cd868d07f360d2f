//! Reading a source with wimlib (the `wim` crate), its errors turned into refusals that say
//! what is wrong and name the file.

use std::path::{Path, PathBuf};

use wim::{ImageInfo, PackageManifest, WimError, WimInfo, Wimlib};

use crate::wire::{ApiError, ErrorCode, OsImageIndex, OsImageKind};

/// Everything read from one WIM, before anything is recorded.
pub(super) struct ReadImage {
    pub wim_path: String,
    pub file_bytes: i64,
    pub indexes: Vec<OsImageIndex>,
    /// The servicing packages of each index.
    pub packages: Vec<(u32, Vec<PackageManifest>)>,
}

pub(super) fn bytes(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn refused(e: WimError) -> ApiError {
    let code = match e {
        WimError::ToolMissing { .. } => ErrorCode::Unavailable,
        WimError::Io { .. } => ErrorCode::Internal,
        _ => ErrorCode::Validation,
    };
    ApiError::new(code, e.to_string())
}

pub(super) fn index_of(i: &ImageInfo) -> OsImageIndex {
    OsImageIndex {
        index: i.index,
        name: i.name.clone(),
        description: i.description.clone(),
        edition: i.edition().unwrap_or_default().to_string(),
        architecture: i.architecture.map(|a| a.label()).unwrap_or_default(),
        version: i.version().unwrap_or_default(),
        languages: i.languages.clone(),
        default_language: i.default_language.clone().unwrap_or_default(),
        total_bytes: bytes(i.total_bytes),
    }
}

/// The WIM a source names (the file, or the folder's install image) and its images.
pub(super) fn read_source(kind: OsImageKind, path: &str) -> Result<(PathBuf, WimInfo), ApiError> {
    if path.trim().is_empty() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            match kind {
                OsImageKind::Image => "Give the full path of the .wim file on the site's machine.",
                OsImageKind::UpgradePackage => "Give the full path of the folder that holds setup.exe.",
            },
        ));
    }
    let path = Path::new(path.trim());
    let wim_path = match kind {
        OsImageKind::Image => path.to_path_buf(),
        OsImageKind::UpgradePackage => wim::upgrade_folder(path).map_err(refused)?.install_image,
    };
    let info = Wimlib::default().info(&wim_path).map_err(refused)?;
    Ok((wim_path, info))
}

/// Every index of the source's WIM and the packages each holds.
pub(super) fn read_image(kind: OsImageKind, path: &str) -> Result<ReadImage, ApiError> {
    let (wim_path, info) = read_source(kind, path)?;
    let wimlib = Wimlib::default();
    let mut packages = Vec::with_capacity(info.images.len());
    for image in &info.images {
        packages.push((image.index, wimlib.packages(&wim_path, image.index).map_err(refused)?));
    }
    Ok(ReadImage {
        wim_path: wim_path.display().to_string(),
        file_bytes: bytes(info.file_bytes),
        indexes: info.images.iter().map(index_of).collect(),
        packages,
    })
}
