//! Automation: rule criteria and previews, evaluation schedules, automatic deployment rules
//! and their runs, auto-approval rules, offered categories, update agent policies.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::admin::DeploymentSettings;
use super::catalog::UpdateRow;
use super::content::DownloadSource;

// ---- Rule criteria (one engine for ADRs and previews) ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum SpanUnit {
    Hours,
    Days,
    Weeks,
    Months,
}

/// A length of time: "2 weeks", "1 month". Months are calendar months (Jan 31 + 1 month
/// is the end of February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TimeSpan {
    #[ts(type = "number")]
    pub value: i64,
    pub unit: SpanUnit,
}

/// What a rule selects. Every field that is set must hold (AND); within a list, any value
/// matches (OR). An empty list or None does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct RuleCriteria {
    /// Classification category ids.
    pub classification_ids: Vec<String>,
    /// Product category ids.
    pub product_ids: Vec<String>,
    /// MSRC severities ("Critical", "Important", "Moderate", "Low"; "" for none).
    pub severities: Vec<String>,
    /// Case-insensitive text the title or the KB number (with or without "KB") contains.
    pub title_contains: Option<String>,
    /// Released (creation date) within this span before the evaluation time.
    pub released_within: Option<TimeSpan>,
    /// Last revision received within this span before the evaluation time.
    pub revised_within: Option<TimeSpan>,
    /// Some(false): not superseded; Some(true): only superseded; None: either.
    pub superseded: Option<bool>,
    /// Expired updates are never selected unless this is true.
    pub include_expired: bool,
    /// Required on at least this many computers.
    #[ts(type = "number | null")]
    pub min_required: Option<i64>,
    /// Update languages (e.g. "en"): updates with no language always match.
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PreviewCriteriaArgs {
    pub criteria: RuleCriteria,
    /// Rows returned (the count is always whole): 1..=1000, 0 means 200.
    #[ts(type = "number")]
    #[serde(default)]
    pub limit: i64,
}

/// Exactly what a run evaluated now would select (declined updates never are).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RulePreview {
    #[ts(type = "number")]
    pub total: i64,
    /// The first `limit` matches, newest release first.
    pub updates: Vec<UpdateRow>,
    /// The evaluation time the relative criteria were computed from (UTC).
    pub evaluated_utc: String,
}

// ---- Evaluation schedules ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum EvaluationKind {
    /// Only "Run now".
    Manual,
    /// At the end of every successful synchronization.
    AfterSync,
    Daily,
    Weekly,
    /// N days after the second Tuesday of each month ("Patch Tuesday").
    MonthlyAfterPatchTuesday,
}

/// When a rule evaluates by itself. Times are UTC, so daylight-saving changes never skip
/// or repeat a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationSchedule {
    pub kind: EvaluationKind,
    /// "HH:MM" UTC, for Daily, Weekly and MonthlyAfterPatchTuesday.
    pub time_utc: String,
    /// For Weekly: 0 = Sunday ... 6 = Saturday.
    #[ts(type = "number")]
    #[serde(default)]
    pub day_of_week: i64,
    /// For MonthlyAfterPatchTuesday: 0..=27 days after the second Tuesday.
    #[ts(type = "number")]
    #[serde(default)]
    pub days_after_patch_tuesday: i64,
}

// ---- Automatic deployment rules (ADR) ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AdrGroupMode {
    /// Each run creates a new software update group ("<rule> <UTC date and time>").
    NewGroupEachRun,
    /// Each run adds to the rule's one group (created by the first run, or chosen).
    AddToExistingGroup,
}

/// One deployment of a rule (ADR-3): its collection, times relative to the run, and the
/// Deploy wizard's other settings.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AdrDeploymentSpec {
    #[ts(type = "number")]
    pub target_group_id: i64,
    /// Available this long after the run; None: as soon as the run deploys.
    #[serde(default)]
    pub available_after: Option<TimeSpan>,
    /// Deadline this long after the available time; None: no deadline (Available type only).
    #[serde(default)]
    pub deadline_after: Option<TimeSpan>,
    /// Every other Deploy wizard setting. `availableUtc` and `deadlineUtc` are computed at
    /// each run from the spans above; the values sent are ignored.
    pub settings: DeploymentSettings,
}

