//! Update agent policies (POL-1, POL-2): how and when computers look for, install and
//! restart after updates.
//!
//! A policy is deployed to computer groups; a group holds at most one policy of its own and
//! its subgroups inherit it, as approvals are inherited. A computer in several groups gets
//! the policy decided deepest in the tree (the most specific decision), ties to the older
//! policy (lower id). With no policy anywhere up its groups' chains a computer keeps the
//! operating system's defaults.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::admin::{changed, not_found, some_of, validation, Tree, ROOT_GROUP};
use crate::handle::{Actor, Site};
use crate::wire::*;
use crate::{audit, clock};

impl AgentPolicySettings {
    /// The seed's recommended values, used when a policy is not customized.
    pub fn recommended() -> Self {
        Self {
            detection_frequency_hours: 8,
            install_behavior: InstallBehavior::AutomaticOnSchedule,
            scheduled_day: ScheduledDay::EveryDay,
            scheduled_time: "03:00".into(),
            use_automatic_maintenance: true,
            allow_immediate_install: true,
            restart_delay_minutes: 15,
            missed_install_delay_minutes: 5,
            user_controls_restart: true,
            prompt_restart_for_agent_updates: true,
            agent_update_schedule: None,
            restart_prompt_interval_minutes: 30,
        }
    }
}

/// A numeric setting's range, as the seed gives it.
struct Range {
    field: &'static str,
    /// How a message names it: "Detection frequency".
    short: &'static str,
    min: i64,
    max: i64,
    unit: &'static str,
    get: fn(&AgentPolicySettings) -> i64,
}

const RANGES: &[Range] = &[
    Range {
        field: "detectionFrequencyHours",
        short: "Detection frequency",
        min: 8,
        max: 22,
        unit: "hours",
        get: |s| s.detection_frequency_hours,
    },
    Range {
        field: "restartDelayMinutes",
        short: "Restart delay after scheduled installations",
        min: 1,
        max: 30,
        unit: "minutes",
        get: |s| s.restart_delay_minutes,
    },
    Range {
        field: "missedInstallDelayMinutes",
        short: "Delay before missed scheduled installations",
        min: 1,
        max: 60,
        unit: "minutes",
        get: |s| s.missed_install_delay_minutes,
    },
    Range {
        field: "restartPromptIntervalMinutes",
        short: "Wait between restart prompts",
        min: 1,
        max: 1440,
        unit: "minutes",
        get: |s| s.restart_prompt_interval_minutes,
    },
];

fn day_label(d: ScheduledDay) -> &'static str {
    match d {
        ScheduledDay::EveryDay => "Every day",
        ScheduledDay::Sunday => "Sunday",
        ScheduledDay::Monday => "Monday",
        ScheduledDay::Tuesday => "Tuesday",
        ScheduledDay::Wednesday => "Wednesday",
        ScheduledDay::Thursday => "Thursday",
        ScheduledDay::Friday => "Friday",
        ScheduledDay::Saturday => "Saturday",
    }
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.into()
}

fn info(
    field: &str,
    label: &str,
    description: &str,
    range: Option<(i64, i64)>,
    unit: Option<&str>,
    recommended: String,
) -> PolicySettingInfo {
    PolicySettingInfo {
        field: field.into(),
        label: label.into(),
        description: description.into(),
        min: range.map(|r| r.0),
        max: range.map(|r| r.1),
        unit: unit.map(Into::into),
        recommended,
    }
}

