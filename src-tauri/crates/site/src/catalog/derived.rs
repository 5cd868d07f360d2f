//! The derived columns of an update row: classification, products, superseded,
//! bundle-member-only, `listed` and the expired-decline reason.
//!
//! One rule, used twice. When a document is stored, its own prerequisites and the links
//! other documents already wrote decide the columns before the row is written, so the row
//! and its ten list-index entries are written once. After the batch, the updates other
//! documents touched are derived again from the tables, and only rows whose values differ
//! are written: this is what keeps import order from mattering.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, ToSql, Transaction};

use super::LISTED_TYPES;

/// A category an update links to, as the derivation needs it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct LinkedCategory {
    pub category_id: String,
    pub kind: String,
    pub title: String,
}

/// What a row's own document and state say.
pub(crate) struct Facts<'a> {
    pub update_type: &'a str,
    pub publication_state: &'a str,
    pub explicitly_deployable: Option<bool>,
    pub declined: bool,
    pub declined_reason: Option<String>,
}

/// The derived columns as stored in `updates`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Derived {
    pub classification_id: Option<String>,
    pub classification: String,
    pub products: String,
    pub is_superseded: bool,
    pub bundled_only: bool,
    pub listed: i64,
    pub declined_reason: Option<String>,
}

impl Derived {
    /// The values in the order the import and the refresh write them: classification_id,
    /// classification, products, is_superseded, bundled_only, listed, declined_reason.
    pub(crate) fn values(&self) -> [&dyn ToSql; 7] {
        [
            &self.classification_id,
            &self.classification,
            &self.products,
            &self.is_superseded,
            &self.bundled_only,
            &self.listed,
            &self.declined_reason,
        ]
    }
}

/// `categories` must be distinct by id (a link table row each).
pub(crate) fn derive(
    facts: &Facts<'_>,
    categories: &[LinkedCategory],
    superseded: bool,
    bundle_member: bool,
) -> Derived {
    // Lowest title first, as the grid's Classification column always showed it; the id
    // breaks a tie so the same links always give the same row.
    let class = categories
        .iter()
        .filter(|c| c.kind == "UpdateClassification")
        .min_by(|a, b| (&a.title, &a.category_id).cmp(&(&b.title, &b.category_id)));
    let mut products: Vec<&str> = categories
        .iter()
        .filter(|c| c.kind == "Product")
        .map(|c| c.title.as_str())
        .collect();
    products.sort_unstable();
    let bundled_only = bundle_member && !facts.explicitly_deployable.unwrap_or(false);
    let listed = if !LISTED_TYPES.contains(&facts.update_type) || bundled_only {
        0
    } else if facts.declined {
        3
    } else if facts.publication_state == "Expired" {
        2
    } else {
        1
    };
    Derived {
        classification_id: class.map(|c| c.category_id.clone()),
        classification: class.map(|c| c.title.clone()).unwrap_or_default(),
        products: products.join(", "),
        is_superseded: superseded,
        bundled_only,
        listed,
        // A declined update that expired upstream can no longer be approved (LIB-4).
        declined_reason: if facts.declined && facts.publication_state == "Expired" {
            Some("Expired".into())
        } else {
            facts.declined_reason.clone()
        },
    }
}

/// The known categories among a document's prerequisite targets, one per id.
pub(crate) fn categories_named(
    tx: &Transaction<'_>,
    targets: &BTreeSet<&str>,
) -> rusqlite::Result<Vec<LinkedCategory>> {
    let mut stmt = tx.prepare_cached("SELECT kind, title FROM categories WHERE category_id = ?1")?;
    let mut out = Vec::new();
    for id in targets {
        if let Some((kind, title)) = stmt
            .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .optional()?
        {
            out.push(LinkedCategory {
                category_id: (*id).to_string(),
                kind,
                title,
            });
        }
    }
    Ok(out)
}

/// Whether other updates supersede `update_id`, and whether a bundle holds it.
pub(crate) fn named_by_others(tx: &Transaction<'_>, update_id: &str) -> rusqlite::Result<(bool, bool)> {
    let superseded = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM supersedence WHERE superseded_id = ?1)")?
        .query_row([update_id], |r| r.get(0))?;
    let member = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM bundle_members WHERE member_id = ?1)")?
        .query_row([update_id], |r| r.get(0))?;
    Ok((superseded, member))
}

