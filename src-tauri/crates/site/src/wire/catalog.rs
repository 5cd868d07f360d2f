//! The catalog as consoles see it: All Software Updates pages, Properties, categories,
//! site information and update-XML imports.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