pub fn settings_info(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<PolicySettingInfo>, ApiError> {
    let r = AgentPolicySettings::recommended();
    Ok(vec![
        info(
            "detectionFrequencyHours",
            "Update and application detection frequency (hours)",
            "How often (between 8 and 22 hours) computers look for new updates and applications.",
            Some((8, 22)),
            Some("hours"),
            r.detection_frequency_hours.to_string(),
        ),
        info(
            "installBehavior",
            "Automatic or prompted installation of updates and applications",
            "Install scheduled updates and applications automatically on the schedule, or prompt the user to accept the installation when they are ready.",
            None,
            None,
            "Install scheduled updates and applications automatically".into(),
        ),
        info(
            "scheduledDay",
            "Scheduled day",
            "The day scheduled installations run.",
            None,
            None,
            day_label(r.scheduled_day).into(),
        ),
        info(
            "scheduledTime",
            "Scheduled time",
            "The time (HH:MM, the computer's local time) scheduled installations run.",
            None,
            None,
            r.scheduled_time.clone(),
        ),
        info(
            "useAutomaticMaintenance",
            "Use Automatic Maintenance for Windows computers",
            "Install updates and applications during Windows' automatic maintenance window.",
            None,
            None,
            yes_no(r.use_automatic_maintenance),
        ),
        info(
            "allowImmediateInstall",
            "Allow immediate installation of updates that do not interrupt Windows",
            "Allow: install updates as soon as they are downloaded, except those that interrupt or restart Windows, which follow the installation schedule. Do not allow: every update follows the schedule.",
            None,
            None,
            "Allow".into(),
        ),
        info(
            "restartDelayMinutes",
            "Delay before restarting Windows after scheduled installation of updates and applications (minutes)",
            "How long (between 1 and 30 minutes) to wait before restarting Windows after scheduled installations.",
            Some((1, 30)),
            Some("minutes"),
            r.restart_delay_minutes.to_string(),
        ),
        info(
            "missedInstallDelayMinutes",
            "Delay between restarting Windows and starting missed scheduled installations (minutes)",
            "How long (between 1 and 60 minutes) to wait after Windows restarts before installing a scheduled installation that was missed.",
            Some((1, 60)),
            Some("minutes"),
            r.missed_install_delay_minutes.to_string(),
        ),
        info(
            "userControlsRestart",
            "Allow the logged-on user to control the Windows restart after scheduled installations",
            "Yes: the logged-on user may delay the restart. No: the user is warned that Windows restarts automatically (after 5 minutes). With nobody logged on, Windows restarts when needed.",
            None,
            None,
            yes_no(r.user_controls_restart),
        ),
        info(
            "promptRestartForAgentUpdates",
            "Prompt the user to restart for mandatory updates of the update agent",
            "Whether logged-on users are asked to restart Windows when a mandatory update of the update agent needs a restart.",
            None,
            None,
            yes_no(r.prompt_restart_for_agent_updates),
        ),
        info(
            "agentUpdateSchedule",
            "Schedule for installing mandatory update agent updates",
            "When mandatory updates of the update agent install.",
            None,
            None,
            "Not configured".into(),
        ),
        info(
            "restartPromptIntervalMinutes",
            "Wait between prompts to restart Windows after scheduled installations (minutes)",
            "How often (between 1 and 1440 minutes) the user is asked again to restart Windows after a scheduled installation that needs a restart, when the user postpones it.",
            Some((1, 1440)),
            Some("minutes"),
            r.restart_prompt_interval_minutes.to_string(),
        ),
    ])
}

/// The issues of the settings alone: every range and time.
fn settings_issues(s: &AgentPolicySettings) -> Vec<FieldIssue> {
    let recommended = AgentPolicySettings::recommended();
    let mut issues = Vec::new();
    for r in RANGES {
        let v = (r.get)(s);
        if !(r.min..=r.max).contains(&v) {
            issues.push(FieldIssue {
                field: r.field.into(),
                message: format!(
                    "{} must be between {} and {} {}; {v} is outside that range (recommended: {}).",
                    r.short,
                    r.min,
                    r.max,
                    r.unit,
                    (r.get)(&recommended)
                ),
            });
        }
    }
    if crate::schedule::parse_hhmm(&s.scheduled_time).is_none() {
        issues.push(FieldIssue {
            field: "scheduledTime".into(),
            message: format!(
                "The scheduled time '{}' is not a time; write it as HH:MM, from 00:00 to 23:59 (recommended: 03:00).",
                s.scheduled_time
            ),
        });
    }
    if let Some(a) = &s.agent_update_schedule {
        if crate::schedule::parse_hhmm(&a.time).is_none() {
            issues.push(FieldIssue {
                field: "agentUpdateSchedule".into(),
                message: format!(
                    "The agent update time '{}' is not a time; write it as HH:MM, from 00:00 to 23:59, or leave the schedule not configured.",
                    a.time
                ),
            });
        }
    }
    issues
}

/// Groups with a policy of their own: group → (policy id, policy name).
fn assigned(c: &Connection) -> rusqlite::Result<HashMap<i64, (i64, String)>> {
    let mut stmt = c.prepare_cached(
        "SELECT g.group_id, p.policy_id, p.name FROM agent_policy_groups g JOIN agent_policies p USING (policy_id)",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect();
    rows
}

/// Every issue of a spec: settings, name, groups. `except`: the policy being edited.
fn issues(
    c: &Connection,
    spec: &AgentPolicySpec,
    except: Option<i64>,
) -> Result<Vec<(ErrorCode, FieldIssue)>, ApiError> {
    let mut out = Vec::new();
    let name = spec.name.trim();
    if name.is_empty() {
        out.push((ErrorCode::Validation, issue("name", "An agent policy needs a name.")));
    } else if name.chars().count() > 256 {
        out.push((
            ErrorCode::Validation,
            issue("name", "An agent policy name holds at most 256 characters."),
        ));
    } else if let Some(other) = c
        .query_row(
            "SELECT name FROM agent_policies WHERE name = ?1 COLLATE NOCASE AND policy_id <> ?2",
            params![name, except.unwrap_or(-1)],
            |r| r.get::<_, String>(0),
        )
        .optional()?
    {
        out.push((
            ErrorCode::Conflict,
            issue(
                "name",
                format!("An agent policy named '{other}' already exists. Choose another name."),
            ),
        ));
    }
    out.extend(
        settings_issues(&spec.settings)
            .into_iter()
            .map(|i| (ErrorCode::Validation, i)),
    );
    let tree = Tree::load(c)?;
    if let Err(e) = tree.require(&spec.group_ids) {
        out.push((e.code, issue("groupIds", e.message)));
    }
    let taken = assigned(c)?;
    for g in &spec.group_ids {
        if let Some((pid, pname)) = taken.get(g) {
            if Some(*pid) != except {
                out.push((
                    ErrorCode::Conflict,
                    issue(
                        "groupIds",
                        format!(
                            "'{}' already has the agent policy '{pname}'; a group holds one policy of its own. Remove it from that policy first, or choose another group.",
                            tree.path(*g)
                        ),
                    ),
                ));
            }
        }
    }
    Ok(out)
}

pub fn validate(site: &Site, _actor: &Actor, spec: AgentPolicySpec) -> Result<Vec<FieldIssue>, ApiError> {
    Ok(issues(&site.store().reader(), &spec, None)?
        .into_iter()
        .map(|(_, i)| i)
        .collect())
}

/// Refuses with every issue when there is any, coded as the first: a range is a validation
/// error, a name or group taken by another policy a conflict, an unknown group not found.
fn refuse(found: Vec<(ErrorCode, FieldIssue)>) -> Result<(), ApiError> {
    let Some((code, _)) = found.first() else {
        return Ok(());
    };
    let message = found
        .iter()
        .map(|(_, i)| i.message.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Err(ApiError::new(*code, message))
}

fn issue(field: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        message: message.into(),
    }
}

fn groups_of(c: &Connection) -> rusqlite::Result<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut stmt = c.prepare_cached("SELECT policy_id, group_id FROM agent_policy_groups ORDER BY group_id")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (p, g) = row?;
        out.entry(p).or_default().push(g);
    }
    Ok(out)
}

