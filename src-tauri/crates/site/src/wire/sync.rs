//! Synchronization: the software update point's settings, runs, their logs, child sites.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// How Windows Update Agents reach the site (WSUS's client ports). Read when `patchdeck serve`
/// starts; `--clients-listen` on its command line overrides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ClientServiceSettings {
    /// Serve clients at all (off on a new site).
    pub enabled: bool,
    /// Plain HTTP port (WSUS: 8530), served unless `require_ssl`.
    pub http_port: u16,
    /// HTTPS port (WSUS: 8531), served when a certificate and key are set.
    pub https_port: u16,
    /// Refuse plain HTTP: metadata and reports then travel only over TLS.
    pub require_ssl: bool,
    /// PEM certificate chain of the HTTPS listener (full path on the site's machine).
    pub certificate_file: String,
    /// PEM private key of that certificate.
    pub private_key_file: String,
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
    /// How each request to the upstream is retried when it fails for a reason that may pass
    /// (HTTP 500 and 502-504, a server-side fault, a cut or damaged answer); absent: the
    /// defaults.
    #[ts(optional)]
    #[serde(default)]
    pub retry: Option<RetrySettings>,
}

/// The retry budget of one request: `retries` more attempts after the first, waiting
/// `first_wait_ms` before the first retry and twice as long before each next one, never
/// longer than `max_wait_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RetrySettings {
    /// 0: a failed request fails the run at once.
    pub retries: u32,
    pub first_wait_ms: u32,
    pub max_wait_ms: u32,
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
    /// Why this site may hold fewer updates than its upstream.
    #[ts(optional)]
    #[serde(default)]
    pub coverage: Option<SyncCoverage>,
}

/// What a site holds against what it could hold (Monitoring, issue 13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SyncCoverage {
    /// Updates listed in All Software Updates.
    #[ts(type = "number")]
    pub held: i64,
    /// At the last successful synchronization: revisions the upstream lists in the products
    /// it holds as categories that this site left out, their product or classification not
    /// chosen. None until a synchronization counted them.
    #[ts(type = "number | null")]
    pub not_chosen: Option<i64>,
    /// Listed updates in no product this site holds as a category: a site synchronizing
    /// from this one cannot choose them.
    #[ts(type = "number")]
    pub product_not_held: i64,
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

/// Whether the first-run configuration wizard opens by itself, and what it is based on.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct FirstRunStatus {
    /// True while the site lists no updates and no administrator has closed the wizard.
    pub open_on_start: bool,
    /// When an administrator last closed (or finished) the wizard, if ever.
    pub closed_utc: Option<String>,
    /// Updates All Software Updates lists.
    #[ts(type = "number")]
    pub listed_updates: i64,
    /// Products and classifications this site holds from its upstream: the Products and
    /// Classifications pages have something to offer only once categories were fetched.
    #[ts(type = "number")]
    pub synced_products: i64,
    #[ts(type = "number")]
    pub synced_classifications: i64,
}
