//! Automation (issue 5): rules that work the catalog without clicks.
//!
//! - `criteria`: one rule engine over the catalog (RuleCriteria → the matching updates),
//!   used by automatic deployment rules and by their preview.
//! - `evaluation`: checks of when a rule evaluates by itself (daily, weekly, N days after Patch Tuesday,
//!   after every sync), all in UTC.
//! - `adr`: automatic deployment rules (ADR-1..5): runs, their logs, their deployments.
//! - `approval_rules`: auto-approval rules (APR-5), applied at the end of each sync.
//! - `offered`: product categories and classifications offered to computers (APR-4).
//! - `agent_policy`: update agent policies (POL-1, POL-2) and a computer's effective one.
//!
//! **Invariants:** rule writes go through the same admin functions an administrator's
//! clicks use (groups, deployments, approvals, downloads), so they audit the same way, with
//! the rule named as the actor.

pub mod adr;
pub mod agent_policy;
pub mod approval_rules;
pub mod criteria;
pub mod evaluation;
pub mod offered;
mod title_index;

use crate::handle::Site;

/// The end of a successful synchronization: auto-approval rules take the updates that
/// arrived during it (since `run_started_utc`), then rules evaluated "after every sync" run.
pub fn after_sync(site: &Site, run_started_utc: &str) {
    if let Err(e) = approval_rules::after_sync(site, run_started_utc) {
        tracing::error!(error = %e.message, "auto-approval rules failed after the synchronization");
    }
    // The sync brought revisions: the in-memory titles are read again now, as part of the
    // sync's end, so rule evaluations (these and the console's previews) find them ready.
    warm_title_index(site);
    adr::after_sync(site);
}

/// Called by the scheduler thread about every 30 seconds: runs the rules that are due.
/// Its first call (at process start) also reads the in-memory titles for the first rules.
pub fn tick(site: &Site) {
    static WARMED: std::sync::Once = std::sync::Once::new();
    WARMED.call_once(|| warm_title_index(site));
    adr::run_due(site, crate::clock::now());
}

fn warm_title_index(site: &Site) {
    let c = site.store().reader();
    // Only for rules that will read it: a site without such rules never holds the copy.
    let needed = adr::load_all(&c).is_ok_and(|rules| {
        rules.iter().any(|r| {
            let k = &r.spec.criteria;
            r.enabled && (k.title_contains.is_some() || !k.languages.is_empty() || k.revised_within.is_some())
        })
    });
    if !needed {
        return;
    }
    if let Err(e) = title_index::TitleIndex::of(&c) {
        tracing::warn!(error = %e, "the in-memory titles could not be read; rules read them when they need them");
    }
}