fn read_policies(c: &Connection, only: Option<i64>) -> Result<Vec<AgentPolicy>, ApiError> {
    let mut groups = groups_of(c)?;
    let mut stmt = c.prepare_cached(
        "SELECT policy_id, name, description, settings_json, created_utc, modified_utc, created_by
         FROM agent_policies WHERE ?1 IS NULL OR policy_id = ?1 ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([only], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, description, json, created_utc, modified_utc, created_by) in rows {
        let settings = serde_json::from_str(&json).map_err(|e| {
            ApiError::internal(format!(
                "the stored settings of agent policy '{name}' are unreadable: {e}"
            ))
        })?;
        out.push(AgentPolicy {
            id,
            spec: AgentPolicySpec {
                name,
                description,
                settings,
                group_ids: groups.remove(&id).unwrap_or_default(),
            },
            created_utc,
            modified_utc,
            created_by,
        });
    }
    Ok(out)
}

fn read_one(c: &Connection, id: i64) -> Result<AgentPolicy, ApiError> {
    read_policies(c, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| not_found(format!("There is no agent policy with id {id}.")))
}

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<AgentPolicy>, ApiError> {
    read_policies(&site.store().reader(), None)
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut out = Vec::new();
    for g in ids {
        if !out.contains(g) {
            out.push(*g);
        }
    }
    out
}

fn settings_json(s: &AgentPolicySettings) -> Result<String, ApiError> {
    serde_json::to_string(s).map_err(|e| ApiError::internal(format!("storing an agent policy: {e}")))
}

fn paths(tree: &Tree, groups: &[i64]) -> String {
    if groups.is_empty() {
        return "no group".into();
    }
    some_of(&groups.iter().map(|g| tree.path(*g)).collect::<Vec<_>>())
}

fn assign(tx: &Connection, policy: i64, groups: &[i64]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached("INSERT INTO agent_policy_groups (group_id, policy_id) VALUES (?1, ?2)")?;
    for g in groups {
        stmt.execute(params![g, policy])?;
    }
    Ok(())
}

pub fn create(site: &Site, actor: &Actor, spec: AgentPolicySpec) -> Result<AgentPolicy, ApiError> {
    let spec = AgentPolicySpec {
        name: spec.name.trim().to_string(),
        description: spec.description.trim().to_string(),
        group_ids: dedup(&spec.group_ids),
        ..spec
    };
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        refuse(issues(&tx, &spec, None)?)?;
        let now = clock::now_utc();
        tx.execute(
            "INSERT INTO agent_policies (name, description, settings_json, created_utc, modified_utc, created_by)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            params![
                spec.name,
                spec.description,
                settings_json(&spec.settings)?,
                now,
                actor.name
            ],
        )?;
        let id = tx.last_insert_rowid();
        assign(&tx, id, &spec.group_ids)?;
        let tree = Tree::load(&tx)?;
        audit::record(
            &tx,
            actor,
            "agent_policy.create",
            &spec.name,
            &format!("deployed to {}", paths(&tree, &spec.group_ids)),
        )?;
        tx.commit()?;
        id
    };
    changed(site);
    read_one(&site.store().reader(), id)
}

