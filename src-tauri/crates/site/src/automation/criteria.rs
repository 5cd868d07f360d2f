//! The rule engine: which updates a RuleCriteria selects at an evaluation time.
//!
//! One SQL statement per evaluation. It is driven by the most selective criterion that has
//! an index (see migration 0001), in this order: a release-date range on
//! `updates_list_date`, severities (without "none") on `updates_list_severity`, a product's
//! links in `update_categories`, a classification on `updates_list_filter`, or the keys
//! whose title or KB number holds a text (found in memory by `title_index`; a few such keys
//! drive before any index range). The other criteria then test only the rows the driver
//! yields; with no driver, one pass over the table. `INDEXED BY` pins the driver: without
//! statistics SQLite would prefer the index with the most equality terms, and walk 200,000
//! classified rows for a rule whose one-month date range holds 3,000. A classification of
//! more than 20,000 updates whose other tests the date index covers walks that index
//! instead: no row is read, and the answer comes out nearly in order.

use crate::clock::UtcTime;
use rusqlite::functions::FunctionFlags;
use rusqlite::{params_from_iter, types::Value, Connection};

use super::title_index::TitleIndex;
use crate::clock::format_utc;
use crate::handle::{Actor, Site};
use crate::schedule::{max_span, sub_span};
use crate::update_point::settings::is_guid;
use crate::wire::{
    ApiError, ErrorCode, FieldIssue, PreviewCriteriaArgs, RuleCriteria, RulePreview, SpanUnit, TimeSpan,
};

/// MSRC severities as the catalog stores them.
const SEVERITIES: &[&str] = &["Critical", "Important", "Moderate", "Low"];

/// Below this many title matches the matches drive the statement (key lookups cost about
/// what walking as many entries of an index range does).
const TITLE_KEYS_DRIVE: usize = 5_000;

/// The SQL function a rule's statement calls to test an update's languages.
const LANGUAGE_FUNCTION: &str = "pd_has_language";
/// ... and when its latest revision arrived.
const ARRIVED_FUNCTION: &str = "pd_arrived_since";

/// Above this many updates a classification walks the date index rather than driving.
const BIG_CLASSIFICATION: i64 = 20_000;

const NOTHING_SELECTED: &str =
    "Choose at least one criterion: a rule with none would select every update in the catalog.";

