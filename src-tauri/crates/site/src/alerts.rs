//! Monitoring › Alerts: conditions that need an administrator, derived each time from the
//! objects they are about (failed synchronization runs, deployments below their compliance
//! alert, failed rule runs, computers silent past the stale threshold), so an alert can never disagree with its object. Only what an
//! administrator decided (closed, postponed) is kept, in `site_meta`, keyed by alert id.
//!
//! On its own floor beside `overview` because it reads sync, rules and deployments alike.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::audit;
use crate::handle::{Actor, Site};
use crate::store::meta;
use crate::wire::*;

const STATES: &str = "alerts.states";
/// Failed runs further back than this are history, not alerts.
const RECENT_RUNS: i64 = 200;

/// An administrator's decision about one alert.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Mark {
    state: AlertState,
    at_utc: String,
    by: String,
}

fn marks(c: &rusqlite::Connection) -> Result<BTreeMap<String, Mark>, ApiError> {
    Ok(meta::get_json(c, STATES)?.unwrap_or_default())
}

/// Every alert, newest first, with its state.
pub fn list(site: &Site, actor: &Actor, _args: NoArgs) -> Result<Vec<Alert>, ApiError> {
    let now = crate::clock::now_utc();
    let mut out = Vec::new();
    let status = crate::sync::status(site, actor, NoArgs {})?;
    for run in status.history.iter().filter(|r| r.state == SyncState::Failed) {
        out.push(raw(
            format!("sync-run:{}", run.run_id),
            AlertKind::SyncFailed,
            "Synchronization failed".into(),
            format!(
                "Run {} from {} failed: {}",
                run.run_id,
                run.upstream,
                run.error.as_deref().unwrap_or("no reason was recorded.")
            ),
            run.ended_utc.clone().unwrap_or_else(|| run.started_utc.clone()),
            format!("monitoring/monitoring.supSync?run={}", run.run_id),
        ));
    }
    for d in crate::admin::deployments::below_alert(site, actor, &now)? {
        let n = &d.counts;
        let total = n.compliant + n.in_progress + n.error + n.requirements_not_met + n.unknown;
        out.push(raw(
            format!("deployment:{}", d.id),
            AlertKind::DeploymentBelowAlert,
            format!("Deployment '{}' is below its compliance alert", d.name),
            format!(
                "{} of {} computers compliant, below the {}% set for its alert.",
                n.compliant, total, d.settings.alert_below_percent
            ),
            alert_time(&d).unwrap_or_else(|| now.clone()),
            format!("monitoring/monitoring.deployments?id={}", d.id),
        ));
    }
    let failed = crate::automation::adr::failed_runs(&site.store().reader(), false, RECENT_RUNS)?;
    for r in failed {
        out.push(raw(
            format!("rule-run:{}", r.run_id),
            AlertKind::RuleRunFailed,
            format!("Rule '{}' failed", r.rule_name),
            r.error.clone().unwrap_or_else(|| "No reason was recorded.".into()),
            r.ended_utc.clone().unwrap_or_else(|| r.started_utc.clone()),
            format!("monitoring/monitoring.ruleRuns?run={}", r.run_id),
        ));
    }
    let (days, stale) = crate::admin::computers::stale_computers(&site.store().reader())?;
    for computer in stale {
        let raised = crate::admin::parse_time(&computer.last_contact_utc)
            .map(|(t, _)| crate::clock::format_utc(crate::clock::shifted(t, crate::clock::days(days))))
            .unwrap_or_else(|| now.clone());
        out.push(raw(
            format!("stale-computer:{}", computer.id),
            AlertKind::ComputerStale,
            format!("Computer '{}' has not been heard from", computer.name),
            format!(
                "No scan, report or registration since {}, longer than the {days} days after which Devices calls a computer stale. Check that it is on and reaches this site.",
                computer.last_contact_utc
            ),
            raised,
            format!("assets/assets.devices?id={}", computer.id),
        ));
    }
    let marks = marks(&site.store().reader())?;
    for a in &mut out {
        if let Some(m) = marks.get(&a.id) {
            a.state = m.state;
            a.state_changed_utc = Some(m.at_utc.clone());
            a.state_changed_by = Some(m.by.clone());
        }
    }
    out.sort_by(|a, b| b.raised_utc.cmp(&a.raised_utc).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// When the deployment's alert fell due: its deadline plus the alert's delay.
fn alert_time(d: &Deployment) -> Option<String> {
    let days = d.settings.alert_days_after_deadline?;
    let (deadline, _) = d.settings.deadline_utc.as_deref().and_then(crate::admin::parse_time)?;
    Some(crate::clock::format_utc(crate::clock::shifted(
        deadline,
        crate::clock::days(days),
    )))
}

fn raw(id: String, kind: AlertKind, title: String, detail: String, raised_utc: String, link: String) -> Alert {
    Alert {
        id,
        kind,
        title,
        detail,
        raised_utc,
        state: AlertState::Active,
        state_changed_utc: None,
        state_changed_by: None,
        link,
    }
}

pub fn set_state(site: &Site, actor: &Actor, args: SetAlertStateArgs) -> Result<Alert, ApiError> {
    let Some(alert) = list(site, actor, NoArgs {})?.into_iter().find(|a| a.id == args.id) else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!(
                "There is no alert '{}': its condition may have passed. Reload Monitoring › Alerts.",
                args.id
            ),
        ));
    };
    let at_utc = crate::clock::now_utc();
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let mut all = marks(&tx)?;
        if args.state == AlertState::Active {
            all.remove(&args.id);
        } else {
            all.insert(
                args.id.clone(),
                Mark {
                    state: args.state,
                    at_utc: at_utc.clone(),
                    by: actor.name.clone(),
                },
            );
        }
        meta::put_json(&tx, STATES, &all)?;
        audit::record(
            &tx,
            actor,
            "alert.state",
            &alert.title,
            &format!("{}: {:?} -> {:?}", alert.id, alert.state, args.state),
        )?;
        tx.commit()?;
    }
    Ok(Alert {
        state: args.state,
        state_changed_utc: Some(at_utc),
        state_changed_by: Some(actor.name.clone()),
        ..alert
    })
}
