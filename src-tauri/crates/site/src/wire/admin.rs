//! The admin model: target groups, software update groups, declines and saved searches,
//! approvals, deployments and the effective policy of a computer.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::catalog::{UpdateQuery, UpdateRow};

// ---- Target groups (device collections / computer groups: one tree) ----

/// A node of the target-group tree. The root "All Computers" (id 1) always exists.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroup {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub parent_id: Option<i64>,
    pub name: String,
    pub description: String,
    /// Names from the root down, joined by " / ".
    pub path: String,
    /// Computers that are direct members.
    #[ts(type = "number")]
    pub member_count: i64,
    /// Deployments and approvals that target this group directly.
    #[ts(type = "number")]
    pub assignment_count: i64,
    pub created_utc: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CreateTargetGroupArgs {
    /// The parent group; absent: under "All Computers".
    #[ts(type = "number | null")]
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Rename, describe or move a group (every field is the new value).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTargetGroupArgs {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// New parent; moving under itself or a descendant is refused; the root cannot move.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// A managed computer. Computers arrive with the client protocol; the model exists now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Computer {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub os: String,
    pub last_seen_utc: Option<String>,
    #[ts(type = "Array<number>")]
    pub group_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct ListComputersArgs {
    /// Members of this group; absent: every computer.
    #[ts(type = "number | null")]
    pub group_id: Option<i64>,
    /// Include members of the group's descendants.
    pub include_subgroups: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct GroupMembersArgs {
    #[ts(type = "number")]
    pub group_id: i64,
    #[ts(type = "Array<number>")]
    pub computer_ids: Vec<i64>,
}

// ---- Software update groups (GRP-1) ----

/// Compliance of a set of updates over the computers that report on them. Zero until
/// clients report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceCounts {
    #[ts(type = "number")]
    pub required: i64,
    #[ts(type = "number")]
    pub installed: i64,
    #[ts(type = "number")]
    pub not_required: i64,
    #[ts(type = "number")]
    pub failed: i64,
    #[ts(type = "number")]
    pub unknown: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateGroupInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub description: String,
    pub created_utc: String,
    #[ts(type = "number")]
    pub member_count: i64,
    /// Deployments of this group (enabled or not).
    #[ts(type = "number")]
    pub deployment_count: i64,
    pub compliance: ComplianceCounts,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CreateUpdateGroupArgs {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// UpdateIDs; no upper limit.
    #[serde(default)]
    pub update_ids: Vec<String>,
}

/// Renames a group and/or adds and removes members in one change.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EditUpdateGroupArgs {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub remove: Vec<String>,
}

/// Properties of a group: the group and its members.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateGroupDetails {
    pub info: UpdateGroupInfo,
    pub members: Vec<UpdateRow>,
}

// ---- Library: declines and saved searches (LIB-2, LIB-4) ----

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateIdsArgs {
    pub update_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DeclineReport {
    #[ts(type = "number")]
    pub declined: i64,
    #[ts(type = "number")]
    pub already_declined: i64,
    /// Approvals removed with the declines.
    #[ts(type = "number")]
    pub approvals_removed: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SavedSearch {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub query: UpdateQuery,
    pub created_utc: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SaveSearchArgs {
    pub name: String,
    pub query: UpdateQuery,
}

// ---- Assignments: approvals (Intune style) and deployments (Configuration Manager style) ----

/// What a computer is told to do with an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ApprovalAction {
    Required,
    Available,
    DoNotInstall,
    Uninstall,
}

/// Deadline choices of the Approve wizard; computed in UTC when the approval is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum DeadlinePreset {
    None,
    AsSoonAsPossible,
    Custom,
    OneWeek,
    TwoWeeks,
    OneMonth,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct GroupApproval {
    #[ts(type = "number")]
    pub group_id: i64,
    pub action: ApprovalAction,
    pub deadline: DeadlinePreset,
    /// For Custom: RFC 3339 UTC, in the future.
    #[serde(default)]
    pub custom_deadline_utc: Option<String>,
}

/// Approve wizard: every update gets the same approval per group. Cancel sends nothing.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApproveArgs {
    pub update_ids: Vec<String>,
    pub approvals: Vec<GroupApproval>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApproveReport {
    /// Explicit approvals written (update × group).
    #[ts(type = "number")]
    pub approvals: i64,
    /// Updates that were declined and are approved again.
    #[ts(type = "number")]
    pub undeclined: i64,
}

/// Removes explicit approvals: the groups inherit their parents' again.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RemoveApprovalsArgs {
    pub update_ids: Vec<String>,
    #[ts(type = "Array<number>")]
    pub group_ids: Vec<i64>,
}

/// Approvals of one update in every group, or of every approved update in one group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct ListApprovalsArgs {
    pub update_id: Option<String>,
    #[ts(type = "number | null")]
    pub group_id: Option<i64>,
}

/// The approval a group has for an update: its own, or inherited from an ancestor.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalInfo {
    pub update_id: String,
    pub update_title: String,
    #[ts(type = "number")]
    pub group_id: i64,
    pub group_path: String,
    pub action: ApprovalAction,
    pub deadline_utc: Option<String>,
    /// True when set on this group; false when inherited.
    pub explicit: bool,
    /// The group the approval comes from (this group when explicit).
    #[ts(type = "number")]
    pub source_group_id: i64,
    pub source_group_path: String,
    pub approved_utc: String,
    pub approved_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum DeploymentType {
    Required,
    Available,
}

/// How deployment times are read: the same instant everywhere, or each client's own clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum TimeBasis {
    Utc,
    ClientLocal,
}

