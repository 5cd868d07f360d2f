// The wire types of catalog export files (src-tauri/crates/site/src/api/types_export.rs), as
// JSON.parse hands them over.
import type { Json } from "../../../api";
import type { CatalogImportReport as GCatalogImportReport } from "../../../api/generated/CatalogImportReport";
import type { ExportCatalogReport as GExportCatalogReport } from "../../../api/generated/ExportCatalogReport";

export type CatalogImportReport = Json<GCatalogImportReport>;
export type ExportCatalogReport = Json<GExportCatalogReport>;