/// Derives one stored row again from the tables and writes it only when a value changed.
/// Returns whether it wrote.
pub(crate) fn refresh_row(tx: &Transaction<'_>, upd_pk: i64) -> rusqlite::Result<bool> {
    struct Row {
        update_id: String,
        update_type: String,
        publication_state: String,
        explicitly_deployable: Option<bool>,
        declined: bool,
        current: Derived,
    }
    let row = tx
        .prepare_cached(
            "SELECT update_id, update_type, publication_state, explicitly_deployable, declined, declined_reason,
                    classification_id, classification, products, is_superseded, bundled_only, listed
             FROM updates WHERE upd_pk = ?1",
        )?
        .query_row([upd_pk], |r| {
            Ok(Row {
                update_id: r.get(0)?,
                update_type: r.get(1)?,
                publication_state: r.get(2)?,
                explicitly_deployable: r.get(3)?,
                declined: r.get(4)?,
                current: Derived {
                    declined_reason: r.get(5)?,
                    classification_id: r.get(6)?,
                    classification: r.get(7)?,
                    products: r.get(8)?,
                    is_superseded: r.get(9)?,
                    bundled_only: r.get(10)?,
                    listed: r.get(11)?,
                },
            })
        })
        .optional()?;
    let Some(row) = row else { return Ok(false) };
    let categories = {
        let mut stmt = tx.prepare_cached(
            "SELECT c.category_id, c.kind, c.title FROM update_categories uc JOIN categories c USING (category_id)
             WHERE uc.upd_pk = ?1",
        )?;
        let rows = stmt.query_map([upd_pk], |r| {
            Ok(LinkedCategory {
                category_id: r.get(0)?,
                kind: r.get(1)?,
                title: r.get(2)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let (superseded, member) = named_by_others(tx, &row.update_id)?;
    let facts = Facts {
        update_type: &row.update_type,
        publication_state: &row.publication_state,
        explicitly_deployable: row.explicitly_deployable,
        declined: row.declined,
        declined_reason: row.current.declined_reason.clone(),
    };
    let d = derive(&facts, &categories, superseded, member);
    if d == row.current {
        return Ok(false);
    }
    // Every UPDATE naming a column of the ten list indexes rewrites all ten entries: one
    // statement for all the derived columns, and none when nothing changed.
    tx.prepare_cached(
        "UPDATE updates SET classification_id = ?2, classification = ?3, products = ?4, is_superseded = ?5,
            bundled_only = ?6, listed = ?7, declined_reason = ?8
         WHERE upd_pk = ?1",
    )?
    .execute(rusqlite::params_from_iter(
        std::iter::once(&upd_pk as &dyn ToSql).chain(d.values()),
    ))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: &str, kind: &str, title: &str) -> LinkedCategory {
        LinkedCategory {
            category_id: id.into(),
            kind: kind.into(),
            title: title.into(),
        }
    }

    fn facts(update_type: &'static str, state: &'static str) -> Facts<'static> {
        Facts {
            update_type,
            publication_state: state,
            explicitly_deployable: None,
            declined: false,
            declined_reason: None,
        }
    }

    #[test]
    fn lowest_classification_title_and_sorted_products() {
        let cats = [
            cat("c2", "UpdateClassification", "Updates"),
            cat("p2", "Product", "Windows 11"),
            cat("c1", "UpdateClassification", "Security Updates"),
            cat("p1", "Product", "Windows 10"),
            cat("f", "ProductFamily", "Windows"),
        ];
        let d = derive(&facts("Software", "Published"), &cats, false, false);
        assert_eq!(d.classification_id.as_deref(), Some("c1"));
        assert_eq!(d.classification, "Security Updates");
        assert_eq!(d.products, "Windows 10, Windows 11");
        assert_eq!(d.listed, 1);
    }

    #[test]
    fn listed_follows_type_membership_decline_and_expiry() {
        assert_eq!(derive(&facts("Detectoid", "Published"), &[], false, false).listed, 0);
        assert_eq!(derive(&facts("Software", "Expired"), &[], false, false).listed, 2);
        let member = derive(&facts("Driver", "Published"), &[], true, true);
        assert!(member.bundled_only && member.is_superseded);
        assert_eq!(member.listed, 0);
        let deployable = Facts {
            explicitly_deployable: Some(true),
            ..facts("Software", "Published")
        };
        assert_eq!(derive(&deployable, &[], false, true).listed, 1);
        let declined = Facts {
            declined: true,
            declined_reason: Some("Administrator".into()),
            ..facts("Software", "Expired")
        };
        let d = derive(&declined, &[], false, false);
        assert_eq!((d.listed, d.declined_reason.as_deref()), (3, Some("Expired")));
    }
}
