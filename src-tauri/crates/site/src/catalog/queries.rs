//! Read side of the catalog: the grid's pages, Properties, categories, site info.
//!
//! **Architecture invariant:** every list is paged and every sort order has an index
//! (see migration 0001); nothing here reads the whole catalog to answer one page.

use std::sync::Arc;

use base64::Engine;
use rusqlite::{functions::FunctionFlags, params_from_iter, types::Value, OptionalExtension, Row};

use super::list_cache::ListCache;
use super::list_counts::{self, KeptFilter};
use super::pk_bits::PkBits;
use super::search_hits::SearchHits;
use crate::handle::{Actor, Site};
use crate::wire::*;

const ROW_COLUMNS: &str = "update_id, revision, title, kb_article_id, bulletin_id, classification, products, severity,
    creation_date, size, is_bundle, is_superseded, publication_state, declined, languages,
    required_count, installed_count, not_required_count, updates.declined = 0 AND (
      EXISTS (SELECT 1 FROM assignments a WHERE a.upd_pk = updates.upd_pk AND a.enabled = 1
              AND a.action IN ('Required', 'Available'))
      OR EXISTS (SELECT 1 FROM update_group_members m JOIN assignments a ON a.update_group_id = m.group_id
              WHERE m.upd_pk = updates.upd_pk AND a.enabled = 1 AND a.action IN ('Required', 'Available')))";

/// Columns of [`ROW_COLUMNS`]; a query's own extra columns start here.
const ROW_WIDTH: usize = 19;

/// Updates some enabled Required or Available assignment covers, directly or through a
/// software update group (LIB-1's Deployed column and filter). The library overview counts
/// its "to approve" item with this same set, so its link's grid shows exactly that count.
pub(crate) const DEPLOYED_SET: &str = "SELECT upd_pk AS pk FROM assignments WHERE upd_pk IS NOT NULL AND enabled = 1
      AND action IN ('Required', 'Available')
    UNION SELECT m.upd_pk FROM assignments a JOIN update_group_members m ON m.group_id = a.update_group_id
      WHERE a.enabled = 1 AND a.action IN ('Required', 'Available')";

/// Sortable text columns store '' for "none".
fn text_or_none(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(r.get::<_, String>(i).ok().filter(|s| !s.is_empty()))
}

fn read_row(r: &Row<'_>) -> rusqlite::Result<UpdateRow> {
    Ok(UpdateRow {
        update_id: r.get(0)?,
        revision: r.get(1)?,
        title: r.get(2)?,
        article_id: text_or_none(r, 3)?,
        bulletin_id: text_or_none(r, 4)?,
        classification: text_or_none(r, 5)?,
        products: text_or_none(r, 6)?,
        severity: text_or_none(r, 7)?,
        release_date: text_or_none(r, 8)?,
        size: r.get(9)?,
        is_bundle: r.get(10)?,
        superseded: r.get(11)?,
        expired: r.get::<_, String>(12)? == "Expired",
        declined: r.get(13)?,
        languages: r.get(14)?,
        required_count: r.get(15)?,
        installed_count: r.get(16)?,
        not_required_count: r.get(17)?,
        deployed: r.get(18)?,
    })
}

pub fn site_info(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<SiteInfo, ApiError> {
    let c = site.store().reader();
    let count = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok(SiteInfo {
        site_name: site.name().to_string(),
        product_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: crate::store::SCHEMA_VERSION,
        database_path: site.database_path().display().to_string(),
        update_count: count("SELECT coalesce(sum(n), 0) FROM list_counts WHERE listed = 1")?,
        revision_count: count("SELECT count(*) FROM revisions")?,
        category_count: count("SELECT count(*) FROM categories WHERE synced = 1")?,
        last_catalog_change_utc: c
            .query_row(
                "SELECT value FROM site_meta WHERE key = 'catalog_changed_utc'",
                [],
                |r| r.get(0),
            )
            .optional()?,
    })
}

fn sort_column(col: UpdateColumn) -> &'static str {
    match col {
        UpdateColumn::Title => "title",
        UpdateColumn::ArticleId => "kb_article_id",
        UpdateColumn::BulletinId => "bulletin_id",
        UpdateColumn::Classification => "classification",
        UpdateColumn::Products => "products",
        UpdateColumn::Severity => "severity",
        UpdateColumn::ReleaseDate => "creation_date",
        UpdateColumn::Size => "size",
        UpdateColumn::Revision => "revision",
    }
}

