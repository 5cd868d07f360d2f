//! `ReportEventBatch`: a client's events into its per-update states.
//!
//! A batch is stored in one transaction and acknowledged (`true`) only after it commits, so
//! an event the client saw acknowledged is never lost; each event is kept once by its
//! `EventInstanceID`, so a batch sent again (the client missed our answer) changes nothing.
//!
//! What moves a state, by event id ([MS-WUSP] and WSUS's event table, `wusp/reports`):
//!
//! | events | state |
//! |---|---|
//! | 156 status: `U=` ids | Needed (a Downloaded, Failed or pending-restart state stays) |
//! | 156 status: `V=` ids | Installed |
//! | 156 status: offered at the last scan, in neither list | Not applicable |
//! | 162, 164 download succeeded | Downloaded (unless installed) |
//! | 161 download failed; 182, 195, 198, 204 install failed; 221 uninstall failed | Failed, with the hresult |
//! | 183, 190, 197, 203 install succeeded | Installed |
//! | 184, 191, 199 success, restart required; 201 installation pending | Installed pending restart |
//! | 202 reboot completed | every pending restart of the computer: Installed |
//! | 222, 224 uninstalled | no status until the next report |
//! | 156 `U=` of a revision installed once per computer (`once.rs`) | stays Installed |
//! | 147 detection succeeded / 148 failed | the computer's last scan error cleared / set |
//!
//! An event about an update the computer could not have been offered (unknown to the site,
//! declined, outside the offered categories, or Do not install for it) is stored but moves
//! no state.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Transaction};
use wsus::wusp::ReportingEvent;

use super::graph::{Graph, GraphCache, Kind, Node};
use super::offer::{offered_software, Policy};
use super::once;
use super::ClientFault;
use crate::catalog::list_cache::ListCache;
use crate::clock;
use crate::handle::Site;

/// Client states (`update_states.status`, migration 0008).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    NotApplicable,
    Needed,
    Downloaded,
    Installed,
    InstalledPendingRestart,
    Failed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::NotApplicable => "NotApplicable",
            Status::Needed => "Needed",
            Status::Downloaded => "Downloaded",
            Status::Installed => "Installed",
            Status::InstalledPendingRestart => "InstalledPendingRestart",
            Status::Failed => "Failed",
        }
    }

    fn parse(text: &str) -> Option<Status> {
        [
            Status::NotApplicable,
            Status::Needed,
            Status::Downloaded,
            Status::Installed,
            Status::InstalledPendingRestart,
            Status::Failed,
        ]
        .into_iter()
        .find(|s| s.name() == text)
    }

    /// The coarse state the per-update counts read (migration 0008 says why).
    fn coarse(self) -> &'static str {
        match self {
            Status::NotApplicable => "NotRequired",
            Status::Needed | Status::Downloaded | Status::InstalledPendingRestart => "Required",
            Status::Installed => "Installed",
            Status::Failed => "Failed",
        }
    }
}

const NO_UPDATE: &str = "00000000-0000-0000-0000-000000000000";

/// Stores `events` of computer `computer_id`; returns how many were new.
pub(super) fn store(site: &Site, computer_id: i64, events: &[ReportingEvent]) -> Result<usize, ClientFault> {
    let graph = site
        .state::<GraphCache>()
        .current(site)
        .map_err(ClientFault::internal)?;
    let policy = Policy::of(site, computer_id)?;
    let mut c = site.store().writer();
    let tx = c.transaction().map_err(ClientFault::internal)?;
    let stored = apply(&tx, &graph, &policy, computer_id, events).map_err(ClientFault::internal)?;
    tx.commit().map_err(ClientFault::internal)?;
    drop(c);
    if stored.states_changed {
        site.state::<ListCache>().forget_counts();
    }
    Ok(stored.new_events)
}

struct Stored {
    new_events: usize,
    states_changed: bool,
}

