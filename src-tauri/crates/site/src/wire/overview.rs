//! The Software Library overview (APR-3 and its companions).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::admin::Deployment;
use super::automation::AdrRunInfo;
use super::sync::SyncRunInfo;

// ---- Overview (APR-3) ----

/// One attention item of the Software Library overview; `link` is the console route of the
/// filtered view it stands for.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OverviewItem {
    pub kind: String,
    pub title: String,
    pub detail: String,
    #[ts(type = "number")]
    pub count: i64,
    pub link: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct LibraryOverview {
    /// APR-3: updates some managed computer requires that no group approves or deploys.
    #[ts(type = "number")]
    pub new_updates_to_approve: i64,
    pub last_sync: Option<SyncRunInfo>,
    /// Rules whose last run failed.
    pub failed_rules: Vec<AdrRunInfo>,
    /// Enabled deployments whose compliance is below their alert threshold after the alert delay.
    pub deployments_below_alert: Vec<Deployment>,
    /// The items above, in the order the overview shows them (only those that need attention).
    pub items: Vec<OverviewItem>,
    #[ts(type = "number")]
    pub managed_computers: i64,
}

// ---- Alerts (Monitoring › Alerts) ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AlertState {
    Active,
    Closed,
    /// Set aside for now: still listed, no longer counted as needing attention.
    Postponed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AlertKind {
    SyncFailed,
    DeploymentBelowAlert,
    RuleRunFailed,
    /// A managed computer silent for longer than the stale threshold of Devices' settings.
    ComputerStale,
}

/// One alert, derived from the object it is about; only its state is kept.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Stable for the object: "sync-run:12", "deployment:3", "rule-run:7".
    pub id: String,
    pub kind: AlertKind,
    pub title: String,
    pub detail: String,
    /// When the condition arose (UTC).
    pub raised_utc: String,
    pub state: AlertState,
    /// When and by whom the state was last changed; absent while never changed.
    pub state_changed_utc: Option<String>,
    pub state_changed_by: Option<String>,
    /// The console route of the object the alert is about.
    pub link: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SetAlertStateArgs {
    pub id: String,
    pub state: AlertState,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceOverviewArgs {
    /// "assets", "library", "monitoring" or "administration".
    pub workspace: String,
}