pub fn edit(site: &Site, actor: &Actor, args: EditAgentPolicyArgs) -> Result<AgentPolicy, ApiError> {
    let spec = AgentPolicySpec {
        name: args.spec.name.trim().to_string(),
        description: args.spec.description.trim().to_string(),
        group_ids: dedup(&args.spec.group_ids),
        ..args.spec
    };
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let old = read_one(&tx, args.id)?;
        refuse(issues(&tx, &spec, Some(args.id))?)?;
        tx.execute(
            "UPDATE agent_policies SET name = ?2, description = ?3, settings_json = ?4, modified_utc = ?5
             WHERE policy_id = ?1",
            params![
                args.id,
                spec.name,
                spec.description,
                settings_json(&spec.settings)?,
                clock::now_utc()
            ],
        )?;
        tx.execute("DELETE FROM agent_policy_groups WHERE policy_id = ?1", [args.id])?;
        assign(&tx, args.id, &spec.group_ids)?;
        let tree = Tree::load(&tx)?;
        let mut detail = Vec::new();
        if old.spec.name != spec.name {
            detail.push(format!("renamed to '{}'", spec.name));
        }
        if old.spec.settings != spec.settings {
            detail.push("settings changed".to_string());
        }
        let removed: Vec<i64> = old
            .spec
            .group_ids
            .iter()
            .copied()
            .filter(|g| !spec.group_ids.contains(g))
            .collect();
        let added: Vec<i64> = spec
            .group_ids
            .iter()
            .copied()
            .filter(|g| !old.spec.group_ids.contains(g))
            .collect();
        if !added.is_empty() {
            detail.push(format!("deployed to {}", paths(&tree, &added)));
        }
        if !removed.is_empty() {
            detail.push(format!("removed from {}", paths(&tree, &removed)));
        }
        if detail.is_empty() {
            detail.push("description changed".into());
        }
        audit::record(&tx, actor, "agent_policy.edit", &old.spec.name, &detail.join("; "))?;
        tx.commit()?;
    }
    changed(site);
    read_one(&site.store().reader(), args.id)
}