fn apply(
    tx: &Transaction,
    graph: &Graph,
    policy: &Policy,
    computer_id: i64,
    events: &[ReportingEvent],
) -> rusqlite::Result<Stored> {
    let now = clock::now_utc();
    let installed_text: String = tx.query_row(
        "SELECT scan_installed_non_leaf FROM computers WHERE computer_id = ?1",
        [computer_id],
        |r| r.get(0),
    )?;
    let installed_revs: Vec<i32> = installed_text
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let installed = graph.nodes_of(&installed_revs);
    let offered: HashMap<&str, &Node> = offered_software(graph, policy, &installed)
        .map(|n| (&*n.update_id, n))
        .collect();
    let mut insert_event = tx.prepare_cached(
        "INSERT INTO client_events (computer_id, event_instance_id, event_id, upd_pk, win32_hresult, time_utc, received_utc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
    )?;
    let mut states = States::new(tx, computer_id, &now);
    let mut new_events = 0;
    for e in events {
        let b = &e.basic;
        let update_id = b.update.update_id.to_ascii_lowercase();
        let upd_pk = if update_id == NO_UPDATE {
            None
        } else {
            graph
                .by_update_id
                .get(update_id.as_str())
                .map(|&i| &graph.nodes[i as usize])
                .filter(|n| n.kind != Kind::NonSoftware)
                .map(|n| n.upd_pk)
        };
        let inserted = insert_event.execute(params![
            computer_id,
            b.event_instance_id.to_ascii_lowercase(),
            b.event_id,
            upd_pk,
            b.win32_hresult,
            b.time_at_target,
            now
        ])?;
        if inserted == 0 {
            continue; // sent before: counted once
        }
        new_events += 1;
        let offered_node = offered.get(update_id.as_str()).copied();
        let hresult = format!("0x{:08X}", b.win32_hresult as u32);
        match b.event_id {
            147 => states.scan_error(None)?,
            148 => states.scan_error(Some(&hresult))?,
            156 => {
                let list = |key: &str| -> HashSet<String> {
                    e.extended
                        .as_ref()
                        .and_then(|x| x.misc_data.iter().find_map(|m| m.strip_prefix(key)))
                        .map(|ids| {
                            ids.split(';')
                                .map(|s| s.trim().to_ascii_lowercase())
                                .filter(|s| !s.is_empty())
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let (needed, installed) = (list("U="), list("V="));
                for (id, node) in &offered {
                    let pk = node.upd_pk;
                    if installed.contains(*id) {
                        states.set(pk, Status::Installed, None)?;
                    } else if needed.contains(*id) && once::done(tx, computer_id, node)? {
                        // What the never-true rule always says: the site knows better.
                        states.installed_once(pk)?;
                    } else if needed.contains(*id) {
                        states.needed(pk)?;
                    } else {
                        states.set(pk, Status::NotApplicable, None)?;
                    }
                }
            }
            202 => states.restarted()?,
            _ => {
                let Some(node) = offered_node else { continue };
                let pk = node.upd_pk;
                match b.event_id {
                    162 | 164 => states.downloaded(pk)?,
                    161 | 182 | 195 | 198 | 204 | 221 => states.set(pk, Status::Failed, Some(&hresult))?,
                    183 | 190 | 197 | 203 => states.set(pk, Status::Installed, None)?,
                    184 | 191 | 199 | 201 => states.set(pk, Status::InstalledPendingRestart, None)?,
                    222 | 224 => {
                        states.clear(pk)?;
                        once::forget(tx, computer_id, node)?;
                    }
                    _ => {}
                }
                if once::INSTALL_SUCCEEDED.contains(&b.event_id) {
                    once::record(tx, computer_id, node, b.update.revision, b.event_id, &now)?;
                }
            }
        }
    }
    tx.execute(
        "UPDATE computers SET last_report_utc = ?2, last_seen_utc = ?2 WHERE computer_id = ?1",
        params![computer_id, now],
    )?;
    Ok(Stored {
        new_events,
        states_changed: states.changed,
    })
}

/// One computer's state rows, written through the counting triggers (upsert, never
/// REPLACE: migration 0003 says why).
struct States<'t> {
    tx: &'t Transaction<'t>,
    computer_id: i64,
    now: &'t str,
    changed: bool,
}

impl<'t> States<'t> {
    fn new(tx: &'t Transaction<'t>, computer_id: i64, now: &'t str) -> Self {
        States {
            tx,
            computer_id,
            now,
            changed: false,
        }
    }

    fn current(&self, upd_pk: i64) -> rusqlite::Result<Option<Status>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT status FROM update_states WHERE upd_pk = ?1 AND computer_id = ?2")?;
        let mut rows = stmt.query(params![upd_pk, self.computer_id])?;
        Ok(match rows.next()? {
            Some(r) => Status::parse(&r.get::<_, String>(0)?),
            None => None,
        })
    }

    fn set(&mut self, upd_pk: i64, status: Status, error: Option<&str>) -> rusqlite::Result<()> {
        if error.is_none() && self.current(upd_pk)? == Some(status) {
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "INSERT INTO update_states (computer_id, upd_pk, state, status, last_error, reported_utc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (upd_pk, computer_id) DO UPDATE SET
                     state = excluded.state, status = excluded.status,
                     last_error = coalesce(excluded.last_error, last_error), reported_utc = excluded.reported_utc",
            )?
            .execute(params![
                self.computer_id,
                upd_pk,
                status.coarse(),
                status.name(),
                error,
                self.now
            ])?;
        self.changed = true;
        Ok(())
    }

    /// Needed, unless the client is further along (downloaded, failed, waiting to restart).
    fn needed(&mut self, upd_pk: i64) -> rusqlite::Result<()> {
        match self.current(upd_pk)? {
            Some(Status::Downloaded | Status::Failed | Status::InstalledPendingRestart) => Ok(()),
            _ => self.set(upd_pk, Status::Needed, None),
        }
    }

    /// Installed once per computer (`once.rs`): kept Installed, or waiting for its restart.
    fn installed_once(&mut self, upd_pk: i64) -> rusqlite::Result<()> {
        match self.current(upd_pk)? {
            Some(Status::Installed | Status::InstalledPendingRestart) => Ok(()),
            _ => self.set(upd_pk, Status::Installed, None),
        }
    }

    fn downloaded(&mut self, upd_pk: i64) -> rusqlite::Result<()> {
        match self.current(upd_pk)? {
            Some(Status::Installed | Status::InstalledPendingRestart) => Ok(()),
            _ => self.set(upd_pk, Status::Downloaded, None),
        }
    }

    fn clear(&mut self, upd_pk: i64) -> rusqlite::Result<()> {
        let n = self
            .tx
            .prepare_cached("DELETE FROM update_states WHERE upd_pk = ?1 AND computer_id = ?2")?
            .execute(params![upd_pk, self.computer_id])?;
        self.changed |= n > 0;
        Ok(())
    }

    fn restarted(&mut self) -> rusqlite::Result<()> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE update_states SET state = 'Installed', status = 'Installed', reported_utc = ?2
                 WHERE computer_id = ?1 AND status = 'InstalledPendingRestart'",
            )?
            .execute(params![self.computer_id, self.now])?;
        self.changed |= n > 0;
        Ok(())
    }

    fn scan_error(&mut self, error: Option<&str>) -> rusqlite::Result<()> {
        self.tx
            .prepare_cached("UPDATE computers SET last_scan_error = ?2 WHERE computer_id = ?1")?
            .execute(params![self.computer_id, error])?;
        Ok(())
    }
}
