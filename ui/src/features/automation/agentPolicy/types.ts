// Wire types of update agent policies (POL-1, POL-2), read off the generated command map.
import type { Commands } from "../../../api";

export type AgentPolicy = Commands["list_agent_policies"]["result"][number];
export type AgentPolicySpec = Commands["create_agent_policy"]["args"];
export type AgentPolicySettings = AgentPolicySpec["settings"];
export type PolicySettingInfo = Commands["agent_policy_settings_info"]["result"][number];
export type EffectiveAgentPolicy = Commands["effective_agent_policy"]["result"];
export type FieldIssue = Commands["validate_agent_policy"]["result"][number];
export type ScheduledDay = AgentPolicySettings["scheduledDay"];
export type InstallBehavior = AgentPolicySettings["installBehavior"];
