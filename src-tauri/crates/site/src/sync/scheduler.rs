//! When the next scheduled synchronization is due (SYNC-3), and the scheduler thread that
//! starts it and gives automation its tick. The due time itself comes from
//! `crate::schedule`, in UTC, as for rule evaluations.

use std::time::Duration;

use crate::clock::{self, UtcTime};
use crate::handle::{Actor, Site};
use crate::schedule::Recurrence;

/// When this site's next scheduled run is due, from its settings and its last run.
pub fn next_due(site: &Site) -> Option<UtcTime> {
    let settings = crate::update_point::settings::load(site).ok()?;
    let since = last_start(site).unwrap_or_else(clock::now);
    Recurrence::from(&settings.schedule).next_after(since)
}

fn last_start(site: &Site) -> Option<UtcTime> {
    let c = site.store().reader();
    let text: String = c
        .query_row("SELECT max(started_utc) FROM sync_runs", [], |r| r.get(0))
        .ok()?;
    clock::parse_rfc3339(&text)
}

/// Starts scheduled synchronizations for as long as the process lives (`patchdeck serve`
/// and the desktop app run it). A first run with no history waits for the first due time.
pub fn spawn_scheduler(site: Site) {
    let started = clock::now();
    // Runs a killed process left InProgress read Interrupted from the start.
    crate::images::servicing::recover(&site);
    let spawned = std::thread::Builder::new()
        .name("patchdeck-scheduler".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(30));
            crate::automation::tick(&site);
            crate::images::servicing::run_due(&site, clock::now());
            let settings = match crate::update_point::settings::load(&site) {
                Ok(s) => s,
                Err(_) => continue,
            };
            let since = last_start(&site).unwrap_or(started);
            if let Some(due) = Recurrence::from(&settings.schedule).next_after(since) {
                if clock::now() >= due {
                    match super::start(&site, &Actor::new("scheduler"), crate::wire::NoArgs {}) {
                        Ok(run) => tracing::info!(run_id = run.run_id, "scheduled synchronization started"),
                        Err(e) => tracing::info!(reason = %e.message, "scheduled synchronization not started"),
                    }
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the synchronization scheduler");
    }
}
