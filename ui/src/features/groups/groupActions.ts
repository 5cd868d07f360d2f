// What the Deploy and Download commands of Software Update Groups start from: the selected
// group itself (the wizards read its members), never a copy of its member list, so a
// deployment stays tied to the group as Configuration Manager's does.
import type { UpdateGroupInfo } from "./types";

export interface GroupActionSource {
  disabled: boolean;
  updateGroupId: number | null;
  groupName?: string;
}

/** An empty group has nothing to deploy or download: both commands stay disabled. */
export function groupActionSource(group: UpdateGroupInfo | undefined): GroupActionSource {
  if (!group) return { disabled: true, updateGroupId: null };
  return { disabled: group.memberCount === 0, updateGroupId: group.id, groupName: group.name };
}
