//! The first-run configuration wizard's side of the site (issue 14): whether it opens by
//! itself, closing it, and the page-by-page check of the settings it collects.
//!
//! The wizard saves through the ordinary sync settings and starts the ordinary sync run;
//! what is here is only what a wizard needs beyond them.

use crate::audit;
use crate::handle::{Actor, Site};
use crate::store::meta;
use crate::update_point::settings;
use crate::wire::{ApiError, FieldIssue, FirstRunStatus, NoArgs, SyncSettings};

/// When an administrator closed the wizard: it no longer opens by itself.
const CLOSED: &str = "first_run.closed_utc";

pub fn status(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<FirstRunStatus, ApiError> {
    let c = site.store().reader();
    let closed_utc = meta::get(&c, CLOSED)?;
    // From the counts the import keeps (migration 0010): the console asks this at every start,
    // and a count of half a million list entries on a cold cache costs a second.
    let listed_updates: i64 = c.query_row(
        "SELECT coalesce(sum(n), 0) FROM list_counts WHERE listed = 1",
        [],
        |r| r.get(0),
    )?;
    let synced = |kind: &str| -> rusqlite::Result<i64> {
        c.query_row(
            "SELECT count(*) FROM categories WHERE kind = ?1 AND synced = 1",
            [kind],
            |r| r.get(0),
        )
    };
    Ok(FirstRunStatus {
        open_on_start: listed_updates == 0 && closed_utc.is_none(),
        closed_utc,
        listed_updates,
        synced_products: synced("Product")?,
        synced_classifications: synced("UpdateClassification")?,
    })
}

/// Closing (or finishing) the wizard is a choice the next administrator inherits, so it
/// is audited.
pub fn close(site: &Site, actor: &Actor, _args: NoArgs) -> Result<FirstRunStatus, ApiError> {
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        meta::put(&tx, CLOSED, &crate::clock::now_utc())?;
        audit::record(&tx, actor, "sync.first_run.close", "First-run wizard", "closed")?;
        tx.commit()?;
    }
    status(site, actor, NoArgs {})
}

/// Every problem the settings would meet when saved, each with its field, plus the choices
/// that name categories this site never received from its upstream (a product id typed
/// from another catalog would filter nothing). Empty: they would save.
pub fn validate(site: &Site, _actor: &Actor, s: SyncSettings) -> Result<Vec<FieldIssue>, ApiError> {
    let s = settings::normalized(s);
    let mut out = settings::issues(&s);
    let c = site.store().reader();
    for (field, kind, what, ids) in [
        ("productIds", "Product", "product", &s.product_ids),
        (
            "classificationIds",
            "UpdateClassification",
            "classification",
            &s.classification_ids,
        ),
    ] {
        if out.iter().any(|i| i.field == field) {
            continue;
        }
        let mut stmt =
            c.prepare_cached("SELECT 1 FROM categories WHERE category_id = ?1 AND kind = ?2 AND synced = 1")?;
        for id in ids {
            if !stmt.exists([id.as_str(), kind])? {
                out.push(FieldIssue {
                    field: field.into(),
                    message: format!(
                        "'{id}' is not a {what} this site received from its upstream: \
                         connect and fetch the categories, then choose from the list."
                    ),
                });
                break;
            }
        }
    }
    Ok(out)
}
