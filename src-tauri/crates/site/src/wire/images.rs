//! OS images and OS upgrade packages (issue 17): the WIM files the site keeps, the image
//! indexes each holds and the updates present in them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An operating system image (a .wim file) or an upgrade package (a folder of Windows setup
/// files whose sources/install.wim or .esd is the image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum OsImageKind {
    Image,
    UpgradePackage,
}

impl OsImageKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            OsImageKind::Image => "Image",
            OsImageKind::UpgradePackage => "UpgradePackage",
        }
    }
}

/// One row of OS Images or OS Upgrade Packages.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImage {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: OsImageKind,
    pub name: String,
    pub version: String,
    /// The comment given in the wizard.
    pub description: String,
    /// The .wim file (image) or the setup folder (upgrade package) on the site's machine.
    pub source_path: String,
    /// The WIM read: the file itself, or the folder's sources/install.wim|esd.
    pub wim_path: String,
    #[ts(type = "number")]
    pub file_bytes: i64,
    #[ts(type = "number")]
    pub index_count: i64,
    /// The OS version of the first index (e.g. 10.0.22631.2861).
    pub os_version: String,
    /// Distinct architectures of its indexes.
    pub architectures: Vec<String>,
    /// Distinct languages of its indexes.
    pub languages: Vec<String>,
    /// Distinct KB numbers present in its indexes.
    #[ts(type = "number")]
    pub update_count: i64,
    pub created_utc: String,
    pub created_by: String,
    /// Scheduled Updates Date / Status (seed 004); empty until servicing is scheduled.
    pub scheduled_updates_date: Option<String>,
    pub scheduled_updates_status: Option<String>,
}

/// One image index of a WIM, as wimlib reads it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImageIndex {
    pub index: u32,
    pub name: String,
    pub description: String,
    pub edition: String,
    pub architecture: String,
    pub version: String,
    pub languages: Vec<String>,
    pub default_language: String,
    #[ts(type = "number")]
    pub total_bytes: i64,
}

/// A catalog update matched to a package by its KB number.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImageCatalogMatch {
    pub update_id: String,
    pub title: String,
}

/// A servicing package present in an image index (Windows\servicing\Packages).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImagePackage {
    pub index: u32,
    /// `name~publicKeyToken~arch~language~version`, as DISM prints it.
    pub identity: String,
    pub name: String,
    pub version: String,
    pub architecture: String,
    pub language: String,
    /// e.g. `KB5026368`; absent for packages that belong to no update (features, languages).
    pub kb: Option<String>,
    pub release_type: String,
    /// `Import`: present when the image was added; later, the servicing run that applied it.
    pub source: String,
    /// The servicing run that applied it; none for what was present at import.
    #[ts(type = "number | null")]
    pub servicing_run: Option<i64>,
    pub added_utc: String,
    /// Catalog updates with the same KB number (none when the catalog holds none).
    pub catalog: Vec<OsImageCatalogMatch>,
}

/// Properties of one image: its indexes and the packages they hold.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImageDetails {
    pub image: OsImage,
    pub indexes: Vec<OsImageIndex>,
    pub packages: Vec<OsImagePackage>,
}

/// What a source holds, read before anything is recorded (the wizards' Data Source page).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImageInspection {
    pub wim_path: String,
    #[ts(type = "number")]
    pub file_bytes: i64,
    pub indexes: Vec<OsImageIndex>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct InspectOsImageArgs {
    pub kind: OsImageKind,
    /// The .wim/.esd file (Image) or the setup folder (UpgradePackage); absolute.
    pub path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AddOsImageArgs {
    /// Absolute path of the .wim (or .esd) file on the site's machine.
    pub path: String,
    /// Default: the name of the first image index.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    /// The comment.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AddOsUpgradePackageArgs {
    /// Absolute path of the folder holding setup.exe and sources/install.wim or .esd.
    pub folder: String,
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub comment: String,
}

/// Properties › General: what an administrator may change of an image or upgrade package.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EditOsImageArgs {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub comment: String,
}

/// Distribute Content for an OS image or upgrade package.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DistributeOsImageArgs {
    #[ts(type = "number")]
    pub image_id: i64,
    /// The points to send it to; all of them when empty.
    #[ts(type = "number[]")]
    #[serde(default)]
    pub distribution_point_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImageDistributionStatusArgs {
    #[ts(type = "number")]
    pub image_id: i64,
}

/// An OS image or upgrade package on one distribution point.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OsImageDistribution {
    #[ts(type = "number")]
    pub image_id: i64,
    pub image_name: String,
    #[ts(type = "number")]
    pub dp_id: i64,
    pub dp_name: String,
    pub state: crate::wire::DistributionState,
    /// What was verified, or why it failed.
    pub detail: String,
    /// The image's place under the point's Content/ folder (`<XX>/<SHA1HEX>.wim`).
    pub path: String,
    pub updated_utc: String,
}
