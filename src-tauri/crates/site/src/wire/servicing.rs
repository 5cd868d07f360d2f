//! Offline servicing of OS images (issue 17, SRV-1..7): the Schedule Updates wizard's
//! pages, the runs it schedules, their logs and the servicing settings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The architecture filter of Choose updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ServicingArchitecture {
    #[default]
    All,
    X86,
    X64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApplicableUpdatesArgs {
    #[ts(type = "number")]
    pub image_id: i64,
    /// Words matched against title, KB number and description.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub architecture: ServicingArchitecture,
}

/// An update that applies to the image and is not in it yet.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApplicableUpdate {
    pub update_id: String,
    pub title: String,
    /// `KB5026368`.
    pub kb: String,
    pub classification: String,
    pub architecture: String,
    pub creation_date: String,
    #[ts(type = "number")]
    pub size: i64,
    /// Every file of the update is in the content library (SRV-2).
    pub downloaded: bool,
}

/// Choose updates: what applies, and whether this site can service at all.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApplicableUpdates {
    pub updates: Vec<ApplicableUpdate>,
    /// Absent when DISM is found; otherwise why nothing can be serviced here.
    pub dism_missing: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleServicingArgs {
    #[ts(type = "number")]
    pub image_id: i64,
    pub update_ids: Vec<String>,
    /// RFC 3339; absent or past: as soon as possible.
    #[serde(default)]
    pub when_utc: Option<String>,
    #[serde(default)]
    pub continue_on_error: bool,
    #[serde(default)]
    pub update_distribution_points: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ServicingState {
    Scheduled,
    InProgress,
    Successful,
    Failed,
    Cancelled,
    Interrupted,
}

impl ServicingState {
    pub fn as_str(&self) -> &'static str {
        match self {
            ServicingState::Scheduled => "Scheduled",
            ServicingState::InProgress => "InProgress",
            ServicingState::Successful => "Successful",
            ServicingState::Failed => "Failed",
            ServicingState::Cancelled => "Cancelled",
            ServicingState::Interrupted => "Interrupted",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "Scheduled" => ServicingState::Scheduled,
            "InProgress" => ServicingState::InProgress,
            "Successful" => ServicingState::Successful,
            "Cancelled" => ServicingState::Cancelled,
            "Interrupted" => ServicingState::Interrupted,
            _ => ServicingState::Failed,
        }
    }

    /// The words the console shows (Scheduled Updates Status).
    pub fn label(&self) -> &'static str {
        match self {
            ServicingState::Scheduled => "Scheduled",
            ServicingState::InProgress => "In progress",
            ServicingState::Successful => "Successful",
            ServicingState::Failed => "Failed",
            ServicingState::Cancelled => "Cancelled",
            ServicingState::Interrupted => "Interrupted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ServicingUpdateState {
    Pending,
    Installed,
    Failed,
    NotApplied,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ServicingRunUpdate {
    pub update_id: String,
    pub title: String,
    pub kb: String,
    pub state: ServicingUpdateState,
    pub detail: String,
}

/// One servicing run (Monitoring › Offline Servicing, the image's Servicing tab).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ServicingRun {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub image_id: i64,
    pub image_name: String,
    pub scheduled_utc: String,
    pub continue_on_error: bool,
    pub update_distribution_points: bool,
    pub state: ServicingState,
    pub detail: String,
    pub created_utc: String,
    pub created_by: String,
    pub started_utc: Option<String>,
    pub finished_utc: Option<String>,
    #[ts(type = "number | null")]
    pub bytes_before: Option<i64>,
    /// The serviced copy after DISM's commits, before the superseded payload is dropped.
    #[ts(type = "number | null")]
    pub bytes_committed: Option<i64>,
    #[ts(type = "number | null")]
    pub bytes_after: Option<i64>,
    pub updates: Vec<ServicingRunUpdate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ServicingLogSource {
    Servicing,
    Dism,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ServicingLogLine {
    pub at_utc: String,
    pub source: ServicingLogSource,
    pub line: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ServicingRunLog {
    pub run: ServicingRun,
    pub lines: Vec<ServicingLogLine>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ListServicingRunsArgs {
    /// Only this image's runs.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub image_id: Option<i64>,
}

/// SRV-7 and the DISM tool path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ServicingSettings {
    /// `Automatic` (the site's drive) or a drive or folder on the site's machine.
    pub servicing_drive: String,
    /// The DISM executable.
    pub dism_path: String,
}

impl Default for ServicingSettings {
    fn default() -> Self {
        Self {
            servicing_drive: "Automatic".into(),
            dism_path: if cfg!(windows) {
                r"C:\Windows\System32\Dism.exe".into()
            } else {
                "dism".into()
            },
        }
    }
}