pub fn delete(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let old = read_one(&tx, args.id)?;
        let tree = Tree::load(&tx)?;
        tx.execute("DELETE FROM agent_policies WHERE policy_id = ?1", [args.id])?;
        audit::record(
            &tx,
            actor,
            "agent_policy.delete",
            &old.spec.name,
            &format!(
                "removed from {}; their computers return to the nearest policy above them, or the operating system's defaults",
                paths(&tree, &old.spec.group_ids)
            ),
        )?;
        tx.commit()?;
    }
    changed(site);
    Ok(NoArgs {})
}

pub fn effective(site: &Site, _actor: &Actor, args: EffectivePolicyArgs) -> Result<EffectiveAgentPolicy, ApiError> {
    let c = site.store().reader();
    let groups: Vec<i64> = match (args.computer_id, args.group_ids.is_empty()) {
        (Some(_), false) => return Err(validation("Name either a computer or a set of groups, not both.")),
        (None, true) => return Err(validation("Name a computer or at least one target group.")),
        (Some(computer), true) => {
            let mut groups = crate::admin::policy::computer_groups(&c, computer)?;
            // Every computer is in All Computers, member of a subgroup or not.
            groups.push(ROOT_GROUP);
            groups
        }
        (None, false) => args.group_ids,
    };
    let tree = Tree::load(&c)?;
    tree.require(&groups)?;
    let taken = assigned(&c)?;
    // (depth of the source group, policy id, source group)
    let mut best: Option<(usize, i64, i64)> = None;
    for g in &groups {
        let Some(source) = tree.chain(*g).into_iter().find(|a| taken.contains_key(a)) else {
            continue;
        };
        let depth = tree.chain(source).len();
        let policy = taken[&source].0;
        let better = match best {
            None => true,
            Some((d, p, _)) => depth > d || (depth == d && policy < p),
        };
        if better {
            best = Some((depth, policy, source));
        }
    }
    let Some((_, policy_id, source)) = best else {
        return Ok(EffectiveAgentPolicy {
            settings: None,
            policy_id: None,
            policy_name: None,
            source_group_id: None,
            source_group_path: None,
        });
    };
    let policy = read_one(&c, policy_id)?;
    Ok(EffectiveAgentPolicy {
        settings: Some(policy.spec.settings),
        policy_id: Some(policy_id),
        policy_name: Some(policy.spec.name),
        source_group_id: Some(source),
        source_group_path: Some(tree.path(source)),
    })
}
