//! Row counts of All Software Updates' filters from the counts the triggers of migration
//! 0010 keep: a sum over a few rows instead of a walk over every listed update, so even the
//! first query of a new filter knows its total at once.

use rusqlite::{params_from_iter, types::Value, Connection};

use super::queries::marks;

/// A filter the kept counts can answer: no search, group, deployment or report count.
pub(crate) struct KeptFilter<'a> {
    /// The `listed` values shown (1; 1 and 2 with expired updates; 3 for Declined).
    pub listed: &'a [i64],
    pub hide_superseded: bool,
    /// Lowercase classification ids; empty for every classification.
    pub classification_ids: &'a [String],
    /// One product (lowercase): an update in two products would be counted twice.
    pub product_id: Option<&'a str>,
}

/// How many listed updates the filter holds.
pub(crate) fn count(c: &Connection, f: &KeptFilter<'_>) -> rusqlite::Result<i64> {
    let mut terms = vec![format!("listed IN ({})", marks(f.listed.len()))];
    let mut values: Vec<Value> = f.listed.iter().map(|l| Value::Integer(*l)).collect();
    if f.hide_superseded {
        terms.push("is_superseded = 0".into());
    }
    if !f.classification_ids.is_empty() {
        terms.push(format!("classification_id IN ({})", marks(f.classification_ids.len())));
        values.extend(f.classification_ids.iter().cloned().map(Value::Text));
    }
    let table = match f.product_id {
        Some(p) => {
            terms.push("category_id = ?".into());
            values.push(Value::Text(p.to_string()));
            "category_counts"
        }
        None => "list_counts",
    };
    let sql = format!("SELECT coalesce(sum(n), 0) FROM {table} WHERE {}", terms.join(" AND "));
    c.prepare_cached(&sql)?
        .query_row(params_from_iter(values.iter()), |r| r.get(0))
}
