//! All Software Updates page queries over a large generated catalog.
//!
//! `cargo bench -p site --bench catalog_pages -- [COUNT] [SITE_FOLDER]`
//! COUNT deployable updates (default 500000) are generated with seed 1 and imported into
//! SITE_FOLDER (default: a temporary folder; an existing folder with the same catalog is
//! reused, so later runs skip the import). Prints a Markdown table for docs/BENCHMARKS.md.
//! Not a test: nothing here asserts a time.

use std::time::Instant;

use serde_json::{json, Value};
use site::catalog::import::{import_documents, Document};
use site::{dispatch, Actor, Site};

const RUNS: usize = 40;

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
    let call = |name: &str, a: Value| dispatch(&site, &actor, name, a).expect("command");

    let held = call("site_info", json!(null))["revisionCount"].as_i64().unwrap_or(0);
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
            "Imported {n} generated documents in {:.1} s ({:.0} documents/s).\n",
            started.elapsed().as_secs_f64(),
            n as f64 / started.elapsed().as_secs_f64()
        );
    }
    let info = call("site_info", json!(null));
    let listed = info["updateCount"].as_i64().unwrap_or(0);
    let cats = call("list_categories", json!(null));
    let class_of = |title: &str| {
        cats.as_array()
            .and_then(|a| a.iter().find(|c| c["title"] == title))
            .map(|c| c["categoryId"].clone())
            .unwrap_or(Value::Null)
    };
    let product = cats
        .as_array()
        .and_then(|a| a.iter().find(|c| c["title"] == "Windows 11"))
        .map(|c| c["categoryId"].clone())
        .unwrap_or(Value::Null);

    let deep = (listed - 100).max(0);
    let some_kb = call("list_updates", json!({ "limit": 1, "offset": listed / 3 }))["rows"][0]["articleId"]
        .as_str()
        .unwrap_or("0")
        .to_string();
    let kb_search = format!("KB{some_kb}");
    let mut cases: Vec<(&str, Value)> = vec![
        ("first page, default sort (release date desc)", json!({ "limit": 100 })),
        (
            "first page, sort by title",
            json!({ "limit": 100, "sort": { "column": "title", "descending": false } }),
        ),
        (
            "middle page, sort by title",
            json!({ "limit": 100, "offset": listed / 2, "sort": { "column": "title", "descending": false } }),
        ),
        (
            "last page, sort by title",
            json!({ "limit": 100, "offset": deep, "sort": { "column": "title", "descending": false } }),
        ),
        (
            "last page, sort by size desc",
            json!({ "limit": 100, "offset": deep, "sort": { "column": "size", "descending": true } }),
        ),
        (
            "search one KB (\"KB<number>\")",
            json!({ "limit": 100, "search": kb_search }),
        ),
        (
            "search \"Server 2022 x64\", sort by title",
            json!({ "limit": 100, "search": "Server 2022 x64", "sort": { "column": "title", "descending": false } }),
        ),
        (
            "search \"Security Update\" (a common phrase), default sort",
            json!({ "limit": 100, "search": "Security Update" }),
        ),
        (
            "filter Security Updates, sort by date",
            json!({ "limit": 100, "classificationIds": [class_of("Security Updates")] }),
        ),
        (
            "filter Security Updates, sort by title, deep page",
            json!({ "limit": 100, "offset": 50_000, "classificationIds": [class_of("Security Updates")], "sort": { "column": "title", "descending": false } }),
        ),
        (
            "filter product Windows 11 + Critical, sort by severity",
            json!({ "limit": 100, "productIds": [product], "classificationIds": [class_of("Critical Updates")], "sort": { "column": "severity", "descending": true } }),
        ),
        (
            "filter product Windows 11, sort by title",
            json!({ "limit": 100, "productIds": [product], "sort": { "column": "title", "descending": false } }),
        ),
    ];
    // Last, what a grid does after a jump: the page after the one it jumped to.
    cases.push((
        "the page after a jump to 37%, sort by title",
        json!({ "limit": 100, "offset": listed * 37 / 100 + 100, "sort": { "column": "title", "descending": false } }),
    ));
    println!(
        "Catalog: {listed} listed updates, {} revisions held.\n",
        info["revisionCount"]
    );
    println!("| query | rows matched | first run ms | p50 ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, q) in cases {
        if name.starts_with("the page after a jump") {
            call(
                "list_updates",
                json!({ "limit": 100, "offset": listed * 37 / 100, "sort": { "column": "title", "descending": false } }),
            );
        }
        let (total, times) = timed(|| call("list_updates", q.clone())["total"].as_i64().unwrap_or(0));
        row(name, total, times);
    }
    // Properties of a bundle (its members' files gathered recursively), the same id each
    // time, as the details pane asks again on every selection.
    let bundle = call(
        "list_updates",
        json!({ "limit": 1000, "sort": { "column": "title", "descending": false } }),
    )["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["isBundle"] == true).cloned())
        .map(|r| r["updateId"].clone())
        .unwrap_or(Value::Null);
    let (files, times) = timed(|| {
        call("get_update", json!({ "updateId": bundle }))["bundledFiles"]
            .as_array()
            .map_or(0, |f| f.len() as i64)
    });
    row(
        "Properties (get_update) of a bundle; rows = its members' files",
        files,
        times,
    );
}

/// RUNS timings (ms) of `run`, and what its last run answered.
fn timed(mut run: impl FnMut() -> i64) -> (i64, Vec<f64>) {
    let mut times = Vec::with_capacity(RUNS);
    let mut answer = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        answer = run();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    (answer, times)
}

/// One line of the table. The first run pays for the count and any deep walk; later runs
/// reuse the count and the anchor the first left, as a scrolling grid does.
fn row(name: &str, total: i64, mut times: Vec<f64>) {
    let first = times[0];
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "| {name} | {total} | {first:.1} | {:.1} | {:.1} | {:.1} |",
        pct(0.5),
        pct(0.95),
        times[times.len() - 1]
    );
}
