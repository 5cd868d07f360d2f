//! Wire types of the command API: what consoles send and receive.
//!
//! **Architecture invariant:** these are the only types that cross to the UI. Their
//! TypeScript twins in `ui/src/api/generated/` are generated from here by ts-rs and
//! committed; `cargo test -p site` rewrites them and CI fails on a diff.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Arguments of a command that takes none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoArgs {}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SiteInfo {
    pub site_name: String,
    pub product_version: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    pub database_path: String,
    /// Updates shown in All Software Updates (software and driver updates that are not
    /// bundle members only).
    #[ts(type = "number")]
    pub update_count: i64,
    /// Every update revision held, categories and bundle members included.
    #[ts(type = "number")]
    pub revision_count: i64,
    #[ts(type = "number")]
    pub category_count: i64,
    /// When the catalog last changed (UTC, RFC 3339), if ever.
    pub last_catalog_change_utc: Option<String>,
}

/// Columns of All Software Updates that can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum UpdateColumn {
    Title,
    ArticleId,
    BulletinId,
    Classification,
    Products,
    Severity,
    ReleaseDate,
    Size,
    Revision,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SortSpec {
    pub column: UpdateColumn,
    pub descending: bool,
}

/// One page request of All Software Updates.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateQuery {
    #[ts(type = "number")]
    pub offset: i64,
    /// 1..=1000; 0 means the default of 100.
    #[ts(type = "number")]
    pub limit: i64,
    pub sort: Option<SortSpec>,
    /// Free text over titles (all languages), the description, KB, bulletin and CVE ids.
    pub search: Option<String>,
    /// Keep updates in any of these classification category ids.
    pub classification_ids: Vec<String>,
    /// Keep updates in any of these product category ids.
    pub product_ids: Vec<String>,
    /// Hide superseded updates (default false: they are shown, flagged).
    pub hide_superseded: bool,
    /// Include expired updates (default false: hidden, as the reference console does).
    pub include_expired: bool,
    /// Only declined updates (LIB-4); false: declined updates are hidden.
    pub declined: bool,
    /// Only updates required on more than this many computers (LIB-2).
    #[ts(type = "number | null")]
    pub min_required: Option<i64>,
    /// Only members of this software update group.
    #[ts(type = "number | null")]
    pub update_group_id: Option<i64>,
    /// Only updates deployed (true) or not deployed (false) by some enabled deployment or approval.
    pub deployed: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRow {
    pub update_id: String,
    #[ts(type = "number")]
    pub revision: i64,
    pub title: String,
    /// KB article number without the "KB" prefix.
    pub article_id: Option<String>,
    pub bulletin_id: Option<String>,
    pub classification: Option<String>,
    /// Product titles, comma-separated.
    pub products: Option<String>,
    pub severity: Option<String>,
    /// UTC, RFC 3339.
    pub release_date: Option<String>,
    /// Largest download in bytes (MaxDownloadSize, else the sum of the files).
    #[ts(type = "number")]
    pub size: i64,
    pub is_bundle: bool,
    pub superseded: bool,
    pub expired: bool,
    pub declined: bool,
    /// Languages of the localized text, comma-separated.
    pub languages: String,
    /// Computers that need it, have it, do not need it: zero until clients report.
    #[ts(type = "number")]
    pub required_count: i64,
    #[ts(type = "number")]
    pub installed_count: i64,
    #[ts(type = "number")]
    pub not_required_count: i64,
    /// Some enabled deployment or approval (Required or Available) includes it.
    pub deployed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePage {
    /// Rows matching the query, all pages together.
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub offset: i64,
    pub rows: Vec<UpdateRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct GetUpdateArgs {
    pub update_id: String,
}

/// Another update named by this one (prerequisite, bundle member, supersedence).
/// `title` is None when that update is not in this site's catalog.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRef {
    pub update_id: String,
    #[ts(type = "number | null")]
    pub revision: Option<i64>,
    pub title: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PrerequisiteInfo {
    /// Any one of `updates` satisfies this prerequisite.
    pub at_least_one: bool,
    pub is_category: bool,
    pub updates: Vec<UpdateRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    /// The update whose document lists this file (a bundle member for `bundledFiles`).
    pub update_id: String,
    pub update_title: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub size: i64,
    pub modified: Option<String>,
    /// SHA-1 as lower-case hex (the XML carries base64).
    pub sha1: String,
    /// SHA-256 as lower-case hex, when the document gives one.
    pub sha256: Option<String>,
    /// The languages of a language-specific payload (`File/Language`, lower case); empty
    /// for a language-neutral file.
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct LocalizedInfo {
    pub language: String,
    pub title: String,
    pub description: Option<String>,
}

/// Everything the Properties dialog shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDetails {
    pub row: UpdateRow,
    pub update_type: String,
    pub description: Option<String>,
    pub more_info_url: Option<String>,
    pub support_url: Option<String>,
    pub cve_ids: Vec<String>,
    pub reboot_behavior: Option<String>,
    pub install_impact: Option<String>,
    pub publication_state: String,
    pub explicitly_deployable: Option<bool>,
    /// When this revision arrived in the site (UTC).
    pub arrival_utc: String,
    pub categories: Vec<CategoryInfo>,
    pub prerequisites: Vec<PrerequisiteInfo>,
    pub bundled_updates: Vec<UpdateRef>,
    pub bundled_by: Vec<UpdateRef>,
    pub supersedes: Vec<UpdateRef>,
    pub superseded_by: Vec<UpdateRef>,
    pub files: Vec<FileInfo>,
    /// For a bundle: the files of its members (and their members) held by this site; a
    /// bundle's payload lives there.
    pub bundled_files: Vec<FileInfo>,
    pub localized: Vec<LocalizedInfo>,
    /// Every revision of this update held by the site, newest first.
    #[ts(type = "Array<number>")]
    pub revisions: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CategoryKind {
    Company,
    ProductFamily,
    Product,
    UpdateClassification,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CategoryInfo {
    pub category_id: String,
    pub title: String,
    pub kind: CategoryKind,
    pub parent_id: Option<String>,
    /// False for a well-known classification the site knows by id before any upstream
    /// sent its document.
    pub synced: bool,
    /// Listed updates linked to this category.
    #[ts(type = "number")]
    pub update_count: i64,
    /// When an upstream first sent this category (UTC).
    pub first_seen_utc: Option<String>,
    /// SYNC-8: a product or classification that arrived after the synchronization settings
    /// were last saved and is not chosen in them: the administrator may want to add it.
    pub is_new: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at_utc: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditQuery {
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}

/// Update documents handed to the site as text (the console's "Import update XML").
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportXmlArgs {
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    #[ts(type = "number")]
    pub new_updates: i64,
    #[ts(type = "number")]
    pub new_revisions: i64,
    /// Revisions already held, left as they were.
    #[ts(type = "number")]
    pub unchanged: i64,
    #[ts(type = "number")]
    pub categories: i64,
    /// One line per refused document: which one and why. Refused documents change nothing.
    pub errors: Vec<String>,
}

/// Pushed to every console as the site changes; long work reports progress this way.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SiteEvent {
    #[serde(rename_all = "camelCase")]
    CatalogChanged {
        #[ts(type = "number")]
        new_updates: i64,
        #[ts(type = "number")]
        new_revisions: i64,
    },
    #[serde(rename_all = "camelCase")]
    SyncChanged {
        #[ts(type = "number")]
        run_id: i64,
        state: SyncState,
    },
    /// An automatic deployment rule run started or ended.
    #[serde(rename_all = "camelCase")]
    RuleRunChanged {
        #[ts(type = "number")]
        rule_id: i64,
        #[ts(type = "number")]
        run_id: i64,
        state: super::types_automation::RuleRunState,
    },
    #[serde(rename_all = "camelCase")]
    Progress {
        job: String,
        #[ts(type = "number")]
        done: i64,
        #[ts(type = "number")]
        total: i64,
        message: String,
    },
}

/// Stable error codes; the UI branches on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ErrorCode {
    NotFound,
    Validation,
    Conflict,
    Unauthorized,
    Forbidden,
    Unavailable,
    Internal,
}

/// The error every command returns, written for an administrator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// Where the software update point gets its metadata (SYNC-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum SyncSource {
    MicrosoftUpdate,
    /// An existing WSUS server, or any server speaking MS-WSUSSS.
    UpstreamServer,
    /// The parent Patchdeck site in a hierarchy.
    ParentSite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ScheduleKind {
    /// Only when an administrator starts it.
    Manual,
    EveryHours,
    Daily,
    Weekly,
}

/// When synchronization runs by itself (SYNC-3). Times are UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SyncSchedule {
    pub kind: ScheduleKind,
    /// For EveryHours: 1..=168.
    #[ts(type = "number")]
    pub every_hours: i64,
    /// For Weekly: 0 = Sunday ... 6 = Saturday.
    #[ts(type = "number")]
    pub day_of_week: i64,
    /// For Daily and Weekly: "HH:MM", UTC.
    pub time_utc: String,
}

/// The software update point's synchronization settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SyncSettings {
    pub source: SyncSource,
    /// Root of the upstream (e.g. `https://wsus.example.org:8531`); ignored for Microsoft Update.
    pub upstream_url: String,
    /// Plain HTTP to the upstream is refused unless this is set (metadata could be altered
    /// on the way).
    pub allow_plain_http: bool,
    /// Product category ids to synchronize (SYNC-2). Empty: no updates, categories only.
    pub product_ids: Vec<String>,
    /// Classification category ids; empty means every classification.
    pub classification_ids: Vec<String>,
    pub languages: Vec<String>,
    pub schedule: SyncSchedule,
    /// After each sync, superseded updates whose superseding update arrived more than
    /// this many days ago are declined (0: never). Approved updates are never touched.
    #[serde(default = "default_cleanup_days")]
    #[ts(type = "number")]
    pub cleanup_superseded_days: i64,
    /// Proxy for the upstream connection, e.g. `http://proxy.example.org:3128`; empty: none.
    #[serde(default)]
    pub proxy_url: String,
    /// A PEM file of certificate authorities trusted for the upstream in addition to the
    /// system's (an internal CA signing the upstream's certificate); empty: system only.
    #[serde(default)]
    pub ca_certificate_file: String,
}

fn default_cleanup_days() -> i64 {
    30
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum SyncState {
    Running,
    Succeeded,
    Failed,
}

/// One synchronization run, live or finished (SYNC-6).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunInfo {
    #[ts(type = "number")]
    pub run_id: i64,
    pub started_utc: String,
    pub ended_utc: Option<String>,
    pub state: SyncState,
    pub upstream: String,
    /// What went wrong, for an administrator.
    pub error: Option<String>,
    /// The upstream's anchor after this run: the catalog version this site holds.
    pub anchor: Option<String>,
    #[ts(type = "number")]
    pub new_count: i64,
    #[ts(type = "number")]
    pub changed_count: i64,
    #[ts(type = "number")]
    pub expired_count: i64,
    #[ts(type = "number")]
    pub removed_count: i64,
    /// Update documents downloaded by this run.
    #[ts(type = "number")]
    pub fetched_count: i64,
    #[ts(type = "number")]
    pub progress_done: i64,
    #[ts(type = "number")]
    pub progress_total: i64,
    pub progress_message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub settings: SyncSettings,
    /// The run in progress, if any.
    pub running: Option<SyncRunInfo>,
    /// Newest first.
    pub history: Vec<SyncRunInfo>,
    pub next_scheduled_utc: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SyncLogArgs {
    #[ts(type = "number")]
    pub run_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SyncLogEntry {
    pub at_utc: String,
    pub level: String,
    pub message: String,
}

/// A child site told to synchronize when this one finishes (SYNC-1).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ChildSite {
    pub url: String,
    pub registered_utc: String,
    pub last_notified_utc: Option<String>,
    /// What the child answered last time, e.g. "started run 12" or the error.
    pub last_result: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RegisterChildArgs {
    /// The child's console address, e.g. `https://branch.example.org:8470`.
    pub url: String,
    /// The child's API token (its site folder's api-token).
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ChildUrlArgs {
    pub url: String,
}
