//! Third-party updates (issue 16): what the Upload Update wizard's first page learns from
//! the files an administrator chose.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct InspectInstallerArgs {
    /// The installer (.msi, .msp or .exe), an absolute path on the site's machine.
    pub path: String,
    /// Files or folders that go with it, absolute paths.
    #[serde(default)]
    pub extra_paths: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct InstallerDetails {
    /// Package, Patch or Executable.
    pub kind: String,
    pub product_name: Option<String>,
    pub product_version: Option<String>,
    pub manufacturer: Option<String>,
    pub product_code: Option<String>,
    pub upgrade_code: Option<String>,
    pub description: Option<String>,
    /// x86, x64, ARM64 or Unknown.
    pub platform: String,
    /// Windows language ids.
    pub languages: Vec<u16>,
    /// The ProductCodes a patch applies to.
    pub targets: Vec<String>,
    /// Every file that would be uploaded: the installer first, then the extra files (a
    /// folder's files with their path under it).
    pub files: Vec<UploadFile>,
    #[ts(type = "number")]
    pub total_size: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UploadFile {
    pub name: String,
    #[ts(type = "number")]
    pub size: i64,
}
