// The administration wire types this feature uses, as JSON.parse hands them over. They come
// from the generated contract (src-tauri/crates/site/src/api/types_admin.rs); nothing here
// is written by hand.
import type { Json } from "../../api";
import type { Deployment as GDeployment } from "../../api/generated/Deployment";
import type { DeploymentCounts as GDeploymentCounts } from "../../api/generated/DeploymentCounts";
import type { DeploymentSettings as GDeploymentSettings } from "../../api/generated/DeploymentSettings";
import type { DeploymentSpec as GDeploymentSpec } from "../../api/generated/DeploymentSpec";
import type { FieldIssue as GFieldIssue } from "../../api/generated/FieldIssue";
import type { TargetGroup as GTargetGroup } from "../../api/generated/TargetGroup";
import type { UpdateGroupInfo as GUpdateGroupInfo } from "../../api/generated/UpdateGroupInfo";

export type Deployment = Json<GDeployment>;
export type DeploymentCounts = Json<GDeploymentCounts>;
export type DeploymentSettings = Json<GDeploymentSettings>;
export type DeploymentSpec = Json<GDeploymentSpec>;
export type FieldIssue = Json<GFieldIssue>;
export type TargetGroup = Json<GTargetGroup>;
export type UpdateGroupInfo = Json<GUpdateGroupInfo>;
export type { DeploymentType } from "../../api/generated/DeploymentType";
export type { TimeBasis } from "../../api/generated/TimeBasis";
export type { Verbosity } from "../../api/generated/Verbosity";
export type { UserNotifications } from "../../api/generated/UserNotifications";
export type { SlowNetworkAction } from "../../api/generated/SlowNetworkAction";
