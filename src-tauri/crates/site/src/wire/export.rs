//! Catalog export and import for disconnected sites (SYNC-7).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::catalog::ImportReport;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ExportCatalogArgs {
    /// Full path of the file to write, on the machine that runs the site.
    pub path: String,
    /// Also put every file of the content library in the export.
    #[serde(default)]
    pub with_content: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ExportCatalogReport {
    pub path: String,
    #[ts(type = "number")]
    pub revisions: i64,
    #[ts(type = "number")]
    pub content_files: i64,
    /// Sum of the content files' sizes.
    #[ts(type = "number")]
    pub content_bytes: i64,
    /// Size of the written export file.
    #[ts(type = "number")]
    pub file_bytes: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportCatalogExportArgs {
    /// Full path of the export file, on the machine that runs the site.
    pub path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CatalogImportReport {
    /// The site the file was exported from, and when.
    pub source_site: String,
    pub created_utc: String,
    pub catalog: ImportReport,
    /// Content files placed into the library.
    #[ts(type = "number")]
    pub content_stored: i64,
    /// Content files the library already held, left as they were.
    #[ts(type = "number")]
    pub content_already_held: i64,
    #[ts(type = "number")]
    pub content_bytes_stored: i64,
}
