//! Content: deployment packages, download jobs, distribution points and their status.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A deployment package with what it holds and where it is distributed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ContentPackage {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub description: String,
    pub created_utc: String,
    #[ts(type = "number")]
    pub file_count: i64,
    /// Sum of the files' sizes as the catalog declares them.
    #[ts(type = "number")]
    pub total_bytes: i64,
    /// Files verified and present in the content library.
    #[ts(type = "number")]
    pub downloaded_count: i64,
    pub distribution: DistributionSummary,
}

/// How many distribution points hold a package, by state.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DistributionSummary {
    #[ts(type = "number")]
    pub installed: i64,
    #[ts(type = "number")]
    pub in_progress: i64,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub failed: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CreatePackageArgs {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Where a download takes the files from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
pub enum DownloadSource {
    /// The synchronization upstream's content (`<upstream>/Content/<xx>/<SHA1>.<ext>`), with
    /// the update point's proxy and certificate authorities.
    Upstream,
    /// Microsoft Update's download addresses (MUUrl); needs Internet access.
    MicrosoftUpdate,
    /// A local or network folder: files found by their name or by their digest name.
    LocalFolder { path: String },
}

/// The Download Software Updates wizard's Finish.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct StartDownloadArgs {
    /// An existing package, or...
    #[ts(type = "number | null")]
    #[serde(default)]
    pub package_id: Option<i64>,
    /// ...the name of a new one, created in the same transaction as the job so that a
    /// refused start leaves no package behind.
    #[serde(default)]
    pub new_package_name: Option<String>,
    /// The new package's description (ignored with an existing package).
    #[serde(default)]
    pub new_package_description: Option<String>,
    /// The updates (their bundle members' files come too), and/or...
    #[serde(default)]
    pub update_ids: Vec<String>,
    /// ...a software update group's members.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub update_group_id: Option<i64>,
    pub source: DownloadSource,
    /// Languages asked for (e.g. "en", "fr"): files tagged with other languages only are
    /// left out; language-neutral files always come. Empty means every language.
    #[serde(default)]
    pub languages: Vec<String>,
}

/// The Download Software Updates wizard's source check: the source and what it is to hold.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CheckDownloadSourceArgs {
    pub source: DownloadSource,
    #[serde(default)]
    pub update_ids: Vec<String>,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub update_group_id: Option<i64>,
    #[serde(default)]
    pub languages: Vec<String>,
}

/// What the source check found, before anything is recorded.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DownloadSourceCheck {
    /// Whether the download can start from this source.
    pub ok: bool,
    /// What was found, in a sentence.
    pub message: String,
    /// When not ok: the wizard field to change ("source" or "folder") and what to do.
    pub issue: Option<crate::wire::FieldIssue>,
    /// Files the chosen updates bring (after the language choice).
    #[ts(type = "number")]
    pub files_wanted: i64,
    /// Of those, the ones the content library holds already (nothing to fetch).
    #[ts(type = "number")]
    pub files_held: i64,
    /// Of the others, the ones found at the source; null when only one was probed (HTTP).
    #[ts(type = "number | null")]
    pub files_found: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum DownloadJobState {
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// Left running by a process that stopped; resume_download continues it.
    Interrupted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum DownloadFileState {
    Pending,
    Downloading,
    Downloaded,
    Failed,
}

/// One file of a download job.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DownloadFile {
    /// SHA-1 digest, base64 as in the update metadata.
    pub sha1: String,
    pub file_name: String,
    pub update_id: String,
    pub update_title: String,
    #[ts(type = "number")]
    pub size: i64,
    #[ts(type = "number")]
    pub bytes_done: i64,
    pub state: DownloadFileState,
    pub error: Option<String>,
}

/// A download job; `files` is filled by get_download_job only.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DownloadJob {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub package_id: i64,
    pub package_name: String,
    pub source: DownloadSource,
    pub languages: Vec<String>,
    pub state: DownloadJobState,
    pub actor: String,
    pub created_utc: String,
    pub finished_utc: Option<String>,
    pub error: Option<String>,
    #[ts(type = "number")]
    pub files_total: i64,
    #[ts(type = "number")]
    pub files_downloaded: i64,
    #[ts(type = "number")]
    pub files_failed: i64,
    #[ts(type = "number")]
    pub bytes_done: i64,
    #[ts(type = "number")]
    pub bytes_total: i64,
    pub files: Vec<DownloadFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum DistributionPointKind {
    /// A local or network folder.
    Folder,
    /// Another `patchdeck serve` in distribution-point role.
    Remote,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DistributionPoint {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: DistributionPointKind,
    /// The folder path, or the remote server's address.
    pub location: String,
    pub created_utc: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AddDistributionPointArgs {
    pub name: String,
    pub kind: DistributionPointKind,
    pub location: String,
    /// API token of a remote server.
    #[serde(default)]
    pub token: String,
    /// A remote server at a plain http:// address is accepted only when this is set (content
    /// and token would travel unencrypted), as for the synchronization upstream.
    #[ts(optional)]
    #[serde(default)]
    pub allow_plain_http: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DistributePackageArgs {
    #[ts(type = "number")]
    pub package_id: i64,
    /// Distribution points to copy to; empty means all of them.
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub dp_ids: Vec<i64>,
}

/// A remote distribution point's answer to a file uploaded to it
/// (`PUT /api/v1/content/<XX>/<SHA1HEX>.<ext>`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ReceivedContent {
    /// `<XX>/<SHA1HEX>.<ext>`, also its path under `/Content/`.
    pub path: String,
    /// SHA-1, upper-case hex, verified against the bytes.
    pub sha1: String,
    #[ts(type = "number")]
    pub size: i64,
    /// False when an identical file was held already (nothing changed).
    pub stored: bool,
}

/// A sending site's request to a remote distribution point: drop a file it sent earlier
/// and no longer needs there (an image's version a servicing run replaced).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RemoveReceivedContentArgs {
    /// `<XX>/<SHA1HEX>.<ext>`, as it was uploaded.
    pub path: String,
}

/// What the remote did with it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RemovedContent {
    pub path: String,
    /// False when the point did not hold it (removed already, or never received).
    pub removed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum DistributionState {
    Pending,
    InProgress,
    Installed,
    Failed,
}

/// A package on one distribution point.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DistributionStatus {
    #[ts(type = "number")]
    pub package_id: i64,
    pub package_name: String,
    #[ts(type = "number")]
    pub dp_id: i64,
    pub dp_name: String,
    pub state: DistributionState,
    pub detail: String,
    pub updated_utc: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DistributionStatusArgs {
    /// One package, or all when absent.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub package_id: Option<i64>,
}

/// CNT-2: what clients do when no distribution point holds an update's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ContentSettings {
    /// Clients may download from Microsoft Update (the upstream) instead.
    pub allow_microsoft_update_fallback: bool,
}
