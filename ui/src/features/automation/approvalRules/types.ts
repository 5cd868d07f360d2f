// Wire types of auto-approval rules and offered categories, read off the generated command map.
import type { Commands } from "../../../api";

export type ApprovalRule = Commands["list_approval_rules"]["result"][number];
export type ApprovalRuleSpec = Commands["create_approval_rule"]["args"];
export type ApprovalRuleRunReport = Commands["run_approval_rules"]["result"];
export type OfferedCategories = Commands["get_offered_categories"]["result"];
export type TargetGroup = Commands["list_target_groups"]["result"][number];