/// Turns what an administrator typed into an FTS5 query: every word must match, the last
/// one as a prefix (the box searches as they type), and nothing they type is read as FTS
/// syntax.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| format!("\"{w}\"{}", if i == last { "*" } else { "" }))
        .collect();
    Some(terms.join(" "))
}

/// A page request's row count (0: the default of 100), refused outside 1..=1000 or at a
/// negative offset. Every paged list of the console asks the same.
pub(crate) fn page_limit(offset: i64, limit: i64) -> Result<i64, ApiError> {
    if offset < 0 {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "The page offset cannot be negative.",
        ));
    }
    match limit {
        0 => Ok(100),
        1..=1000 => Ok(limit),
        _ => Err(ApiError::new(
            ErrorCode::Validation,
            "A page holds 1 to 1000 rows; ask for fewer.",
        )),
    }
}

/// Sets of at most this many updates are read whole and sorted rather than found by
/// walking a sort index: 5,000 row reads take a few milliseconds, whereas a walk in an
/// order the set clusters in (severity is empty for all but security updates) can cross
/// most of the catalog before a page is full.
const SMALL_SET: i64 = 5_000;

/// `pd_hit(upd_pk)`: whether the key is among the query's search matches and product
/// members (`search_hits`), tested on index entries without reading rows.
const HIT_FUNCTION: &str = "pd_hit";

fn no_rows(total: i64, offset: i64) -> UpdatePage {
    UpdatePage {
        total,
        offset,
        rows: Vec::new(),
    }
}

