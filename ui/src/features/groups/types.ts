// Wire types of target groups and software update groups, named once for this feature. They
// are read off the generated command map (no hand-written copy of a wire type).
import type { Commands } from "../../api";

export type TargetGroup = Commands["list_target_groups"]["result"][number];
export type Computer = Commands["list_computers"]["result"][number];
export type UpdateGroupInfo = Commands["list_update_groups"]["result"][number];
export type UpdateGroupDetails = Commands["get_update_group"]["result"];
export type ComplianceCounts = UpdateGroupInfo["compliance"];