/// Where a rule's content goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
pub enum AdrPackageChoice {
    /// Deploy without downloading (clients use the fallback, CNT-2).
    NoPackage,
    /// An existing deployment package.
    Existing {
        #[ts(type = "number")]
        package_id: i64,
    },
    /// A new package, created by the first run and reused by the next ones.
    New { name: String },
}

/// Everything the Create Automatic Deployment Rule wizard collects.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AdrSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub group_mode: AdrGroupMode,
    /// For AddToExistingGroup: a group chosen in the wizard; None: the first run creates it.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub existing_update_group_id: Option<i64>,
    pub criteria: RuleCriteria,
    pub evaluation: EvaluationSchedule,
    /// At least one; the first is the wizard's target collection.
    pub deployments: Vec<AdrDeploymentSpec>,
    pub package: AdrPackageChoice,
    pub download_source: DownloadSource,
    /// Languages of the files to download; empty: every language.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Distribute the package to these distribution points after each download.
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub distribution_point_ids: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum RuleRunTrigger {
    Manual,
    Schedule,
    AfterSync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum RuleRunState {
    Running,
    Succeeded,
    /// Finished, but nothing matched: no group, no deployment.
    NothingSelected,
    Failed,
}

/// One run of an automatic deployment rule (Monitoring).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AdrRunInfo {
    #[ts(type = "number")]
    pub run_id: i64,
    #[ts(type = "number")]
    pub rule_id: i64,
    pub rule_name: String,
    pub trigger: RuleRunTrigger,
    pub state: RuleRunState,
    pub started_utc: String,
    pub ended_utc: Option<String>,
    #[ts(type = "number")]
    pub selected: i64,
    /// Updates newly added to the group.
    #[ts(type = "number")]
    pub added: i64,
    /// Files downloaded (already held ones are not counted).
    #[ts(type = "number")]
    pub downloaded: i64,
    /// Deployments created or updated.
    #[ts(type = "number")]
    pub deployments: i64,
    #[ts(type = "number | null")]
    pub update_group_id: Option<i64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AutomaticDeploymentRule {
    #[ts(type = "number")]
    pub id: i64,
    pub enabled: bool,
    pub spec: AdrSpec,
    /// The group the next run adds to (AddToExistingGroup) or the last run created.
    #[ts(type = "number | null")]
    pub update_group_id: Option<i64>,
    pub update_group_name: Option<String>,
    #[ts(type = "number | null")]
    pub package_id: Option<i64>,
    /// Deployments the rule created (assignments), enabled or not.
    #[ts(type = "Array<number>")]
    pub deployment_ids: Vec<i64>,
    pub last_run: Option<AdrRunInfo>,
    /// None for Manual and AfterSync schedules, or while disabled.
    pub next_evaluation_utc: Option<String>,
    pub created_utc: String,
    pub modified_utc: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ValidateAdrArgs {
    /// The rule being edited (Properties, Add Deployment): its own name does not clash with
    /// itself. None for a new rule.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub spec: AdrSpec,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EditAdrArgs {
    #[ts(type = "number")]
    pub id: i64,
    /// Applies to future runs; what earlier runs created stays.
    pub spec: AdrSpec,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct ListAdrRunsArgs {
    /// One rule's runs; None: every rule's.
    #[ts(type = "number | null")]
    pub rule_id: Option<i64>,
    /// 0 means 100.
    #[ts(type = "number")]
    pub limit: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum LogLevel {
    Info,
    Warning,
    Error,
}

/// One line of a rule run's log: what was selected, added, downloaded, deployed, or why not.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RuleRunLogEntry {
    pub at_utc: String,
    pub level: LogLevel,
    pub message: String,
}

// ---- Auto-approval rules (APR-5) ----

/// Auto-approval rule wizard: General → Product categories → Update classifications →
/// Deployment → Summary. Approves for install (Required) in each group.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRuleSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Product category ids; at least one product or classification.
    #[serde(default)]
    pub product_ids: Vec<String>,
    #[serde(default)]
    pub classification_ids: Vec<String>,
    /// Computer groups approved for; at least one.
    #[ts(type = "Array<number>")]
    pub group_ids: Vec<i64>,
    /// Installation deadline this many days after the approval (0..=365); None: no deadline.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub deadline_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRule {
    #[ts(type = "number")]
    pub id: i64,
    pub enabled: bool,
    pub spec: ApprovalRuleSpec,
    /// Approvals the rule has written since it was created.
    #[ts(type = "number")]
    pub approvals_made: i64,
    pub last_applied_utc: Option<String>,
    pub created_utc: String,
    pub modified_utc: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EditApprovalRuleArgs {
    #[ts(type = "number")]
    pub id: i64,
    pub spec: ApprovalRuleSpec,
}

/// "Run selected": applies the rules to every update already in the catalog.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RunApprovalRulesArgs {
    #[ts(type = "Array<number>")]
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRuleRunReport {
    /// Updates that matched at least one rule.
    #[ts(type = "number")]
    pub updates: i64,
    /// Approvals written (update × group); existing explicit approvals are left as they are.
    #[ts(type = "number")]
    pub approvals: i64,
}

// ---- Categories offered to computers (APR-4) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OfferedCategories {
    pub product_ids: Vec<String>,
    pub classification_ids: Vec<String>,
    /// True until an administrator saves a choice: the defaults are shown preset.
    #[serde(default)]
    pub is_default: bool,
}

// ---- Update agent policy (POL-1, POL-2) ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum InstallBehavior {
    /// Install scheduled updates automatically.
    AutomaticOnSchedule,
    /// Prompt the user to accept the installation.
    PromptUser,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ScheduledDay {
    EveryDay,
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

/// The settings of the seed's agent policy, each with its range (POL-1). The recommended
/// values are [`AgentPolicySettings::recommended`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AgentPolicySettings {
    /// 8..=22 hours (8).
    #[ts(type = "number")]
    pub detection_frequency_hours: i64,
    /// AutomaticOnSchedule.
    pub install_behavior: InstallBehavior,
    /// EveryDay.
    pub scheduled_day: ScheduledDay,
    /// "HH:MM", client local time ("03:00").
    pub scheduled_time: String,
    /// Use Windows automatic maintenance (true).
    pub use_automatic_maintenance: bool,
    /// Install at once the updates that need no interruption of Windows (true: Allow).
    pub allow_immediate_install: bool,
    /// Restart delay after scheduled installs: 1..=30 minutes (15).
    #[ts(type = "number")]
    pub restart_delay_minutes: i64,
    /// Delay after a restart before missed scheduled installs: 1..=60 minutes (5).
    #[ts(type = "number")]
    pub missed_install_delay_minutes: i64,
    /// The logged-on user may control the restart (true: Yes).
    pub user_controls_restart: bool,
    /// Prompt to restart for mandatory agent updates (true: Yes).
    pub prompt_restart_for_agent_updates: bool,
    /// Schedule of mandatory agent updates; None: not configured (recommended).
    pub agent_update_schedule: Option<AgentUpdateSchedule>,
    /// Wait between restart prompts: 1..=1440 minutes (30).
    #[ts(type = "number")]
    pub restart_prompt_interval_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AgentUpdateSchedule {
    pub day: ScheduledDay,
    /// "HH:MM", client local time.
    pub time: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AgentPolicySpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub settings: AgentPolicySettings,
    /// Computer groups the policy is deployed to (POL-2).
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub group_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AgentPolicy {
    #[ts(type = "number")]
    pub id: i64,
    pub spec: AgentPolicySpec,
    pub created_utc: String,
    pub modified_utc: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EditAgentPolicyArgs {
    #[ts(type = "number")]
    pub id: i64,
    pub spec: AgentPolicySpec,
}

/// The description of one setting for the settings page: its range and recommended value.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PolicySettingInfo {
    /// The field name in AgentPolicySettings (camelCase).
    pub field: String,
    pub label: String,
    pub description: String,
    /// For numbers: the inclusive range.
    #[ts(type = "number | null")]
    pub min: Option<i64>,
    #[ts(type = "number | null")]
    pub max: Option<i64>,
    pub unit: Option<String>,
    /// The recommended value as the UI shows it ("8", "Allow", "03:00", "Not configured").
    pub recommended: String,
}

/// What a computer (or a set of groups) gets: the policy decided nearest to it, or the OS
/// defaults when no group has one.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveAgentPolicy {
    /// None: no policy applies; the computers use the operating system's defaults.
    pub settings: Option<AgentPolicySettings>,
    #[ts(type = "number | null")]
    pub policy_id: Option<i64>,
    pub policy_name: Option<String>,
    #[ts(type = "number | null")]
    pub source_group_id: Option<i64>,
    pub source_group_path: Option<String>,
}