pub fn list_updates(site: &Site, _actor: &Actor, q: UpdateQuery) -> Result<UpdatePage, ApiError> {
    let limit = page_limit(q.offset, q.limit)?;
    // Declined updates have their own `listed` value (migration 0003): the Declined view
    // and the default views are each an index range.
    let listed_states: &[i64] = if q.declined {
        &[3]
    } else if q.include_expired {
        &[1, 2]
    } else {
        &[1]
    };
    let listed = if q.include_expired && !q.declined {
        "listed IN (1, 2)".to_string()
    } else {
        format!("listed = {}", listed_states[0])
    };
    let class_ids: Vec<String> = q.classification_ids.iter().map(|s| s.to_lowercase()).collect();
    let product_ids: Vec<String> = q.product_ids.iter().map(|s| s.to_lowercase()).collect();
    let mut filters: Vec<String> = vec![listed];
    let mut filter_values: Vec<Value> = Vec::new();
    if q.hide_superseded {
        filters.push("is_superseded = 0".into());
    }
    if !class_ids.is_empty() {
        filters.push(format!("classification_id IN ({})", marks(class_ids.len())));
        filter_values.extend(class_ids.iter().cloned().map(Value::Text));
    }
    if let Some(n) = q.min_required {
        filters.push("required_count > ?".into());
        filter_values.push(Value::Integer(n));
    }
    if q.deployed == Some(false) {
        filters.push(format!("upd_pk NOT IN ({DEPLOYED_SET})"));
    }
    let fts = match q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => match fts_query(text) {
            Some(m) => Some(m),
            // Only punctuation: nothing can match.
            None => return Ok(no_rows(0, q.offset)),
        },
        None => None,
    };
    let sort = q.sort.unwrap_or(SortSpec {
        column: UpdateColumn::ReleaseDate,
        descending: true,
    });

    let c = site.store().reader();
    let lists = site.state::<ListCache>();
    let generation = lists.generation();
    // Search matches and product members as bits, intersected here (with the
    // classification too, so the set's size is what a driven query would read).
    let held = site.state::<SearchHits>();
    let mut hits: Option<Arc<PkBits>> = match &fts {
        Some(m) => Some(held.matching(&c, generation, m)?),
        None => None,
    };
    if !product_ids.is_empty() {
        let members = held.in_categories(&c, generation, &product_ids, listed_states)?;
        hits = Some(match hits {
            Some(h) => Arc::new(h.and(&members)),
            None => members,
        });
    }
    if let (Some(h), false) = (&hits, class_ids.is_empty()) {
        let classified = held.classified(&c, generation, &class_ids, listed_states)?;
        hits = Some(Arc::new(h.and(&classified)));
    }
    let hits_size = hits.as_ref().map(|h| h.len() as i64);
    if hits_size == Some(0) {
        return Ok(no_rows(0, q.offset));
    }
    if let Some(h) = hits.clone() {
        c.create_scalar_function(
            HIT_FUNCTION,
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            move |ctx| Ok(h.contains(ctx.get::<i64>(0)?)),
        )?;
    }
    // What the hits stand for, in the keys of remembered counts and anchors (the SQL
    // names only the function).
    let hits_key = format!("{fts:?}|{product_ids:?}");
    // Sets in SQL that can drive a page, most selective kind first.
    let sets: Vec<Set> = [
        q.update_group_id.map(|g| Set {
            sql: "SELECT upd_pk AS pk FROM update_group_members WHERE group_id = ?".into(),
            values: vec![Value::Integer(g)],
        }),
        (q.deployed == Some(true)).then(|| Set {
            sql: DEPLOYED_SET.into(),
            values: Vec::new(),
        }),
    ]
    .into_iter()
    .flatten()
    .collect();

    let base = Plan {
        from: "updates".into(),
        filters,
        values: filter_values,
        by_hits: false,
    };
    let walked = |sets: &[Set]| {
        let mut plan = base.clone();
        if hits.is_some() {
            plan.filters.push(format!("{HIT_FUNCTION}(upd_pk)"));
        }
        sets.iter().cloned().fold(plan, |p, s| p.filtered_by(s))
    };
    let driven = |sets: &[Set]| -> Option<Plan> {
        if hits.is_some() {
            let by_hits = Plan {
                from: "json_each(?) AS m CROSS JOIN updates ON updates.upd_pk = m.value".into(),
                by_hits: true,
                ..base.clone()
            };
            return Some(sets.iter().cloned().fold(by_hits, |p, s| p.filtered_by(s)));
        }
        let (first, others) = sets.split_first()?;
        let by_set = base.clone().driven_by(first.clone());
        Some(others.iter().cloned().fold(by_set, |p, s| p.filtered_by(s)))
    };
    let run_values = |plan: &Plan| -> Vec<Value> {
        let mut values = plan.values.clone();
        if let (true, Some(h)) = (plan.by_hits, &hits) {
            let keys: Vec<String> = h.iter().map(|pk| pk.to_string()).collect();
            values.insert(0, Value::Text(format!("[{}]", keys.join(","))));
        }
        values
    };

    // Filters the kept counts answer need no count at all; any other is counted once per
    // catalog generation.
    let kept =
        fts.is_none() && product_ids.len() <= 1 && sets.is_empty() && q.min_required.is_none() && q.deployed.is_none();
    let total = if kept {
        list_counts::count(
            &c,
            &KeptFilter {
                listed: listed_states,
                hide_superseded: q.hide_superseded,
                classification_ids: &class_ids,
                product_id: product_ids.first().map(String::as_str),
            },
        )?
    } else {
        let counted = match hits_size {
            Some(n) if n > SMALL_SET => walked(&sets),
            _ => driven(&sets).unwrap_or_else(|| walked(&sets)),
        };
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {}",
            counted.from,
            counted.filters.join(" AND ")
        );
        let key = format!("{sql}|{:?}|{hits_key}", counted.values);
        lists.get_or_count(&key, || {
            c.query_row(&sql, params_from_iter(run_values(&counted).iter()), |r| r.get(0))
        })?
    };
    if q.offset >= total {
        return Ok(no_rows(total, q.offset));
    }
    // Two plans for a page: walk a sort index and test each entry against the sets (cost:
    // the entries stepped over), or read the driving set's rows whole and sort them (cost:
    // a row read and sorted per member, about six index steps each). A one-row search
    // never walks 500,000 entries, and the first page of a large product is not sorted
    // whole.
    let whole = list_counts::count(
        &c,
        &KeptFilter {
            listed: listed_states,
            hide_superseded: false,
            classification_ids: &[],
            product_id: None,
        },
    )?;
    let reach = q.offset.min(total - q.offset) + limit;
    let walk_cost = reach.saturating_mul(whole) / total.max(1);
    let driver_size = hits_size.unwrap_or(total);
    let drive = driver_size <= SMALL_SET || driver_size.saturating_mul(6) <= walk_cost;
    let plan = drive.then(|| driven(&sets)).flatten().unwrap_or_else(|| walked(&sets));
    let values = run_values(&plan);
    let Plan {
        from,
        filters,
        values: key_values,
        ..
    } = plan;
    let mut values = values;
    let mut where_sql = filters.join(" AND ");
    let col = sort_column(sort.column);
    let anchor_key = format!("{from}|{where_sql}|{key_values:?}|{hits_key}|{col}|{}", sort.descending);
    // Three ways to reach the page, cheapest first: resume from a remembered anchor
    // before it; or walk from whichever end of the list is nearer.
    let direct = q.offset.min(total - q.offset);
    let anchor = lists
        .anchor_before(&anchor_key, q.offset)
        .filter(|(at, _)| q.offset - at < direct);
    let (walk_desc, skip, take, from_end) = if let Some((at, (value, pk))) = anchor {
        // Row-value comparison: SQLite resumes the index range right at the anchor.
        where_sql.push_str(&format!(
            " AND ({col}, upd_pk) {} (?, ?)",
            if sort.descending { "<=" } else { ">=" }
        ));
        values.push(value);
        values.push(Value::Integer(pk));
        (sort.descending, q.offset - at, limit, false)
    } else if q.offset > total / 2 {
        let end = (q.offset + limit).min(total);
        (!sort.descending, total - end, end - q.offset, true)
    } else {
        (sort.descending, q.offset, limit, false)
    };
    let dir = if walk_desc { "DESC" } else { "ASC" };
    let order = format!("{col} {dir}, upd_pk {dir}");
    let sql = format!(
        "SELECT {ROW_COLUMNS}, upd_pk, {col} FROM updates WHERE upd_pk IN (
            SELECT upd_pk FROM {from} WHERE {where_sql} ORDER BY {order} LIMIT {take} OFFSET {skip})
         ORDER BY {order}"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let mut rows = stmt
        .query_map(params_from_iter(values.iter()), |r| {
            Ok((
                read_row(r)?,
                r.get::<_, i64>(ROW_WIDTH)?,
                r.get::<_, Value>(ROW_WIDTH + 1)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if from_end {
        rows.reverse();
    }
    if q.offset >= ANCHOR_FROM_OFFSET {
        if let Some((_, pk, value)) = rows.first() {
            lists.remember_anchor(&anchor_key, q.offset, (value.clone(), *pk));
        }
    }
    Ok(UpdatePage {
        total,
        offset: q.offset,
        rows: rows.into_iter().map(|(row, _, _)| row).collect(),
    })
}

/// Whole rows of the updates a condition picks (one parameter), in the condition's order:
/// member lists, where the set is small enough to read at once.
pub(crate) fn rows_where(c: &rusqlite::Connection, condition: &str, value: i64) -> rusqlite::Result<Vec<UpdateRow>> {
    let mut stmt = c.prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM updates WHERE {condition}"))?;
    let rows = stmt.query_map([value], read_row)?.collect();
    rows
}

/// Whole rows of these updates, in the order given (a rule preview's first page); keys
/// that no longer exist are skipped.
pub(crate) fn rows_by_pk(c: &rusqlite::Connection, pks: &[i64]) -> rusqlite::Result<Vec<UpdateRow>> {
    let mut stmt = c.prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM updates WHERE upd_pk = ?1"))?;
    pks.iter()
        .filter_map(|pk| stmt.query_row([pk], read_row).optional().transpose())
        .collect()
}

/// A set of update keys (`pk`) from a subquery with its parameters.
#[derive(Clone)]
struct Set {
    sql: String,
    values: Vec<Value>,
}

/// A page query's FROM and WHERE, with parameters in the order they appear.
#[derive(Clone)]
struct Plan {
    from: String,
    filters: Vec<String>,
    values: Vec<Value>,
    /// Driven by the query's hits: their keys (JSON) are the first parameter, added only
    /// when the statement runs.
    by_hits: bool,
}

impl Plan {
    /// The set's members drive the query (CROSS JOIN keeps SQLite to that order).
    fn driven_by(self, set: Set) -> Self {
        let mut values = set.values;
        values.extend(self.values);
        Self {
            from: format!("({}) AS m CROSS JOIN updates ON updates.upd_pk = m.pk", set.sql),
            filters: self.filters,
            values,
            by_hits: false,
        }
    }

    /// Each row is tested for membership in the set.
    fn filtered_by(mut self, set: Set) -> Self {
        self.filters.push(format!("upd_pk IN ({})", set.sql));
        self.values.extend(set.values);
        self
    }
}

pub(crate) fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Pages closer to an end than this are cheap enough without an anchor.
const ANCHOR_FROM_OFFSET: i64 = 2000;

pub fn get_update(site: &Site, _actor: &Actor, args: GetUpdateArgs) -> Result<UpdateDetails, ApiError> {
    let id = args.update_id.trim().to_lowercase();
    let c = site.store().reader();
    let found = c
        .query_row(
            &format!(
                "SELECT {ROW_COLUMNS}, upd_pk, update_type, description, more_info_url, support_url, cve_ids,
                        reboot_behavior, install_impact, publication_state, explicitly_deployable, arrival_utc
                 FROM updates WHERE update_id = ?1"
            ),
            [&id],
            |r| {
                Ok((
                    read_row(r)?,
                    r.get::<_, i64>(ROW_WIDTH)?,
                    r.get::<_, String>(ROW_WIDTH + 1)?,
                    r.get::<_, Option<String>>(ROW_WIDTH + 2)?,
                    r.get::<_, Option<String>>(ROW_WIDTH + 3)?,
                    r.get::<_, Option<String>>(ROW_WIDTH + 4)?,
                    r.get::<_, String>(ROW_WIDTH + 5)?,
                    (
                        r.get::<_, Option<String>>(ROW_WIDTH + 6)?,
                        r.get::<_, Option<String>>(ROW_WIDTH + 7)?,
                    ),
                    r.get::<_, String>(ROW_WIDTH + 8)?,
                    r.get::<_, Option<bool>>(ROW_WIDTH + 9)?,
                    r.get::<_, String>(ROW_WIDTH + 10)?,
                ))
            },
        )
        .optional()?;
    let Some((
        row,
        pk,
        update_type,
        description,
        more_info_url,
        support_url,
        cves,
        (reboot, impact),
        state,
        explicit,
        arrival,
    )) = found
    else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("Update {id} is not in this site's catalog."),
        ));
    };

    let refs = |sql: &str, key: &dyn rusqlite::ToSql| -> rusqlite::Result<Vec<UpdateRef>> {
        let mut stmt = c.prepare_cached(sql)?;
        let rows = stmt
            .query_map([key], |r| {
                Ok(UpdateRef {
                    update_id: r.get(0)?,
                    revision: r.get(1)?,
                    title: r.get(2)?,
                    kind: r.get(3)?,
                })
            })?
            .collect();
        rows
    };
    let supersedes = refs(
        "SELECT s.superseded_id, u.revision, u.title, u.update_type FROM supersedence s
         LEFT JOIN updates u ON u.update_id = s.superseded_id WHERE s.superseding_pk = ?1 ORDER BY s.superseded_id",
        &pk,
    )?;
    let superseded_by = refs(
        "SELECT u.update_id, u.revision, u.title, u.update_type FROM supersedence s
         JOIN updates u ON u.upd_pk = s.superseding_pk WHERE s.superseded_id = ?1 ORDER BY u.title",
        &id,
    )?;
    let bundled_updates = refs(
        "SELECT b.member_id, b.member_revision, u.title, u.update_type FROM bundle_members b
         LEFT JOIN updates u ON u.update_id = b.member_id WHERE b.bundle_pk = ?1 ORDER BY b.member_id",
        &pk,
    )?;
    let bundled_by = refs(
        "SELECT u.update_id, u.revision, u.title, u.update_type FROM bundle_members b
         JOIN updates u ON u.upd_pk = b.bundle_pk WHERE b.member_id = ?1 ORDER BY u.title",
        &id,
    )?;

    let mut prerequisites: Vec<PrerequisiteInfo> = Vec::new();
    {
        let mut stmt = c.prepare_cached(
            "SELECT p.grp, p.at_least_one, p.is_category, p.target_id, coalesce(c.title, u.title),
                    coalesce(c.kind, u.update_type), u.revision
             FROM prerequisites p
             LEFT JOIN categories c ON c.category_id = p.target_id
             LEFT JOIN updates u ON u.update_id = p.target_id
             WHERE p.upd_pk = ?1 ORDER BY p.grp, p.rowid",
        )?;
        let mut rows = stmt.query([pk])?;
        let mut last_grp = None;
        while let Some(r) = rows.next()? {
            let grp: i64 = r.get(0)?;
            let entry = UpdateRef {
                update_id: r.get(3)?,
                revision: r.get(6)?,
                title: r.get(4)?,
                kind: r.get(5)?,
            };
            if last_grp != Some(grp) {
                prerequisites.push(PrerequisiteInfo {
                    at_least_one: r.get(1)?,
                    is_category: r.get(2)?,
                    updates: Vec::new(),
                });
                last_grp = Some(grp);
            }
            if let Some(p) = prerequisites.last_mut() {
                p.updates.push(entry);
            }
        }
    }

    let categories = {
        let mut stmt = c.prepare_cached(
            "SELECT c.category_id, c.title, c.kind, c.parent_id, c.synced FROM update_categories uc
             JOIN categories c USING (category_id) WHERE uc.upd_pk = ?1 ORDER BY c.kind, c.title",
        )?;
        let rows = stmt
            .query_map([pk], |r| {
                Ok(CategoryInfo {
                    category_id: r.get(0)?,
                    title: r.get(1)?,
                    kind: parse_kind(&r.get::<_, String>(2)?),
                    parent_id: r.get(3)?,
                    synced: r.get(4)?,
                    update_count: 0,
                    // Arrival and "new" belong to the category list, not to an update's view.
                    first_seen_utc: None,
                    is_new: false,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };

    let files = read_files(
        &c,
        "SELECT u.update_id, u.title, f.file_name, f.size, f.modified, f.sha1, f.sha256, f.languages
         FROM files f JOIN updates u USING (upd_pk) WHERE f.upd_pk = ?1 ORDER BY f.rowid",
        pk,
    )?;
    let bundled_files = read_files(&c, BUNDLED_FILES, pk)?;

    let localized = {
        let mut stmt = c.prepare_cached(
            "SELECT language, title, description FROM localized_text WHERE upd_pk = ?1 ORDER BY language",
        )?;
        let rows = stmt
            .query_map([pk], |r| {
                Ok(LocalizedInfo {
                    language: r.get(0)?,
                    title: r.get(1)?,
                    description: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };

    let revisions = {
        let mut stmt =
            c.prepare_cached("SELECT revision FROM revisions WHERE update_id = ?1 ORDER BY revision DESC")?;
        let rows = stmt
            .query_map([&id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        rows
    };

    Ok(UpdateDetails {
        row,
        update_type,
        description,
        more_info_url,
        support_url,
        cve_ids: cves.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        reboot_behavior: reboot,
        install_impact: impact,
        publication_state: state,
        explicitly_deployable: explicit,
        arrival_utc: arrival,
        categories,
        prerequisites,
        bundled_updates,
        bundled_by,
        supersedes,
        superseded_by,
        files,
        bundled_files,
        localized,
        revisions,
    })
}

/// The files of a bundle's members, recursively (a member can be a bundle).
/// UNION (not UNION ALL) stops at updates already visited, so a cycle cannot loop.
/// CROSS JOIN fixes the join order: left to itself SQLite scanned `files` or `updates`
/// whole for every member (0.9-1.1 s per Properties at 500,000 updates) instead of
/// looking each member up by key.
const BUNDLED_FILES: &str = "WITH RECURSIVE members(pk) AS (
         SELECT u.upd_pk FROM bundle_members b CROSS JOIN updates u ON u.update_id = b.member_id
         WHERE b.bundle_pk = ?1
         UNION
         SELECT u.upd_pk FROM members m CROSS JOIN bundle_members b ON b.bundle_pk = m.pk
         CROSS JOIN updates u ON u.update_id = b.member_id)
     SELECT u.update_id, u.title, f.file_name, f.size, f.modified, f.sha1, f.sha256, f.languages
     FROM members m CROSS JOIN files f ON f.upd_pk = m.pk CROSS JOIN updates u ON u.upd_pk = m.pk
     ORDER BY u.title, f.rowid";

fn read_files(c: &rusqlite::Connection, sql: &str, pk: i64) -> rusqlite::Result<Vec<FileInfo>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt
        .query_map([pk], |r| {
            let sha1: String = r.get(5)?;
            let sha256: Option<String> = r.get(6)?;
            let languages: String = r.get(7)?;
            Ok(FileInfo {
                update_id: r.get(0)?,
                update_title: r.get(1)?,
                file_name: r.get(2)?,
                size: r.get(3)?,
                modified: r.get(4)?,
                sha1: base64_to_hex(&sha1),
                sha256: sha256.as_deref().map(base64_to_hex),
                languages: languages
                    .split(',')
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })?
        .collect();
    rows
}

pub fn list_categories(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<CategoryInfo>, ApiError> {
    // SYNC-8: "new" means arrived after the settings were last saved and not chosen there.
    // Before the settings were ever saved nothing is new: the console asks for a first choice.
    let saved = crate::update_point::settings::saved_utc(site)?;
    let settings = crate::update_point::settings::load(site)?;
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT c.category_id, c.title, c.kind, c.parent_id, c.synced, coalesce(n.listed, 0), c.first_seen_utc
         FROM categories c
         LEFT JOIN (SELECT category_id, count(*) AS listed FROM update_categories WHERE listed = 1
                    GROUP BY category_id) n USING (category_id)
         ORDER BY c.kind, c.title",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let kind = parse_kind(&r.get::<_, String>(2)?);
            let category_id: String = r.get(0)?;
            let first_seen_utc: Option<String> = r.get(6)?;
            let chosen = match kind {
                CategoryKind::Product => Some(&settings.product_ids),
                CategoryKind::UpdateClassification => Some(&settings.classification_ids),
                _ => None,
            };
            let is_new = match (&saved, &first_seen_utc, chosen) {
                (Some(saved), Some(seen), Some(chosen)) => seen > saved && !chosen.contains(&category_id),
                _ => false,
            };
            Ok(CategoryInfo {
                category_id,
                title: r.get(1)?,
                kind,
                parent_id: r.get(3)?,
                synced: r.get(4)?,
                update_count: r.get(5)?,
                first_seen_utc,
                is_new,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn parse_kind(s: &str) -> CategoryKind {
    match s {
        "Company" => CategoryKind::Company,
        "ProductFamily" => CategoryKind::ProductFamily,
        "Product" => CategoryKind::Product,
        "UpdateClassification" => CategoryKind::UpdateClassification,
        _ => CategoryKind::Other,
    }
}

/// Digests arrive base64; administrators compare hex. Text that is not base64 is shown as is.
fn base64_to_hex(b64: &str) -> String {
    match base64::engine::general_purpose::STANDARD.decode(b64) {
        Ok(bytes) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        Err(_) => b64.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_query_quotes_every_word() {
        assert_eq!(fts_query("KB2267602").as_deref(), Some("\"KB2267602\"*"));
        assert_eq!(
            fts_query("Defender 1.459").as_deref(),
            Some("\"Defender\" \"1\" \"459\"*")
        );
        assert_eq!(fts_query("a\" OR b").as_deref(), Some("\"a\" \"OR\" \"b\"*"));
        assert_eq!(fts_query(" ()* "), None);
    }

    #[test]
    fn hex_digest() {
        assert_eq!(base64_to_hex("AAECAw=="), "00010203");
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    /// The detail lines of EXPLAIN QUERY PLAN for `sql` on a new site's schema.
    fn plan(sql: &str) -> Vec<String> {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site::open(dir.path()).expect("open");
        let c = site.store().reader();
        let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("explain");
        let rows = stmt
            .query_map([1], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("plan rows");
        rows
    }

    #[test]
    fn bundled_files_look_members_up_by_key() {
        let steps = plan(BUNDLED_FILES);
        // Only the recursive member list itself is read whole; every table is searched.
        let scans: Vec<&String> = steps
            .iter()
            .filter(|s| s.starts_with("SCAN") && !s.starts_with("SCAN m"))
            .collect();
        assert!(scans.is_empty(), "a table scanned per member: {steps:#?}");
        for index in [
            "b USING PRIMARY KEY",
            "f USING INDEX files_upd",
            "(update_id=?)",
            "(rowid=?)",
        ] {
            assert!(steps.iter().any(|s| s.contains(index)), "{index} unused: {steps:#?}");
        }
    }
}
