//! What a Windows image holds, for OS images and OS upgrade packages (issue 17).
//!
//! [`Wimlib`] reads a WIM (or ESD) file through `wimlib-imagex`, the command line of wimlib,
//! the maintained WIM library (Debian package `wimtools`): every image index with its name,
//! edition, version, architecture, languages and size ([`Wimlib::info`]), and the servicing
//! package manifests under `Windows\servicing\Packages` of one image, read without mounting
//! ([`Wimlib::packages`]). [`upgrade_folder`] checks the folder of an OS upgrade package.
//!
//! **API boundary:** paths in, typed values out. **Invariant:** knows no database; never
//! panics on input; every error names the file.

mod error;
mod info;
mod manifest;
mod tool;
mod upgrade;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use error::WimError;
pub use info::{parse_info_xml, Architecture, ImageInfo};
pub use manifest::{parse_manifest, PackageManifest};
pub use tool::{WimInfo, Wimlib, PACKAGES_PATH};
pub use upgrade::{upgrade_folder, UpgradeFolder};
