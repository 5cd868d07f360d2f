//! Rule evaluation (the criteria of automatic deployment rules) over a large catalog.
//!
//! `cargo bench -p site --bench rule_eval -- [COUNT] [SITE_FOLDER]`
//! COUNT deployable updates (default 500000) are generated with seed 1 and imported into
//! SITE_FOLDER (default: a temporary folder). A folder that already holds a catalog is
//! reused as it is, so a site built by `catalog_pages` serves both benches. Each rule is
//! evaluated RUNS times; prints its plan and a Markdown table for docs/BENCHMARKS.md.
//! Not a test: nothing here asserts a time.

use std::time::Instant;

use site::api::{RuleCriteria, SpanUnit, TimeSpan};
use site::automation::criteria;
use site::catalog::import::{import_documents, Document};
use site::clock::{parse_rfc3339, UtcTime};
use site::{Actor, Site};

const RUNS: usize = 30;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let count: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(500_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = args
        .get(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let site = Site::open(&folder).expect("open site");
    let actor = Actor::new("bench");

    let held: i64 = {
        let c = site.store().reader();
        c.query_row("SELECT count(*) FROM revisions", [], |r| r.get(0))
            .expect("count")
    };
    if held == 0 {
        let started = Instant::now();
        let mut batch = Vec::new();
        let mut n = 0usize;
        for d in site::catalog::generator::generate(count, 1) {
            batch.push(Document {
                origin: d.file_name,
                xml: d.xml,
            });
            if batch.len() == 10_000 {
                n += batch.len();
                import_documents(&site, &actor, std::mem::take(&mut batch)).expect("import");
                eprintln!("imported {n} documents, {:.0}s", started.elapsed().as_secs_f64());
            }
        }
        n += batch.len();
        import_documents(&site, &actor, batch).expect("import");
        println!(
            "Imported {n} generated documents in {:.1} s.\n",
            started.elapsed().as_secs_f64()
        );
    }

    let c = site.store().reader();
    let one = |sql: &str| -> String { c.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let listed: i64 = c
        .query_row("SELECT count(*) FROM updates WHERE listed = 1", [], |r| r.get(0))
        .expect("count");
    let category = |title: &str| one(&format!("SELECT category_id FROM categories WHERE title = '{title}'"));
    let security = category("Security Updates");
    let critical = category("Critical Updates");
    let definitions = category("Definition Updates");
    let windows11 = category("Windows 11");
    // The generated catalog ends in October 2026: its "Patch Tuesday" rule runs on Nov 1.
    let november = parse_rfc3339("2026-11-01T00:00:00Z").expect("date");
    // Revisions arrived when the site was built: evaluate an hour after the last one, so
    // "revised within a day" sees every definition (the most a daily rule can meet).
    let last_arrival = one("SELECT max(arrival_utc) FROM updates");
    let after_sync = parse_rfc3339(&last_arrival).expect("arrival") + chrono::TimeDelta::hours(1);
    let some_kb = one(&format!(
        "SELECT kb_article_id FROM updates WHERE listed = 1 AND kb_article_id <> '' LIMIT 1 OFFSET {}",
        listed / 3
    ));
    let span = |value, unit| Some(TimeSpan { value, unit });

    let rules: Vec<(&str, RuleCriteria, UtcTime)> = vec![
        (
            "Patch Tuesday: Security + Critical, released within 1 month, not superseded",
            RuleCriteria {
                classification_ids: vec![security.clone(), critical.clone()],
                released_within: span(1, SpanUnit::Months),
                superseded: Some(false),
                ..Default::default()
            },
            november,
        ),
        (
            "Definition Updates revised within 1 day",
            RuleCriteria {
                classification_ids: vec![definitions.clone()],
                revised_within: span(1, SpanUnit::Days),
                ..Default::default()
            },
            after_sync,
        ),
        (
            "title contains \"Cumulative\"",
            RuleCriteria {
                title_contains: Some("Cumulative".into()),
                ..Default::default()
            },
            november,
        ),
        (
            "title contains one KB (\"KB<number>\")",
            RuleCriteria {
                title_contains: Some(format!("KB{some_kb}")),
                ..Default::default()
            },
            november,
        ),
        (
            "product Windows 11 + severity Critical",
            RuleCriteria {
                product_ids: vec![windows11.clone()],
                severities: vec!["Critical".into()],
                ..Default::default()
            },
            november,
        ),
        (
            "Security Updates in French or German, not superseded",
            RuleCriteria {
                classification_ids: vec![security.clone()],
                languages: vec!["fr".into(), "de".into()],
                superseded: Some(false),
                ..Default::default()
            },
            november,
        ),
        (
            "languages French only (no indexed criterion: every listed row)",
            RuleCriteria {
                languages: vec!["fr".into()],
                ..Default::default()
            },
            november,
        ),
        (
            "released within 3 months, Windows 11, not superseded, expired too",
            RuleCriteria {
                product_ids: vec![windows11.clone()],
                released_within: span(3, SpanUnit::Months),
                superseded: Some(false),
                include_expired: true,
                ..Default::default()
            },
            november,
        ),
    ];

    println!("Catalog: {listed} listed updates.\n");
    for (name, rule, now) in &rules {
        println!("Plan of \"{name}\":");
        for step in criteria::explain(&c, rule, *now).expect("explain") {
            println!("    {step}");
        }
    }
    println!();
    println!("| rule | updates selected | first run ms | p50 ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, rule, now) in &rules {
        let mut times = Vec::with_capacity(RUNS);
        let mut selected = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let pks = criteria::select(&c, rule, *now).expect("select");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            selected = pks.len();
        }
        let first = times[0];
        times.sort_by(|a, b| a.total_cmp(b));
        let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "| {name} | {selected} | {first:.1} | {:.1} | {:.1} | {:.1} |",
            pct(0.5),
            pct(0.95),
            times[times.len() - 1]
        );
    }
}
