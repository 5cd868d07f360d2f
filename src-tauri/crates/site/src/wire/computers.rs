//! Managed computers as the console shows them (Assets and Compliance › Devices): the paged
//! grid, a computer's Properties, and one update's status across computers (Update Status).
//! Imports no other wire file.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Columns of the Devices grid that can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum ComputerColumn {
    Name,
    Os,
    OsVersion,
    Architecture,
    IpAddress,
    ClientVersion,
    LastScan,
    LastReport,
    FirstSeen,
    Needed,
    Failed,
    Installed,
    NotApplicable,
    Compliance,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ComputerSort {
    pub column: ComputerColumn,
    pub descending: bool,
}

/// One page request of the Devices grid.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct ComputerQuery {
    #[ts(type = "number")]
    pub offset: i64,
    /// 1..=1000; 0 means the default of 100.
    #[ts(type = "number")]
    pub limit: i64,
    /// Absent: by name.
    pub sort: Option<ComputerSort>,
    /// Text found anywhere in the name, DNS name, IP address or OS (case-insensitive).
    pub search: Option<String>,
    /// Members of this target group; absent: every computer.
    #[ts(type = "number | null")]
    pub group_id: Option<i64>,
    /// With `group_id`: members of its subgroups too.
    pub include_subgroups: bool,
    /// Only members of these target groups or their subgroups (a scoped administrator's
    /// collections); empty: no such limit.
    #[ts(type = "Array<number>")]
    pub group_ids: Vec<i64>,
}

/// Whether a computer has every update it reported as applicable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Compliance {
    /// Nothing needed or failed among the updates it reported.
    Compliant,
    /// Some reported update is needed or failed.
    NonCompliant,
    /// It never reported.
    Unknown,
}

/// One row of the Devices grid.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ComputerRow {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// Registered by a Windows Update Agent (false: written by other means, e.g. imported).
    pub client: bool,
    pub os: String,
    pub os_version: String,
    pub architecture: String,
    pub ip_address: String,
    pub client_version: String,
    pub last_scan_utc: Option<String>,
    pub last_report_utc: Option<String>,
    pub first_seen_utc: Option<String>,
    pub last_seen_utc: Option<String>,
    /// Paths of the target groups it is a direct member of, sorted.
    pub groups: Vec<String>,
    /// Reported updates it needs (the client's Needed, Downloaded, InstalledPendingRestart).
    #[ts(type = "number")]
    pub needed: i64,
    #[ts(type = "number")]
    pub failed: i64,
    #[ts(type = "number")]
    pub installed: i64,
    #[ts(type = "number")]
    pub not_applicable: i64,
    pub compliance: Compliance,
    /// Not heard from (scan, report or registration) for `stale_after_days`.
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ComputerPage {
    /// Computers matching the query, all pages together.
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub offset: i64,
    /// The age in days past which a computer counts as stale.
    #[ts(type = "number")]
    pub stale_after_days: i64,
    pub rows: Vec<ComputerRow>,
}

/// What a computer's client says of one update (migration 0008's `status`). A computer that
/// never reported the update has no state: `Unknown` ("No status" in WSUS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum UpdateStatus {
    NotApplicable,
    Needed,
    Downloaded,
    Installed,
    InstalledPendingRestart,
    Failed,
    Unknown,
}

/// One update as one computer reported it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ComputerUpdateState {
    pub update_id: String,
    pub title: String,
    /// KB article number without the "KB" prefix.
    pub article_id: Option<String>,
    pub classification: Option<String>,
    pub status: UpdateStatus,
    /// The HRESULT of the last failure, as hex text ("0x80240022").
    pub last_error: Option<String>,
    pub reported_utc: String,
}

/// Everything a computer's Properties shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ComputerDetails {
    pub row: ComputerRow,
    pub dns_name: String,
    pub client_id: Option<String>,
    /// The client-side target group it asked for, if any.
    pub target_group_name: Option<String>,
    /// The last scan error the client reported; absent once a later scan succeeded.
    pub last_scan_error: Option<String>,
    /// Every update it reported, needed and failed first, then by title.
    pub updates: Vec<ComputerUpdateState>,
}

/// How many computers are in each status for one update.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusCounts {
    #[ts(type = "number")]
    pub needed: i64,
    #[ts(type = "number")]
    pub downloaded: i64,
    #[ts(type = "number")]
    pub installed_pending_restart: i64,
    #[ts(type = "number")]
    pub installed: i64,
    #[ts(type = "number")]
    pub not_applicable: i64,
    #[ts(type = "number")]
    pub failed: i64,
    /// Computers that never reported this update.
    #[ts(type = "number")]
    pub unknown: i64,
    /// Every managed computer: the sum of the above.
    #[ts(type = "number")]
    pub total: i64,
}

/// Update Status of one update: its computers counted by status.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusArgs {
    pub update_id: String,
    /// Only the computers of these target groups and their subgroups; empty = every one.
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub group_ids: Vec<i64>,
}

/// One page of the computers in one status for one update (Update Status drill-down).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusQuery {
    pub update_id: String,
    pub status: UpdateStatus,
    /// Only the computers of these target groups and their subgroups; empty = every one.
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub group_ids: Vec<i64>,
    #[ts(type = "number")]
    #[serde(default)]
    pub offset: i64,
    /// 1..=1000; 0 means the default of 100.
    #[ts(type = "number")]
    #[serde(default)]
    pub limit: i64,
}

/// A computer in the drill-down, with what it reported of the update.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusComputer {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub ip_address: String,
    pub os: String,
    pub status: UpdateStatus,
    pub last_error: Option<String>,
    /// When it reported this update; absent for Unknown.
    pub reported_utc: Option<String>,
    pub last_report_utc: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusPage {
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub offset: i64,
    pub rows: Vec<UpdateStatusComputer>,
}

/// How computers get their target groups (WSUS Options › Computers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum TargetingMode {
    /// Groups are set in the console; a new computer lands in All Computers.
    Server,
    /// Each computer names its groups itself (the agent's TargetGroup policy); a name no
    /// group has leaves it in All Computers.
    Client,
}

/// Site-wide settings about managed computers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ComputerSettings {
    pub targeting: TargetingMode,
    /// A computer not heard from (scan, report or registration) for this many days shows
    /// as stale (1 to 365; 30 by default).
    #[ts(type = "number")]
    pub stale_after_days: i64,
}