/// The updates (upd_pk) a rule selects at `now`: listed (expired ones only when asked),
/// never declined, newest release first.
pub fn select(c: &Connection, criteria: &RuleCriteria, now: UtcTime) -> Result<Vec<i64>, ApiError> {
    let q = build(c, criteria, now)?;
    let mut stmt = c.prepare_cached(&q.sql)?;
    let rows = stmt.query_map(params_from_iter(q.values.iter()), |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}

/// SQLite's plan for a rule (EXPLAIN QUERY PLAN, one line per step): for benchmarks and
/// for checking that a rule walks an index rather than the table.
pub fn explain(c: &Connection, criteria: &RuleCriteria, now: UtcTime) -> Result<Vec<String>, ApiError> {
    let q = build(c, criteria, now)?;
    let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {}", q.sql))?;
    let rows = stmt.query_map(params_from_iter(q.values.iter()), |r| r.get::<_, String>(3))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

struct Query {
    sql: String,
    values: Vec<Value>,
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The digits of a KB number typed as "KB5034441", "kb 5034441" or "5034441" (the column
/// holds digits only); None when the text is not a KB number.
fn kb_digits(text: &str) -> Option<&str> {
    let t = text.trim();
    let digits = if t.len() >= 2 && t[..2].eq_ignore_ascii_case("kb") {
        t[2..].trim_start()
    } else {
        t
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

fn title_text(criteria: &RuleCriteria) -> Option<&str> {
    criteria
        .title_contains
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn languages(criteria: &RuleCriteria) -> Vec<String> {
    criteria
        .languages
        .iter()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Severities as stored ("critical" → "Critical"); "" stands for "no severity".
fn severities(criteria: &RuleCriteria) -> Vec<String> {
    criteria
        .severities
        .iter()
        .map(|s| {
            let s = s.trim();
            SEVERITIES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(s))
                .map_or_else(|| s.to_string(), |k| k.to_string())
        })
        .collect()
}

/// The chosen categories and every category under them: choosing "Office" (a product
/// family) selects the updates of each Office product.
fn with_descendants(c: &Connection, ids: &[String]) -> rusqlite::Result<Vec<String>> {
    let ids: Vec<Value> = ids.iter().map(|s| Value::Text(s.trim().to_lowercase())).collect();
    let mut stmt = c.prepare(&format!(
        "WITH RECURSIVE tree(id) AS (VALUES {})
           SELECT id FROM tree
           UNION SELECT c.category_id FROM categories c JOIN tree t ON c.parent_id = t.id",
        vec!["(?)"; ids.len()].join(", ")
    ))?;
    // UNION (not UNION ALL) in the recursive CTE: a cycle in bad parent links ends.
    let rows = stmt.query_map(params_from_iter(ids.iter()), |r| r.get::<_, String>(0))?;
    rows.collect()
}

fn build(c: &Connection, criteria: &RuleCriteria, now: UtcTime) -> rusqlite::Result<Query> {
    build_with(c, criteria, now, BIG_CLASSIFICATION)
}

/// `build`, with the size above which a classification walks the date index.
fn build_with(
    c: &Connection,
    criteria: &RuleCriteria,
    now: UtcTime,
    big_classification: i64,
) -> rusqlite::Result<Query> {
    // The in-memory titles, languages and arrivals: looked up once per evaluation, and only
    // for the criteria that read them.
    let mut memory: Option<std::sync::Arc<TitleIndex>> = None;
    let mut in_memory = |c: &Connection| -> rusqlite::Result<std::sync::Arc<TitleIndex>> {
        if let Some(m) = &memory {
            return Ok(m.clone());
        }
        let m = TitleIndex::of(c)?;
        memory = Some(m.clone());
        Ok(m)
    };
    let listed = if criteria.include_expired {
        "listed IN (1, 2)"
    } else {
        "listed = 1"
    };
    // Terms on the updates row; `+` keeps SQLite from reading them as index choices, so
    // only the driver below decides the access path.
    let mut terms: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut driver: Option<(&'static str, String, Vec<Value>)> = None;
    // The first indexed criterion (in the order below, most selective kind first) drives;
    // the later ones become row filters. Each is "`column` IN (the values)".
    fn drive_or_filter(
        driver: &mut Option<(&'static str, String, Vec<Value>)>,
        terms: &mut Vec<String>,
        values: &mut Vec<Value>,
        (index, column): (&'static str, &str),
        v: Vec<Value>,
    ) {
        let m = marks(v.len());
        if driver.is_none() {
            *driver = Some((index, format!("{column} IN ({m})"), v));
        } else {
            terms.push(format!("+{column} IN ({m})"));
            values.extend(v);
        }
    }

    if let Some(span) = criteria.released_within {
        let since = format_utc(sub_span(now, span));
        // The upper bound keeps text that is not a date (kept as it came) out of the range.
        driver = Some((
            "updates_list_date",
            "creation_date BETWEEN ? AND '9999'".into(),
            vec![Value::Text(since)],
        ));
    }
    // A severity list without "none" is a narrow, covering range (classification rides in
    // the same index): it drives before a product's links, which need each row read.
    let sev = severities(criteria);
    let narrow_severity = !sev.is_empty() && !sev.iter().any(String::is_empty);
    const SEVERITY: (&str, &str) = ("updates_list_severity", "severity");
    if narrow_severity {
        let v = sev.iter().cloned().map(Value::Text).collect();
        drive_or_filter(&mut driver, &mut terms, &mut values, SEVERITY, v);
    }
    if !criteria.product_ids.is_empty() {
        let ids = with_descendants(c, &criteria.product_ids)?;
        let set = format!(
            "SELECT upd_pk FROM update_categories WHERE category_id IN ({}) AND {listed}",
            marks(ids.len())
        );
        let v: Vec<Value> = ids.into_iter().map(Value::Text).collect();
        if driver.is_none() {
            driver = Some(("", format!("upd_pk IN ({set})"), v));
        } else {
            // A key lookup per row the driver yields, not a set built from every link.
            terms.push(format!(
                "EXISTS (SELECT 1 FROM update_categories uc WHERE uc.category_id IN ({}) AND uc.upd_pk = updates.upd_pk)",
                marks(v.len())
            ));
            values.extend(v);
        }
    }
    if !criteria.classification_ids.is_empty() {
        let v: Vec<Value> = criteria
            .classification_ids
            .iter()
            .map(|s| Value::Text(s.trim().to_lowercase()))
            .collect();
        let by_class = ("updates_list_filter", "classification_id");
        drive_or_filter(&mut driver, &mut terms, &mut values, by_class, v);
    }
    if !sev.is_empty() && !narrow_severity {
        let v = sev.into_iter().map(Value::Text).collect();
        drive_or_filter(&mut driver, &mut terms, &mut values, SEVERITY, v);
    }
    if let Some(text) = title_text(criteria) {
        // Substrings come from the in-memory title index (see title_index.rs); the
        // statement takes them as a set of keys, driving when nothing narrower does.
        let found = in_memory(c)?.matching(text, kb_digits(text));
        let found_len = found.len();
        let keys = Value::Text(serde_json::Value::from(found).to_string());
        let set = "SELECT value FROM json_each(?)".to_string();
        // A few keys (a KB number, a product name) beat any index range: they drive, and
        // what was driving becomes a test of each row.
        if driver.is_none() || found_len <= TITLE_KEYS_DRIVE {
            if let Some((_, driven, v)) = driver.take() {
                terms.insert(0, driven);
                values.splice(0..0, v);
            }
            driver = Some(("", format!("upd_pk IN ({set})"), vec![keys]));
        } else {
            terms.push(format!("upd_pk IN ({set})"));
            values.push(keys);
        }
    }
    if let Some(span) = criteria.revised_within {
        // `arrival_utc` is in no index: tested by key against its in-memory copy, like
        // languages below, so walking an index needs no row read for it.
        let since = format_utc(sub_span(now, span));
        let bits = in_memory(c)?.arrived_bits(&since);
        c.create_scalar_function(
            ARRIVED_FUNCTION,
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            move |ctx| Ok(bits.contains(ctx.get::<i64>(0)?)),
        )?;
        terms.push(format!("{ARRIVED_FUNCTION}(upd_pk)"));
    }
    if let Some(s) = criteria.superseded {
        terms.push(format!("+is_superseded = {}", i64::from(s)));
    }
    if let Some(n) = criteria.min_required {
        terms.push("required_count >= ?".into());
        values.push(Value::Integer(n));
    }
    let langs = languages(criteria);
    if !langs.is_empty() {
        // Tested by key against the in-memory languages (title_index.rs), so a driver
        // walking an index needs no row read for it.
        let bits = in_memory(c)?.language_bits(&langs);
        c.create_scalar_function(
            LANGUAGE_FUNCTION,
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            move |ctx| Ok(bits.contains(ctx.get::<i64>(0)?)),
        )?;
        terms.push(format!("{LANGUAGE_FUNCTION}(upd_pk)"));
    }
    let by_key_only = !langs.is_empty() || criteria.revised_within.is_some();
    if driver.is_none() && by_key_only && criteria.min_required.is_none() {
        // Nothing narrower: the date index holds every listed row near the answer's order,
        // with the key and supersedence these tests need, so no row is read.
        driver = Some(("updates_list_date", String::new(), Vec::new()));
    }

    // A classification holding much of the catalog (Security Updates, Definition Updates)
    // drives badly: every row it yields is read to be sorted by release date. When every
    // other test needs only what the date index carries, walking that index instead reads
    // no row and yields the answer in order.
    let covered = criteria.min_required.is_none() && criteria.severities.is_empty();
    let walk_dates = match &driver {
        Some((index, driven, v)) if covered && *index == "updates_list_filter" => {
            let held: i64 = c.query_row(
                &format!(
                    "SELECT count(*) FROM (SELECT 1 FROM updates INDEXED BY updates_list_filter
                     WHERE {listed} AND {driven} LIMIT {})",
                    big_classification + 1
                ),
                params_from_iter(v.iter()),
                |r| r.get(0),
            )?;
            held > big_classification
        }
        _ => false,
    };
    if walk_dates {
        if let Some((_, driven, v)) = driver.take() {
            terms.insert(0, format!("+{driven}"));
            values.splice(0..0, v);
        }
        driver = Some(("updates_list_date", String::new(), Vec::new()));
    }

    // With no indexed criterion every listed row is read: one pass over the table, then a
    // sort, costs a third of walking the date index with a seek per entry (measured).
    let (index, driven, driver_values) = driver.unwrap_or(("", String::new(), Vec::new()));
    // A set driver (product links, title scans) reaches rows by key: NOT INDEXED keeps
    // SQLite from walking a list index instead and testing each entry against the set.
    let from = if index.is_empty() {
        "updates NOT INDEXED".to_string()
    } else {
        format!("updates INDEXED BY {index}")
    };
    let mut all = vec![listed.to_string()];
    if !driven.is_empty() {
        all.push(driven);
    }
    all.extend(terms);
    let mut params = driver_values;
    params.extend(values);
    Ok(Query {
        sql: format!(
            "SELECT upd_pk FROM {from} WHERE {} ORDER BY creation_date DESC, upd_pk DESC",
            all.join(" AND ")
        ),
        values: params,
    })
}

fn issue(field: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: format!("criteria.{field}"),
        message: message.into(),
    }
}

fn span_issue(field: &str, label: &str, span: TimeSpan) -> Option<FieldIssue> {
    let max = max_span(span.unit);
    let unit = match span.unit {
        SpanUnit::Hours => "hours",
        SpanUnit::Days => "days",
        SpanUnit::Weeks => "weeks",
        SpanUnit::Months => "months",
    };
    (span.value < 1 || span.value > max).then(|| {
        issue(
            field,
            format!(
                "{label} {} {unit} is out of range: choose 1 to {max} {unit} (10 years).",
                span.value
            ),
        )
    })
}

/// Problems with criteria, for the wizard page that holds them (fields "criteria.<name>";
/// "criteria" alone when no criterion is set). Category ids that the catalog does not hold
/// (yet) are accepted: a rule written before the sync that brings a product still works
/// once it arrives; only text that cannot be an id is refused.
pub fn validate(criteria: &RuleCriteria) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let selects_something = !criteria.classification_ids.is_empty()
        || !criteria.product_ids.is_empty()
        || !criteria.severities.is_empty()
        || title_text(criteria).is_some()
        || criteria.released_within.is_some()
        || criteria.revised_within.is_some()
        || criteria.superseded.is_some()
        || criteria.min_required.is_some()
        || !languages(criteria).is_empty();
    if !selects_something {
        issues.push(FieldIssue {
            field: "criteria".into(),
            message: NOTHING_SELECTED.into(),
        });
    }
    for (field, what, ids) in [
        ("classificationIds", "classification", &criteria.classification_ids),
        ("productIds", "product", &criteria.product_ids),
    ] {
        if let Some(bad) = ids.iter().find(|id| !is_guid(id.trim())) {
            issues.push(issue(
                field,
                format!("\"{bad}\" is not a {what} id (a GUID); choose the {what} from the list."),
            ));
        }
    }
    if let Some(bad) = criteria
        .severities
        .iter()
        .find(|s| !s.trim().is_empty() && !SEVERITIES.iter().any(|k| k.eq_ignore_ascii_case(s.trim())))
    {
        issues.push(issue(
            "severities",
            format!("\"{bad}\" is not a severity: choose Critical, Important, Moderate, Low or none."),
        ));
    }
    if let Some(i) = criteria
        .released_within
        .and_then(|s| span_issue("releasedWithin", "Released within", s))
    {
        issues.push(i);
    }
    if let Some(i) = criteria
        .revised_within
        .and_then(|s| span_issue("revisedWithin", "Revised within", s))
    {
        issues.push(i);
    }
    if let Some(n) = criteria.min_required.filter(|n| *n < 0) {
        issues.push(issue(
            "minRequired",
            format!("A computer count cannot be negative ({n}): enter 0 or more."),
        ));
    }
    if title_text(criteria).is_some_and(|t| t.chars().count() > 200) {
        issues.push(issue(
            "titleContains",
            "The title text is longer than 200 characters: enter a shorter part of the title.",
        ));
    }
    issues
}

/// Exactly what a run evaluated now would select: the whole count and the first rows.
pub fn preview(site: &Site, _actor: &Actor, args: PreviewCriteriaArgs) -> Result<RulePreview, ApiError> {
    let limit = match args.limit {
        0 => 200,
        1..=1000 => args.limit,
        n => {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!("A preview shows 1 to 1000 updates ({n} asked); ask for fewer."),
            ))
        }
    };
    let issues = validate(&args.criteria);
    if !issues.is_empty() {
        let messages: Vec<String> = issues.into_iter().map(|i| i.message).collect();
        return Err(ApiError::new(ErrorCode::Validation, messages.join(" ")));
    }
    let now = crate::clock::now();
    let c = site.store().reader();
    let pks = select(&c, &args.criteria, now)?;
    let first = &pks[..pks.len().min(limit as usize)];
    let updates = crate::catalog::queries::rows_by_pk(&c, first)?;
    Ok(RulePreview {
        total: pks.len() as i64,
        updates,
        evaluated_utc: format_utc(now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::import::{import_documents, Document};
    use crate::wire::SpanUnit;

    const SECURITY: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
    const CRITICAL: &str = "e6cf1350-c01b-414d-a61f-263d14d133b4";
    const UPDATES: &str = "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83";
    fn at(text: &str) -> UtcTime {
        crate::clock::parse_rfc3339(text).expect("a test time")
    }

    /// The moment every test evaluates at.
    fn now() -> UtcTime {
        at("2026-03-31T12:00:00Z")
    }

    /// A generated catalog whose listed rows are all made alike ("neutral"), then twenty of
    /// them (`p[0..20]`) given the one value each test looks for.
    struct Fixture {
        _dir: tempfile::TempDir,
        site: Site,
        p: Vec<i64>,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().expect("tmp");
        let site = Site::open(dir.path()).expect("site");
        let docs = crate::catalog::generator::generate(120, 5)
            .map(|d| Document {
                origin: d.file_name,
                xml: d.xml,
            })
            .collect();
        import_documents(&site, &Actor::new("test"), docs).expect("import");
        let p: Vec<i64> = {
            let w = site.store().writer();
            w.execute(
                "UPDATE updates SET listed = 1, creation_date = '2020-01-15T00:00:00.000Z',
                   arrival_utc = '2020-01-15T00:00:00.000Z', severity = '', title = 'Neutral ' || upd_pk,
                   kb_article_id = '', languages = 'en', required_count = 0, is_superseded = 0,
                   classification_id = ?1
                 WHERE listed IN (1, 2, 3)",
                [UPDATES],
            )
            .expect("neutral");
            let mut stmt = w
                .prepare("SELECT upd_pk FROM updates WHERE listed = 1 ORDER BY upd_pk LIMIT 20")
                .expect("prepare");
            let p = stmt
                .query_map([], |r| r.get(0))
                .expect("query")
                .collect::<rusqlite::Result<Vec<i64>>>()
                .expect("rows");
            assert_eq!(p.len(), 20, "the generated catalog is too small");
            let set = |pk: i64, assignment: &str| {
                w.execute(&format!("UPDATE updates SET {assignment} WHERE upd_pk = ?1"), [pk])
                    .expect("set");
            };
            // Release dates around "1 month before now()" (Mar 31 - 1 month = Feb 28, 12:00).
            set(p[0], "creation_date = '2026-02-28T12:00:00.000Z'");
            set(p[1], "creation_date = '2026-02-28T11:59:59.999Z'");
            set(p[2], "creation_date = '2026-03-30T08:00:00.000Z'");
            set(p[3], "creation_date = '2026-03-20T00:00:00.000Z', listed = 2");
            set(
                p[4],
                "creation_date = '2026-03-21T00:00:00.000Z', listed = 3, declined = 1",
            );
            set(p[5], "arrival_utc = '2026-03-30T12:00:00.000Z'");
            set(p[6], "arrival_utc = '2026-03-30T11:59:59.999Z'");
            set(p[7], &format!("classification_id = '{SECURITY}'"));
            set(p[8], &format!("classification_id = '{CRITICAL}'"));
            set(p[9], "severity = 'Critical'");
            set(p[10], "severity = 'Important'");
            set(
                p[11],
                "title = '2026-03 Cumulative Update for Windows 11 (KB5034441)', kb_article_id = '5034441'",
            );
            set(p[12], "title = 'Something cumulative'");
            set(p[13], "title = 'Other', kb_article_id = '5034441'");
            set(p[14], "title = 'Fix for e_tool 100%'");
            set(p[15], "is_superseded = 1");
            set(p[16], "required_count = 5");
            set(p[17], "required_count = 4");
            set(p[18], "languages = 'de,FR'");
            set(p[19], "languages = ''");
            p
        };
        Fixture { _dir: dir, site, p }
    }

    fn run(f: &Fixture, criteria: RuleCriteria) -> Vec<i64> {
        let c = f.site.store().reader();
        select(&c, &criteria, now()).expect("select")
    }

    fn sorted(mut v: Vec<i64>) -> Vec<i64> {
        v.sort_unstable();
        v
    }

    fn span(value: i64, unit: SpanUnit) -> Option<TimeSpan> {
        Some(TimeSpan { value, unit })
    }

    #[test]
    fn released_within_counts_calendar_months_newest_first() {
        let f = fixture();
        let p = &f.p;
        let c = RuleCriteria {
            released_within: span(1, SpanUnit::Months),
            ..Default::default()
        };
        // Feb 28 12:00 is exactly one calendar month before Mar 31 12:00 (30 days would be
        // Mar 1); the expired p3 and the declined p4 stay out.
        assert_eq!(run(&f, c.clone()), vec![p[2], p[0]]);
        let expired = RuleCriteria {
            include_expired: true,
            ..c
        };
        assert_eq!(run(&f, expired), vec![p[2], p[3], p[0]]);
        let week = RuleCriteria {
            released_within: span(2, SpanUnit::Days),
            ..Default::default()
        };
        assert_eq!(run(&f, week), vec![p[2]]);
    }

    #[test]
    fn each_criterion_selects_exactly_its_updates() {
        let f = fixture();
        let p = &f.p;
        let revised = RuleCriteria {
            revised_within: span(24, SpanUnit::Hours),
            ..Default::default()
        };
        assert_eq!(run(&f, revised), vec![p[5]]);
        let classes = RuleCriteria {
            classification_ids: vec![SECURITY.to_uppercase(), CRITICAL.into()],
            ..Default::default()
        };
        assert_eq!(sorted(run(&f, classes)), vec![p[7], p[8]]);
        let critical = RuleCriteria {
            severities: vec!["critical".into()],
            ..Default::default()
        };
        assert_eq!(run(&f, critical), vec![p[9]]);
        let two = RuleCriteria {
            severities: vec!["Critical".into(), "Important".into()],
            ..Default::default()
        };
        assert_eq!(sorted(run(&f, two)), vec![p[9], p[10]]);
        let superseded = RuleCriteria {
            superseded: Some(true),
            ..Default::default()
        };
        assert_eq!(run(&f, superseded), vec![p[15]]);
        let not_superseded = RuleCriteria {
            superseded: Some(false),
            ..Default::default()
        };
        let all_but = run(&f, not_superseded);
        assert!(!all_but.contains(&p[15]) && !all_but.contains(&p[3]) && !all_but.contains(&p[4]));
        assert!(all_but.contains(&p[0]) && all_but.contains(&p[16]));
        let required = RuleCriteria {
            min_required: Some(5),
            ..Default::default()
        };
        assert_eq!(run(&f, required), vec![p[16]]);
        let french = RuleCriteria {
            languages: vec![" fr ".into()],
            ..Default::default()
        };
        assert_eq!(sorted(run(&f, french)), vec![p[18], p[19]]);
        let english = RuleCriteria {
            languages: vec!["EN".into()],
            ..Default::default()
        };
        let en = run(&f, english);
        assert!(!en.contains(&p[18]) && en.contains(&p[19]) && en.contains(&p[0]));
    }

    #[test]
    fn title_text_matches_titles_and_kb_numbers() {
        let f = fixture();
        let p = &f.p;
        let title = |t: &str| RuleCriteria {
            title_contains: Some(t.into()),
            ..Default::default()
        };
        assert_eq!(sorted(run(&f, title("CUMULATIVE"))), vec![p[11], p[12]]);
        assert_eq!(sorted(run(&f, title("KB5034441"))), vec![p[11], p[13]]);
        assert_eq!(sorted(run(&f, title("5034441"))), vec![p[11], p[13]]);
        assert_eq!(sorted(run(&f, title("kb503444"))), vec![p[11], p[13]]);
        // LIKE wildcards typed by the user are plain text: "_" is not "any character", so
        // "e_t" does not find "Neutral".
        assert_eq!(run(&f, title("e_t")), vec![p[14]]);
        assert_eq!(run(&f, title("100%")), vec![p[14]]);
        // As a filter behind the date driver, the same meaning.
        let decade = RuleCriteria {
            released_within: span(120, SpanUnit::Months),
            ..title("KB5034441")
        };
        assert_eq!(sorted(run(&f, decade)), vec![p[11], p[13]]);
        let month = RuleCriteria {
            released_within: span(1, SpanUnit::Months),
            ..title("KB5034441")
        };
        assert!(run(&f, month).is_empty());
    }

    #[test]
    fn title_text_sees_what_the_latest_import_brought() {
        let f = fixture();
        let zebra = RuleCriteria {
            title_contains: Some("zebra".into()),
            ..Default::default()
        };
        assert!(run(&f, zebra.clone()).is_empty());
        // Titles change only with revisions: the next import brings this one's, and the
        // in-memory titles are read again.
        f.site
            .store()
            .writer()
            .execute(
                "UPDATE updates SET title = 'Zebra crossing fix' WHERE upd_pk = ?1",
                [f.p[0]],
            )
            .expect("retitle");
        let more = crate::catalog::generator::generate(3, 77)
            .map(|d| Document {
                origin: d.file_name,
                xml: d.xml,
            })
            .collect();
        import_documents(&f.site, &Actor::new("test"), more).expect("import");
        assert_eq!(run(&f, zebra), vec![f.p[0]]);
    }

    #[test]
    fn a_big_classification_walking_the_date_index_selects_the_same_in_the_same_order() {
        let f = fixture();
        {
            let w = f.site.store().writer();
            w.execute(
                "UPDATE updates SET classification_id = ?1 WHERE upd_pk IN (?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![SECURITY, f.p[5], f.p[6], f.p[15], f.p[18], f.p[19]],
            )
            .expect("set");
        }
        let c = f.site.store().reader();
        let both = |criteria: RuleCriteria| {
            let q = |big| {
                let q = build_with(&c, &criteria, now(), big).expect("build");
                let plan: Vec<String> = c
                    .prepare(&format!("EXPLAIN QUERY PLAN {}", q.sql))
                    .expect("plan")
                    .query_map(params_from_iter(q.values.iter()), |r| r.get::<_, String>(3))
                    .expect("plan rows")
                    .collect::<rusqlite::Result<_>>()
                    .expect("plan");
                let rows: Vec<i64> = c
                    .prepare(&q.sql)
                    .expect("prepare")
                    .query_map(params_from_iter(q.values.iter()), |r| r.get(0))
                    .expect("query")
                    .collect::<rusqlite::Result<_>>()
                    .expect("rows");
                (rows, plan.join(" | "))
            };
            let (driven, driven_plan) = q(BIG_CLASSIFICATION);
            let (walked, walked_plan) = q(0);
            assert!(driven_plan.contains("updates_list_filter"), "{driven_plan}");
            assert!(walked_plan.contains("updates_list_date"), "{walked_plan}");
            assert_eq!(driven, walked, "same updates, same order");
            driven
        };
        let security = |more: RuleCriteria| RuleCriteria {
            classification_ids: vec![SECURITY.into()],
            ..more
        };
        // p[7] is a security update from the fixture, with the five made so above.
        assert_eq!(sorted(both(security(RuleCriteria::default()))).len(), 6);
        let english = both(security(RuleCriteria {
            languages: vec!["en".into()],
            superseded: Some(false),
            ..Default::default()
        }));
        assert!(!english.contains(&f.p[15]) && !english.contains(&f.p[18]) && english.contains(&f.p[19]));
        let revised = both(security(RuleCriteria {
            revised_within: span(1, SpanUnit::Days),
            ..Default::default()
        }));
        assert_eq!(revised, vec![f.p[5]]);
    }

    #[test]
    fn criteria_combine_with_and() {
        let f = fixture();
        let p = &f.p;
        {
            let w = f.site.store().writer();
            w.execute(
                "UPDATE updates SET classification_id = ?1, severity = 'Critical' WHERE upd_pk = ?2",
                rusqlite::params![SECURITY, p[2]],
            )
            .expect("set");
            w.execute("UPDATE updates SET is_superseded = 1 WHERE upd_pk = ?1", [p[0]])
                .expect("set");
        }
        // Patch Tuesday: security + critical, released within a month, not superseded.
        let patch_tuesday = RuleCriteria {
            classification_ids: vec![SECURITY.into(), CRITICAL.into()],
            released_within: span(1, SpanUnit::Months),
            superseded: Some(false),
            ..Default::default()
        };
        assert_eq!(run(&f, patch_tuesday.clone()), vec![p[2]]);
        let with_severity = RuleCriteria {
            severities: vec!["Important".into()],
            ..patch_tuesday
        };
        assert!(run(&f, with_severity).is_empty());
        let severity_and_title = RuleCriteria {
            severities: vec!["Critical".into()],
            title_contains: Some("Neutral".into()),
            ..Default::default()
        };
        assert_eq!(sorted(run(&f, severity_and_title)), sorted(vec![p[2], p[9]]));
    }

    #[test]
    fn products_select_their_links_and_families_their_products() {
        let f = fixture();
        let c = f.site.store().reader();
        let (family, product): (String, String) = c
            .query_row(
                "SELECT c.parent_id, c.category_id FROM categories c
                 WHERE c.kind = 'Product' AND c.parent_id IN
                   (SELECT parent_id FROM categories WHERE kind = 'Product' GROUP BY parent_id HAVING count(*) > 1)
                 AND EXISTS (SELECT 1 FROM update_categories uc WHERE uc.category_id = c.category_id AND uc.listed = 1)
                 LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("a family with two products");
        let linked = |sql: &str, id: &str| -> Vec<i64> {
            let mut s = c.prepare(sql).expect("prepare");
            let v = s
                .query_map([id], |r| r.get(0))
                .expect("q")
                .collect::<rusqlite::Result<Vec<i64>>>()
                .expect("rows");
            sorted(v)
        };
        let of_product = linked(
            "SELECT upd_pk FROM update_categories WHERE category_id = ?1 AND listed = 1",
            &product,
        );
        let of_family = linked(
            "SELECT DISTINCT uc.upd_pk FROM update_categories uc JOIN categories k USING (category_id)
             WHERE k.parent_id = ?1 AND uc.listed = 1",
            &family,
        );
        assert!(!of_product.is_empty() && of_family.len() > of_product.len());
        let products = |ids: Vec<String>| RuleCriteria {
            product_ids: ids,
            ..Default::default()
        };
        assert_eq!(
            sorted(select(&c, &products(vec![product.to_uppercase()]), now()).expect("select")),
            of_product
        );
        assert_eq!(
            sorted(select(&c, &products(vec![family]), now()).expect("select")),
            of_family
        );
        // Behind a date driver, a product is a row filter with the same meaning.
        let dated = RuleCriteria {
            released_within: span(120, SpanUnit::Months),
            product_ids: vec![product],
            ..Default::default()
        };
        let listed_dates: std::collections::HashSet<i64> = select(
            &c,
            &RuleCriteria {
                released_within: span(120, SpanUnit::Months),
                ..Default::default()
            },
            now(),
        )
        .expect("select")
        .into_iter()
        .collect();
        let expected: Vec<i64> = of_product.into_iter().filter(|pk| listed_dates.contains(pk)).collect();
        assert_eq!(sorted(select(&c, &dated, now()).expect("select")), expected);
    }

    #[test]
    fn validation_refuses_empty_and_absurd_criteria() {
        let fields = |c: RuleCriteria| validate(&c).into_iter().map(|i| i.field).collect::<Vec<_>>();
        let empty = validate(&RuleCriteria::default());
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].message, NOTHING_SELECTED);
        // Blank text and blank languages are no criterion either.
        assert_eq!(
            fields(RuleCriteria {
                title_contains: Some("  ".into()),
                languages: vec!["".into()],
                include_expired: true,
                ..Default::default()
            }),
            ["criteria"]
        );
        assert_eq!(
            fields(RuleCriteria {
                released_within: span(0, SpanUnit::Days),
                revised_within: span(121, SpanUnit::Months),
                min_required: Some(-1),
                ..Default::default()
            }),
            [
                "criteria.releasedWithin",
                "criteria.revisedWithin",
                "criteria.minRequired"
            ]
        );
        let months = validate(&RuleCriteria {
            released_within: span(121, SpanUnit::Months),
            ..Default::default()
        });
        assert!(months[0].message.contains("1 to 120 months"), "{}", months[0].message);
        assert_eq!(
            fields(RuleCriteria {
                classification_ids: vec!["security".into()],
                product_ids: vec!["not-a-guid".into()],
                severities: vec!["Urgent".into()],
                ..Default::default()
            }),
            [
                "criteria.classificationIds",
                "criteria.productIds",
                "criteria.severities"
            ]
        );
        // An id the catalog does not hold yet is accepted (a later sync may bring it).
        assert!(validate(&RuleCriteria {
            product_ids: vec!["11111111-2222-3333-4444-555555555555".into()],
            severities: vec!["".into(), "low".into()],
            ..Default::default()
        })
        .is_empty());
    }

    #[test]
    fn preview_counts_every_match_and_returns_the_first_rows() {
        let f = fixture();
        let actor = Actor::new("test");
        let args = |limit: i64| PreviewCriteriaArgs {
            criteria: RuleCriteria {
                title_contains: Some("kb5034441".into()),
                ..Default::default()
            },
            limit,
        };
        let all = preview(&f.site, &actor, args(0)).expect("preview");
        assert_eq!(all.total, 2);
        let mut titles: Vec<String> = all.updates.iter().map(|u| u.title.clone()).collect();
        titles.sort();
        assert_eq!(
            titles,
            ["2026-03 Cumulative Update for Windows 11 (KB5034441)", "Other"]
        );
        let one = preview(&f.site, &actor, args(1)).expect("preview");
        assert_eq!((one.total, one.updates.len()), (2, 1));
        assert!(one.evaluated_utc.ends_with('Z'));
        let too_many = preview(&f.site, &actor, args(1001)).expect_err("limit");
        assert_eq!(too_many.code, ErrorCode::Validation);
        let invalid = preview(
            &f.site,
            &actor,
            PreviewCriteriaArgs {
                criteria: RuleCriteria::default(),
                limit: 0,
            },
        )
        .expect_err("no criteria");
        assert_eq!(invalid.code, ErrorCode::Validation);
        assert_eq!(invalid.message, NOTHING_SELECTED);
    }
}
