//! Product categories and classifications offered to computers (APR-4).
//!
//! Until an administrator saves a choice, the common ones are offered: the security,
//! critical, definition, rollup and service-pack classifications and the products of the
//! Windows and Office families this site knows. The choice is kept in `site_meta` as JSON.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::admin::{changed, not_found, plural, some_of};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::*;

const KEY: &str = "offered_categories";

const DEFAULT_CLASSIFICATIONS: &[&str] = &[
    "Critical Updates",
    "Security Updates",
    "Definition Updates",
    "Update Rollups",
    "Service Packs",
];
const DEFAULT_FAMILIES: &[&str] = &["Windows", "Office"];

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    product_ids: Vec<String>,
    classification_ids: Vec<String>,
}

fn ids(c: &Connection, sql: &str, titles: &[&str]) -> rusqlite::Result<Vec<String>> {
    let mut stmt = c.prepare_cached(sql)?;
    let mut out = Vec::new();
    for t in titles {
        for id in stmt.query_map([t], |r| r.get::<_, String>(0))? {
            out.push(id?);
        }
    }
    Ok(out)
}

fn defaults(c: &Connection) -> rusqlite::Result<OfferedCategories> {
    Ok(OfferedCategories {
        product_ids: ids(
            c,
            "SELECT p.category_id FROM categories p JOIN categories f ON f.category_id = p.parent_id
             WHERE p.kind = 'Product' AND f.kind = 'ProductFamily' AND f.title = ?1 ORDER BY p.title",
            DEFAULT_FAMILIES,
        )?,
        classification_ids: ids(
            c,
            "SELECT category_id FROM categories WHERE kind = 'UpdateClassification' AND title = ?1",
            DEFAULT_CLASSIFICATIONS,
        )?,
        is_default: true,
    })
}

/// What is offered now: the saved choice, or the defaults.
pub(crate) fn current(c: &Connection) -> Result<OfferedCategories, ApiError> {
    let saved: Option<String> = c
        .query_row("SELECT value FROM site_meta WHERE key = ?1", [KEY], |r| r.get(0))
        .optional()?;
    match saved.map(|s| serde_json::from_str::<Stored>(&s)) {
        Some(Ok(s)) => Ok(OfferedCategories {
            product_ids: s.product_ids,
            classification_ids: s.classification_ids,
            is_default: false,
        }),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "the saved offered categories are unreadable; offering the defaults");
            Ok(defaults(c)?)
        }
        None => Ok(defaults(c)?),
    }
}

/// An SQL condition (on `{alias}.upd_pk` and `{alias}.classification_id`) that holds when
/// the update is offered to computers, with its values in order: one of its products (or
/// their family) is offered, and its classification is offered or it has none.
pub(crate) fn offered_condition(c: &Connection, alias: &str) -> Result<(String, Vec<Value>), ApiError> {
    let o = current(c)?;
    let marks = |n: usize| {
        if n == 0 {
            "NULL".to_string()
        } else {
            vec!["?"; n].join(", ")
        }
    };
    let p = marks(o.product_ids.len());
    let sql = format!(
        "(EXISTS (SELECT 1 FROM update_categories oc JOIN categories ocat ON ocat.category_id = oc.category_id
                  WHERE oc.upd_pk = {alias}.upd_pk AND (oc.category_id IN ({p}) OR ocat.parent_id IN ({p})))
          AND ({alias}.classification_id IS NULL OR {alias}.classification_id IN ({})))",
        marks(o.classification_ids.len())
    );
    let mut values: Vec<Value> = Vec::new();
    for _ in 0..2 {
        values.extend(o.product_ids.iter().map(|s| Value::Text(s.clone())));
    }
    values.extend(o.classification_ids.iter().map(|s| Value::Text(s.clone())));
    Ok((sql, values))
}

/// Whether computers are offered this update (by its UpdateID).
#[allow(dead_code)]
pub(crate) fn is_offered(c: &Connection, update_id: &str) -> Result<bool, ApiError> {
    let (cond, mut values) = offered_condition(c, "u")?;
    values.push(Value::Text(update_id.trim().to_lowercase()));
    let sql = format!("SELECT EXISTS (SELECT 1 FROM updates u WHERE {cond} AND u.update_id = ?)");
    Ok(c.query_row(&sql, rusqlite::params_from_iter(values), |r| r.get(0))?)
}

