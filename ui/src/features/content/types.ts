// The content wire types this feature uses (src-tauri/crates/site/src/api/types_content.rs),
// as JSON.parse hands them over.
import type { Json } from "../../api";
import type { CheckDownloadSourceArgs as GCheckDownloadSourceArgs } from "../../api/generated/CheckDownloadSourceArgs";
import type { DownloadSourceCheck as GDownloadSourceCheck } from "../../api/generated/DownloadSourceCheck";
import type { AddDistributionPointArgs as GAddDistributionPointArgs } from "../../api/generated/AddDistributionPointArgs";
import type { ContentPackage as GContentPackage } from "../../api/generated/ContentPackage";
import type { ContentSettings as GContentSettings } from "../../api/generated/ContentSettings";
import type { DistributionPoint as GDistributionPoint } from "../../api/generated/DistributionPoint";
import type { DistributionStatus as GDistributionStatus } from "../../api/generated/DistributionStatus";
import type { DownloadFile as GDownloadFile } from "../../api/generated/DownloadFile";
import type { DownloadJob as GDownloadJob } from "../../api/generated/DownloadJob";
import type { StartDownloadArgs as GStartDownloadArgs } from "../../api/generated/StartDownloadArgs";

export type AddDistributionPointArgs = Json<GAddDistributionPointArgs>;
export type ContentPackage = Json<GContentPackage>;
export type ContentSettings = Json<GContentSettings>;
export type DistributionPoint = Json<GDistributionPoint>;
export type DistributionStatus = Json<GDistributionStatus>;
export type DownloadFile = Json<GDownloadFile>;
export type DownloadJob = Json<GDownloadJob>;
export type StartDownloadArgs = Json<GStartDownloadArgs>;
export type CheckDownloadSourceArgs = Json<GCheckDownloadSourceArgs>;
export type DownloadSourceCheck = Json<GDownloadSourceCheck>;
export type { SyncSource } from "../../api/generated/SyncSource";
export type { DistributionState } from "../../api/generated/DistributionState";
export type { DownloadFileState } from "../../api/generated/DownloadFileState";
export type { DownloadJobState } from "../../api/generated/DownloadJobState";
export type { DownloadSource } from "../../api/generated/DownloadSource";
