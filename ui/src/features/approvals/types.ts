// Wire types of approvals (Intune style), named once for this feature, read off the
// generated command map.
import type { Commands } from "../../api";

export type ApprovalInfo = Commands["list_approvals"]["result"][number];
export type ApproveArgs = Commands["approve_updates"]["args"];
export type ApproveReport = Commands["approve_updates"]["result"];
export type GroupApproval = ApproveArgs["approvals"][number];
export type ApprovalAction = GroupApproval["action"];
export type DeadlinePreset = GroupApproval["deadline"];
export type EffectivePolicy = Commands["effective_policy"]["result"];
export type EffectiveUpdate = EffectivePolicy["updates"][number];
