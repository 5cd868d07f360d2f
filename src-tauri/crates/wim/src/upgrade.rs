//! The folder of an OS upgrade package: Windows setup files (setup.exe, sources/install.wim).

use std::path::{Path, PathBuf};

use crate::WimError;

/// An upgrade package's folder, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradeFolder {
    pub folder: PathBuf,
    pub setup: PathBuf,
    /// `sources/install.wim`, else `sources/install.esd`.
    pub install_image: PathBuf,
}

/// The entry of `dir` named `name`, whatever its case (setup media written on Windows).
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    let exact = dir.join(name);
    if exact.exists() {
        return Some(exact);
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .find(|e| e.file_name().to_string_lossy().eq_ignore_ascii_case(name))
        .map(|e| e.path())
}

/// Checks that `folder` is an absolute path to a folder holding `setup.exe` and
/// `sources/install.wim` or `sources/install.esd`; says which is missing otherwise.
pub fn upgrade_folder(folder: &Path) -> Result<UpgradeFolder, WimError> {
    if !folder.is_absolute() {
        return Err(WimError::NotAbsolute {
            path: folder.to_path_buf(),
        });
    }
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(WimError::NotUpgradePackage {
                path: folder.to_path_buf(),
                detail: "it is a file; give the folder that holds setup.exe".into(),
            })
        }
        Err(e) => {
            return Err(WimError::Unreadable {
                path: folder.to_path_buf(),
                detail: e.to_string(),
            })
        }
    }
    let setup = find(folder, "setup.exe")
        .filter(|p| p.is_file())
        .ok_or_else(|| WimError::NotUpgradePackage {
            path: folder.to_path_buf(),
            detail: "it holds no setup.exe; give the folder of the Windows setup files".into(),
        })?;
    let install_image = find(folder, "sources")
        .and_then(|s| find(&s, "install.wim").or_else(|| find(&s, "install.esd")))
        .filter(|p| p.is_file())
        .ok_or_else(|| WimError::NotUpgradePackage {
            path: folder.to_path_buf(),
            detail: "it holds no sources/install.wim or sources/install.esd".into(),
        })?;
    Ok(UpgradeFolder {
        folder: folder.to_path_buf(),
        setup,
        install_image,
    })
}
