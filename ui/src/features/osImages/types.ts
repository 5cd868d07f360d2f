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

export type AddOsImageArgs = Json<GAddOsImageArgs>;
export type AddOsUpgradePackageArgs = Json<GAddOsUpgradePackageArgs>;
export type OsImage = Json<GOsImage>;
export type OsImageDetails = Json<GOsImageDetails>;
export type OsImageIndex = Json<GOsImageIndex>;
export type OsImageInspection = Json<GOsImageInspection>;
export type OsImagePackage = Json<GOsImagePackage>;
export type { OsImageKind } from "../../api/generated/OsImageKind";