/// Detail level of the state messages clients send back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Verbosity {
    AllMessages,
    SuccessAndErrors,
    OnlyErrors,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum UserNotifications {
    /// Shown in Software Center with every notification.
    DisplayAll,
    /// Shown in Software Center, notifying only computer restarts.
    DisplayRestartsOnly,
    /// Hidden, with no notification.
    HideAll,
}

/// On a slow or unreliable network (or a neighbour distribution point).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum SlowNetworkAction {
    DoNotInstall,
    DownloadAndInstall,
}

/// Every page of the Deploy Software Updates wizard after General.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSettings {
    // Deployment settings
    pub deployment_type: DeploymentType,
    pub wake_on_lan: bool,
    pub verbosity: Verbosity,
    // Scheduling
    pub time_basis: TimeBasis,
    /// When the updates become available: RFC 3339 UTC (with ClientLocal, the wall-clock
    /// time is read in each client's zone).
    pub available_utc: String,
    /// Installation deadline; required for Required deployments, at or after `available_utc`.
    pub deadline_utc: Option<String>,
    // User experience
    pub user_notifications: UserNotifications,
    pub install_outside_maintenance_window: bool,
    pub restart_outside_maintenance_window: bool,
    pub suppress_restart_servers: bool,
    pub suppress_restart_workstations: bool,
    // Alerts
    /// Raise an alert when compliance stays below `alert_below_percent` this many days
    /// after the deadline; None: no alert.
    #[ts(type = "number | null")]
    pub alert_days_after_deadline: Option<i64>,
    /// 1..=99.
    #[ts(type = "number")]
    pub alert_below_percent: i64,
    // Download settings
    pub slow_network: SlowNetworkAction,
    /// CNT-2: clients may download from Microsoft Update when no distribution point has
    /// the content.
    pub fallback_to_microsoft_update: bool,
    pub allow_metered_download: bool,
}

/// A deployment as the wizard submits it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Deploy this software update group ...
    #[ts(type = "number | null")]
    #[serde(default)]
    pub update_group_id: Option<i64>,
    /// ... or these updates (a group named after the deployment is created for them).
    #[serde(default)]
    pub update_ids: Vec<String>,
    /// The target collection.
    #[ts(type = "number")]
    pub target_group_id: i64,
    pub settings: DeploymentSettings,
}

/// Counts of a deployment's computers by state; zero until clients report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCounts {
    #[ts(type = "number")]
    pub compliant: i64,
    #[ts(type = "number")]
    pub in_progress: i64,
    #[ts(type = "number")]
    pub error: i64,
    #[ts(type = "number")]
    pub requirements_not_met: i64,
    #[ts(type = "number")]
    pub unknown: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub description: String,
    #[ts(type = "number")]
    pub update_group_id: i64,
    pub update_group_name: String,
    #[ts(type = "number")]
    pub update_count: i64,
    #[ts(type = "number")]
    pub target_group_id: i64,
    pub target_group_path: String,
    pub enabled: bool,
    pub settings: DeploymentSettings,
    pub created_utc: String,
    pub modified_utc: String,
    pub created_by: String,
    pub counts: DeploymentCounts,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EditDeploymentArgs {
    #[ts(type = "number")]
    pub id: i64,
    pub spec: DeploymentSpec,
}

// ---- Effective policy ----

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct EffectivePolicyArgs {
    /// A computer (its groups are read) ...
    #[ts(type = "number | null")]
    pub computer_id: Option<i64>,
    /// ... or a set of groups, as if a computer were a member of each.
    #[ts(type = "Array<number>")]
    pub group_ids: Vec<i64>,
}

/// What one update means for the computer, and where that comes from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveUpdate {
    pub update_id: String,
    pub title: String,
    pub action: ApprovalAction,
    pub deadline_utc: Option<String>,
    /// The group whose approval or deployment decided it.
    #[ts(type = "number")]
    pub source_group_id: i64,
    pub source_group_path: String,
    /// The deployment that decided it, when it was a deployment rather than an approval.
    #[ts(type = "number | null")]
    pub deployment_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EffectivePolicy {
    #[ts(type = "Array<number>")]
    pub group_ids: Vec<i64>,
    pub updates: Vec<EffectiveUpdate>,
}
