// The third-party publishing wire types this feature uses (src-tauri/crates/site/src/wire/publishing.rs),
// as JSON.parse hands them over.
import type { Json } from "../../api";
import type { InstallerDetails as GInstallerDetails } from "../../api/generated/InstallerDetails";
import type { PublishingSettings as GPublishingSettings } from "../../api/generated/PublishingSettings";
import type { PublishingStorage as GPublishingStorage } from "../../api/generated/PublishingStorage";
import type { ReturnCodeSpec as GReturnCodeSpec } from "../../api/generated/ReturnCodeSpec";
import type { RuleSpec as GRuleSpec } from "../../api/generated/RuleSpec";
import type { ThirdPartySpec as GThirdPartySpec } from "../../api/generated/ThirdPartySpec";
import type { ThirdPartyUpdate as GThirdPartyUpdate } from "../../api/generated/ThirdPartyUpdate";
import type { FieldIssue as GFieldIssue } from "../../api/generated/FieldIssue";

export type InstallerDetails = Json<GInstallerDetails>;
export type PublishingSettings = Json<GPublishingSettings>;
export type PublishingStorage = Json<GPublishingStorage>;
export type ReturnCodeSpec = Json<GReturnCodeSpec>;
export type RuleSpec = Json<GRuleSpec>;
export type ThirdPartySpec = Json<GThirdPartySpec>;
export type ThirdPartyUpdate = Json<GThirdPartyUpdate>;
export type FieldIssue = Json<GFieldIssue>;
export type { Architecture } from "../../api/generated/Architecture";
export type { PrerequisiteKind } from "../../api/generated/PrerequisiteKind";
export type { ReturnCodeResult } from "../../api/generated/ReturnCodeResult";
export type { RuleKind } from "../../api/generated/RuleKind";
export type { UploadPage } from "../../api/generated/UploadPage";
