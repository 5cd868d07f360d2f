//! After a synchronization: decline what should no longer be offered, within a time budget
//! so a large catalog never holds the run up for long.
//!
//! Expired updates (expired upstream) and updates superseded long enough ago are declined
//! with their reason. **Invariant:** an update that an administrator approved or deployed
//! (it has an assignment) is never declined here; the run log says how many were kept.

use std::time::{Duration, Instant};

use rusqlite::params;

use crate::clock;
use crate::handle::Site;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub expired: i64,
    pub superseded: i64,
    pub kept_approved: i64,
    /// The budget ran out first; the next run continues.
    pub unfinished: bool,
}

const CHUNK: i64 = 1000;

/// Declines in chunks until done or `budget` is spent.
pub fn run(site: &Site, superseded_days: i64, budget: Duration) -> rusqlite::Result<Cleaned> {
    let started = Instant::now();
    let mut out = Cleaned::default();
    let approved = "EXISTS (SELECT 1 FROM assignments a WHERE a.upd_pk = u.upd_pk
                        OR a.update_group_id IN (SELECT group_id FROM update_group_members m WHERE m.upd_pk = u.upd_pk))";
    let cutoff = clock::format_utc(clock::shifted(clock::now(), -clock::days(superseded_days.max(0))));
    let mut passes: Vec<(&str, String, Vec<String>)> = vec![(
        "Expired",
        format!("u.publication_state = 'Expired' AND u.declined = 0 AND NOT {approved}"),
        vec![],
    )];
    if superseded_days > 0 {
        passes.push((
            "Superseded",
            format!(
                "u.is_superseded = 1 AND u.declined = 0 AND NOT {approved} AND EXISTS (
                   SELECT 1 FROM supersedence s JOIN updates n ON n.upd_pk = s.superseding_pk
                   WHERE s.superseded_id = u.update_id AND n.arrival_utc <= ?1)"
            ),
            vec![cutoff.clone()],
        ));
    }
    for (reason, condition, values) in &passes {
        loop {
            if started.elapsed() > budget {
                out.unfinished = true;
                break;
            }
            let c = site.store().writer();
            // Setting `declined` also moves `listed` to 3 (trigger, migration 0003), which
            // hides the update from the default views.
            let sql = format!(
                "UPDATE updates SET declined = 1, declined_reason = '{reason}'
                 WHERE upd_pk IN (SELECT u.upd_pk FROM updates u WHERE {condition} LIMIT {CHUNK})"
            );
            let n = c.execute(&sql, rusqlite::params_from_iter(values.iter()))? as i64;
            match *reason {
                "Expired" => out.expired += n,
                _ => out.superseded += n,
            }
            if n < CHUNK {
                break;
            }
        }
    }
    let c = site.store().reader();
    out.kept_approved = c.query_row(
        &format!(
            "SELECT count(*) FROM updates u WHERE u.declined = 0 AND {approved}
             AND (u.publication_state = 'Expired' OR u.is_superseded = 1)"
        ),
        params![],
        |r| r.get(0),
    )?;
    if out.expired + out.superseded > 0 {
        site.state::<crate::catalog::list_cache::ListCache>().invalidate();
    }
    Ok(out)
}
