// The OS image wire types this feature uses (src-tauri/crates/site/src/wire/images.rs), as
// JSON.parse hands them over.
import type { Json } from "../../api";
import type { AddOsImageArgs as GAddOsImageArgs } from "../../api/generated/AddOsImageArgs";
import type { AddOsUpgradePackageArgs as GAddOsUpgradePackageArgs } from "../../api/generated/AddOsUpgradePackageArgs";
import type { OsImage as GOsImage } from "../../api/generated/OsImage";
import type { OsImageDetails as GOsImageDetails } from "../../api/generated/OsImageDetails";
import type { OsImageIndex as GOsImageIndex } from "../../api/generated/OsImageIndex";
import type { OsImageInspection as GOsImageInspection } from "../../api/generated/OsImageInspection";
import type { OsImagePackage as GOsImagePackage } from "../../api/generated/OsImagePackage";
import type { OsImageDistribution as GOsImageDistribution } from "../../api/generated/OsImageDistribution";

export type AddOsImageArgs = Json<GAddOsImageArgs>;
export type AddOsUpgradePackageArgs = Json<GAddOsUpgradePackageArgs>;
export type OsImage = Json<GOsImage>;
export type OsImageDetails = Json<GOsImageDetails>;
export type OsImageIndex = Json<GOsImageIndex>;
export type OsImageInspection = Json<GOsImageInspection>;
export type OsImagePackage = Json<GOsImagePackage>;
export type OsImageDistribution = Json<GOsImageDistribution>;
export type { OsImageKind } from "../../api/generated/OsImageKind";
import type { ApplicableUpdate as GApplicableUpdate } from "../../api/generated/ApplicableUpdate";
import type { ApplicableUpdates as GApplicableUpdates } from "../../api/generated/ApplicableUpdates";
import type { ScheduleServicingArgs as GScheduleServicingArgs } from "../../api/generated/ScheduleServicingArgs";
import type { ServicingRun as GServicingRun } from "../../api/generated/ServicingRun";
import type { ServicingRunLog as GServicingRunLog } from "../../api/generated/ServicingRunLog";

export type ApplicableUpdate = Json<GApplicableUpdate>;
export type ApplicableUpdates = Json<GApplicableUpdates>;
export type ScheduleServicingArgs = Json<GScheduleServicingArgs>;
export type ServicingRun = Json<GServicingRun>;
export type ServicingRunLog = Json<GServicingRunLog>;
export type { ServicingArchitecture } from "../../api/generated/ServicingArchitecture";