pub fn get(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<OfferedCategories, ApiError> {
    current(&site.store().reader())
}

fn clean(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let id = id.trim().to_lowercase();
        if !id.is_empty() && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

fn unknown(c: &Connection, ids: &[String], kinds: &[&str]) -> rusqlite::Result<Vec<String>> {
    let mut stmt = c.prepare_cached("SELECT kind FROM categories WHERE category_id = ?1")?;
    let mut out = Vec::new();
    for id in ids {
        let kind: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?;
        if !kind.is_some_and(|k| kinds.contains(&k.as_str())) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

pub fn set(site: &Site, actor: &Actor, args: OfferedCategories) -> Result<OfferedCategories, ApiError> {
    let stored = Stored {
        product_ids: clean(&args.product_ids),
        classification_ids: clean(&args.classification_ids),
    };
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let bad = unknown(&tx, &stored.product_ids, &["Product", "ProductFamily"])?;
        if !bad.is_empty() {
            return Err(not_found(format!(
                "Not a product category of this site: {}. Choose products from the list (synchronize first if they are missing).",
                some_of(&bad)
            )));
        }
        let bad = unknown(&tx, &stored.classification_ids, &["UpdateClassification"])?;
        if !bad.is_empty() {
            return Err(not_found(format!(
                "Not an update classification of this site: {}. Choose classifications from the list.",
                some_of(&bad)
            )));
        }
        crate::store::meta::put_json(&tx, KEY, &stored)?;
        audit::record(
            &tx,
            actor,
            "offered_categories.set",
            "Offered categories",
            &format!(
                "{} and {} offered to computers",
                plural(stored.product_ids.len() as i64, "product", "products"),
                plural(
                    stored.classification_ids.len() as i64,
                    "classification",
                    "classifications"
                )
            ),
        )?;
        tx.commit()?;
    }
    changed(site);
    current(&site.store().reader())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_offered_when_its_product_and_classification_are() {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site::open(dir.path()).expect("open");
        let docs = crate::catalog::generator::generate(30, 3)
            .map(|d| crate::catalog::import::Document {
                origin: d.file_name,
                xml: d.xml,
            })
            .collect();
        crate::catalog::import::import_documents(&site, &Actor::new("test"), docs).expect("import");
        let c = site.store().reader();
        let one = |sql: &str| -> String { c.query_row(sql, [], |r| r.get(0)).expect(sql) };
        // A Windows security update is offered by default; a SQL Server one is not.
        let win = one(
            "SELECT u.update_id FROM updates u JOIN update_categories uc ON uc.upd_pk = u.upd_pk
             JOIN categories p ON p.category_id = uc.category_id JOIN categories f ON f.category_id = p.parent_id
             WHERE u.listed = 1 AND f.title = 'Windows' AND u.classification = 'Security Updates' LIMIT 1",
        );
        let sql = one(
            "SELECT u.update_id FROM updates u JOIN update_categories uc ON uc.upd_pk = u.upd_pk
             JOIN categories p ON p.category_id = uc.category_id JOIN categories f ON f.category_id = p.parent_id
             WHERE u.listed = 1 AND f.title = 'SQL Server' LIMIT 1",
        );
        assert!(is_offered(&c, &win).expect("offered"));
        assert!(!is_offered(&c, &sql).expect("offered"));
        drop(c);
        // Offering only Critical Updates takes the Windows security update away.
        let critical = "e6cf1350-c01b-414d-a61f-263d14d133b4".to_string();
        let products = current(&site.store().reader()).expect("current").product_ids;
        set(
            &site,
            &Actor::new("test"),
            OfferedCategories {
                product_ids: products,
                classification_ids: vec![critical],
                is_default: false,
            },
        )
        .expect("set");
        assert!(!is_offered(&site.store().reader(), &win).expect("offered"));
    }
}
