// The automation wire types this folder uses, as JSON.parse hands them over. They come from
// the generated contract (src-tauri/crates/site/src/api/types_automation.rs); nothing here is
// written by hand.
import type { Json } from "../../../api";
import type { AdrDeploymentSpec as GAdrDeploymentSpec } from "../../../api/generated/AdrDeploymentSpec";
import type { AdrRunInfo as GAdrRunInfo } from "../../../api/generated/AdrRunInfo";
import type { AdrSpec as GAdrSpec } from "../../../api/generated/AdrSpec";
import type { AutomaticDeploymentRule as GAutomaticDeploymentRule } from "../../../api/generated/AutomaticDeploymentRule";
import type { CategoryInfo as GCategoryInfo } from "../../../api/generated/CategoryInfo";
import type { ContentPackage as GContentPackage } from "../../../api/generated/ContentPackage";
import type { DistributionPoint as GDistributionPoint } from "../../../api/generated/DistributionPoint";
import type { EvaluationSchedule as GEvaluationSchedule } from "../../../api/generated/EvaluationSchedule";
import type { RuleCriteria as GRuleCriteria } from "../../../api/generated/RuleCriteria";
import type { RulePreview as GRulePreview } from "../../../api/generated/RulePreview";
import type { RuleRunLogEntry as GRuleRunLogEntry } from "../../../api/generated/RuleRunLogEntry";
import type { TimeSpan as GTimeSpan } from "../../../api/generated/TimeSpan";
import type { UpdateRow as GUpdateRow } from "../../../api/generated/UpdateRow";

export type AdrDeploymentSpec = Json<GAdrDeploymentSpec>;
export type AdrRunInfo = Json<GAdrRunInfo>;
export type AdrSpec = Json<GAdrSpec>;
export type AutomaticDeploymentRule = Json<GAutomaticDeploymentRule>;
export type CategoryInfo = Json<GCategoryInfo>;
export type ContentPackage = Json<GContentPackage>;
export type DistributionPoint = Json<GDistributionPoint>;
export type EvaluationSchedule = Json<GEvaluationSchedule>;
export type RuleCriteria = Json<GRuleCriteria>;
export type RulePreview = Json<GRulePreview>;
export type RuleRunLogEntry = Json<GRuleRunLogEntry>;
export type TimeSpan = Json<GTimeSpan>;
export type UpdateRow = Json<GUpdateRow>;
export type { FieldIssue, TargetGroup, UpdateGroupInfo } from "../../deployments/types";
export type { AdrGroupMode } from "../../../api/generated/AdrGroupMode";
export type { EvaluationKind } from "../../../api/generated/EvaluationKind";
export type { LogLevel } from "../../../api/generated/LogLevel";
export type { RuleRunState } from "../../../api/generated/RuleRunState";
export type { RuleRunTrigger } from "../../../api/generated/RuleRunTrigger";
export type { SpanUnit } from "../../../api/generated/SpanUnit";
