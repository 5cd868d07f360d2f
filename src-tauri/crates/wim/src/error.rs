//! What can go wrong reading a Windows image, each naming the file.

use std::path::PathBuf;

/// Why an image, a manifest or an upgrade folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WimError {
    #[error(
        "wimlib-imagex, which reads Windows images, was not found ({detail}); on Debian or Ubuntu \
         install it with 'apt-get install wimtools'"
    )]
    ToolMissing { detail: String },
    #[error("{path} is not an absolute path; give the full path of the file on the site's machine")]
    NotAbsolute { path: PathBuf },
    #[error("{path} does not exist or cannot be read: {detail}")]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path} is not a Windows image (.wim or .esd): it does not begin with a WIM header")]
    NotAWim { path: PathBuf },
    #[error("{path} is a damaged Windows image: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("{path} holds no image")]
    Empty { path: PathBuf },
    #[error("the package manifest {file} is not readable: {detail}")]
    Manifest { file: String, detail: String },
    #[error("{path} is not an operating system upgrade package: {detail}")]
    NotUpgradePackage { path: PathBuf, detail: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl WimError {
    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            WimError::NotAbsolute { path }
            | WimError::Unreadable { path, .. }
            | WimError::NotAWim { path }
            | WimError::Damaged { path, .. }
            | WimError::Empty { path }
            | WimError::NotUpgradePackage { path, .. }
            | WimError::Io { path, .. } => Some(path),
            WimError::ToolMissing { .. } | WimError::Manifest { .. } => None,
        }
    }
}
