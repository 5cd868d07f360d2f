//! Administrators, roles, scopes and tokens (Administration › Security).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a role may do. Every command of the `commands!` list names the one it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Permission {
    /// See the site: catalog, groups, computers, deployments, settings, logs.
    ReadSite,
    /// Start synchronizations, change sync settings, child sites, catalog import/export.
    Sync,
    /// Software update groups, declines, saved searches.
    Library,
    /// Approve updates for groups and remove approvals.
    Approve,
    /// Create, change and delete deployments.
    Deploy,
    /// Packages, downloads, distribution points.
    Content,
    /// Automatic deployment rules, auto-approval rules, agent policies, offered categories.
    Rules,
    /// Target groups (collections) and their members.
    Computers,
    /// Client service, computer and content settings: site-wide configuration.
    SiteSettings,
    /// Administrators, roles and their tokens.
    Security,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Permission::ReadSite,
        Permission::Sync,
        Permission::Library,
        Permission::Approve,
        Permission::Deploy,
        Permission::Content,
        Permission::Rules,
        Permission::Computers,
        Permission::SiteSettings,
        Permission::Security,
    ];
}

/// How far a command reaches, which decides what a scoped administrator may do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Reach {
    /// Touches no collection (the library, the catalog): the same for every administrator.
    Any,
    /// Names or lists collections: a scoped administrator is held to theirs.
    Scoped,
    /// Site-wide: refused to a scoped administrator.
    Site,
}

/// What a console needs to know of a command before calling it: to disable what the
/// signed-in role cannot do, with the reason.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CommandAccess {
    pub name: String,
    /// Absent: any signed-in administrator.
    pub permission: Option<Permission>,
    pub reach: Reach,
}

/// The signed-in administrator (Security › whoami).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmI {
    /// The site's name, so the console's frame needs no other call to show it.
    pub site_name: String,
    pub name: String,
    pub role: String,
    pub permissions: Vec<Permission>,
    /// Collections the administrator is limited to (with their subgroups); absent: the whole site.
    #[ts(type = "Array<number> | null")]
    pub scope: Option<Vec<i64>>,
    /// Every command with the permission and reach it needs.
    pub commands: Vec<CommandAccess>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SecurityRole {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub description: String,
    pub built_in: bool,
    pub permissions: Vec<Permission>,
}

/// Compose a role from permissions.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CreateRoleArgs {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub permissions: Vec<Permission>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Administrator {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: String,
    /// Target groups the administrator is limited to; empty: the whole site.
    #[ts(type = "Array<number>")]
    pub scope: Vec<i64>,
    pub disabled: bool,
    pub created_utc: String,
    pub modified_utc: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CreateAdminArgs {
    pub name: String,
    /// At least 12 characters.
    pub password: String,
    /// A role's name.
    pub role: String,
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub scope: Vec<i64>,
}

/// Every field present is changed; absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateAdminArgs {
    #[ts(type = "number")]
    pub id: i64,
    pub role: Option<String>,
    #[ts(type = "Array<number> | null")]
    pub scope: Option<Vec<i64>>,
    pub password: Option<String>,
    pub disabled: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApiTokenInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub admin: String,
    pub name: String,
    pub created_utc: String,
    pub expires_utc: String,
    pub revoked_utc: Option<String>,
}

/// A personal token for scripts, for the signed-in administrator (or, with Security, for
/// the one named).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateTokenArgs {
    pub name: String,
    /// 1..=365; 0 means 90.
    #[ts(type = "number")]
    pub days: i64,
    /// Another administrator's id (needs Security).
    #[ts(type = "number | null")]
    pub admin_id: Option<i64>,
}

/// The token itself, shown this once: only its hash is kept.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct NewApiToken {
    pub token: String,
    pub info: ApiTokenInfo,
}

/// A console's sign-in (POST /api/v1/session).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SignInArgs {
    pub name: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// The session token (`pds_…`), also set as an HttpOnly cookie.
    pub token: String,
    pub expires_utc: String,
}
