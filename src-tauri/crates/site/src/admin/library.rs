//! Library decisions (LIB-2, LIB-4): declining updates, and saved searches.
//!
//! A decline removes the update's approvals and its report data and hides it from the
//! default views (`listed` moves to 3 by trigger, migration 0003). Its membership in
//! software update groups stays, as in Configuration Manager; the effective policy skips
//! declined updates, so no client gets it through a deployment either.

use rusqlite::{params, OptionalExtension};

use super::{changed, conflict, not_found, plural, resolve_updates, some_of, validation};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::*;

pub fn decline(site: &Site, actor: &Actor, args: UpdateIdsArgs) -> Result<DeclineReport, ApiError> {
    if args.update_ids.is_empty() {
        return Err(validation("Choose at least one update to decline."));
    }
    let mut report = DeclineReport {
        declined: 0,
        already_declined: 0,
        approvals_removed: 0,
    };
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let updates = resolve_updates(&tx, &args.update_ids)?;
        let labels: Vec<String> = updates.iter().map(|u| u.label.clone()).collect();
        {
            let mut approvals = tx.prepare_cached("DELETE FROM assignments WHERE upd_pk = ?1 AND kind = 'Approval'")?;
            let mut states = tx.prepare_cached("DELETE FROM update_states WHERE upd_pk = ?1")?;
            let mut mark = tx.prepare_cached(
                "UPDATE updates SET declined = 1, declined_reason = 'Administrator' WHERE upd_pk = ?1",
            )?;
            for u in &updates {
                report.approvals_removed += approvals.execute([u.pk])? as i64;
                states.execute([u.pk])?;
                if u.declined {
                    report.already_declined += 1;
                } else {
                    mark.execute([u.pk])?;
                    report.declined += 1;
                }
            }
        }
        audit::record(
            &tx,
            actor,
            "update.decline",
            &some_of(&labels),
            &format!(
                "{} declined, {} already declined, {} removed, report data deleted",
                plural(report.declined, "update", "updates"),
                report.already_declined,
                plural(report.approvals_removed, "approval", "approvals")
            ),
        )?;
        tx.commit()?;
    }
    changed(site);
    Ok(report)
}

pub fn list_searches(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<SavedSearch>, ApiError> {
    let c = site.store().reader();
    let mut stmt =
        c.prepare_cached("SELECT search_id, name, query_json, created_utc FROM saved_searches ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, name, json, created_utc)| SavedSearch {
            id,
            // A search saved by a newer version may not read here: its criteria fall back
            // to the defaults rather than hiding the whole list.
            query: serde_json::from_str(&json).unwrap_or_else(|e| {
                tracing::warn!(search = %name, error = %e, "saved search does not read; shown without criteria");
                UpdateQuery::default()
            }),
            name,
            created_utc,
        })
        .collect())
}

pub fn save_search(site: &Site, actor: &Actor, args: SaveSearchArgs) -> Result<SavedSearch, ApiError> {
    let name = args.name.trim().to_string();
    if name.is_empty() {
        return Err(validation("A saved search needs a name."));
    }
    // Paging is where the grid was, not part of the search.
    let mut query = args.query;
    query.offset = 0;
    let json = serde_json::to_string(&query).map_err(|e| ApiError::internal(format!("encoding the search: {e}")))?;
    let now = crate::clock::now_utc();
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let existing: Option<i64> = tx
            .query_row("SELECT search_id FROM saved_searches WHERE name = ?1", [&name], |r| {
                r.get(0)
            })
            .optional()?;
        let id = match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE saved_searches SET name = ?2, query_json = ?3 WHERE search_id = ?1",
                    params![id, name, json],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO saved_searches (name, query_json, created_utc) VALUES (?1, ?2, ?3)",
                    params![name, json, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        audit::record(
            &tx,
            actor,
            if existing.is_some() {
                "search.replace"
            } else {
                "search.save"
            },
            &name,
            &json,
        )?;
        tx.commit()?;
        id
    };
    list_searches(site, actor, NoArgs {})?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| conflict(format!("The saved search '{name}' was deleted meanwhile.")))
}

pub fn delete_search(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let name: String = tx
        .query_row("SELECT name FROM saved_searches WHERE search_id = ?1", [args.id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| not_found(format!("There is no saved search with id {}.", args.id)))?;
    tx.execute("DELETE FROM saved_searches WHERE search_id = ?1", [args.id])?;
    audit::record(&tx, actor, "search.delete", &name, "")?;
    tx.commit()?;
    Ok(NoArgs {})
}
