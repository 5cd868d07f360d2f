//! The catalog against real update documents from ../shared/fixtures, and the site
//! database's refusal of files it must not touch.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{json, Value};
use site::catalog::import::{expand_input, import_documents, Document};
use site::{dispatch, Actor, ErrorCode, Site};

fn fixtures() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures");
    assert!(
        p.is_dir(),
        "the shared fixtures are missing: expected {} (the `shared` folder beside the repository)",
        p.display()
    );
    p
}

fn update_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join("wsusss/updates"))
        .expect("read updates dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    v.sort();
    v
}

fn get_update_data_bodies() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(fixtures().join("wsusss/exchanges")).expect("read exchanges") {
        let dir = e.expect("entry").path();
        let body = dir.join("response.body");
        let meta = std::fs::read_to_string(dir.join("meta.json")).unwrap_or_default();
        if meta.contains("/GetUpdateData\"") && body.exists() {
            let text = std::fs::read_to_string(&body).expect("read body");
            if text.contains("ServerSyncUpdateData") {
                v.push(body);
            }
        }
    }
    v.sort();
    v
}

fn actor() -> Actor {
    Actor::new("test:catalog")
}

fn call(site: &Site, name: &str, args: Value) -> Value {
    dispatch(site, &actor(), name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Text between `open` and the next `close` after position `from`.
fn between<'a>(text: &'a str, open: &str, close: &str, from: usize) -> Option<(&'a str, usize)> {
    let s = text[from..].find(open)? + from + open.len();
    let e = text[s..].find(close)? + s;
    Some((&text[s..e], e))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// What the test reads straight from a document's text, independently of the parser.
struct Expected {
    update_id: String,
    revision: i64,
    en_title: String,
    kb: Option<String>,
    supersedes: usize,
    bundled: usize,
    file_sha1_b64: Vec<String>,
    category_type: Option<String>,
    update_type: String,
}

fn expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).expect("read doc");
    let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem");
    let (id, rev) = stem.rsplit_once("-r").expect("<id>-r<rev>");
    let en = text.find("<upd:Language>en</upd:Language>").expect("an English text");
    let (title, _) = between(&text, "<upd:Title>", "</upd:Title>", en).expect("title");
    let count_ids = |section: &str| {
        between(&text, &format!("<upd:{section}>"), &format!("</upd:{section}>"), 0)
            .map(|(s, _)| s.matches("<upd:UpdateIdentity ").count())
            .unwrap_or(0)
    };
    let mut sha1 = Vec::new();
    let mut at = 0;
    while let Some((d, end)) = between(&text, "<upd:File Digest=\"", "\"", at) {
        sha1.push(d.to_string());
        at = end;
    }
    Expected {
        update_id: id.to_string(),
        revision: rev.parse().expect("revision"),
        en_title: unescape(title),
        kb: between(&text, "<upd:KBArticleID>", "</upd:KBArticleID>", 0).map(|(s, _)| s.to_string()),
        supersedes: count_ids("SupersededUpdates"),
        bundled: count_ids("BundledUpdates"),
        file_sha1_b64: sha1,
        category_type: between(&text, "CategoryType=\"", "\"", 0).map(|(s, _)| s.to_string()),
        update_type: between(&text, "UpdateType=\"", "\"", 0)
            .map(|(s, _)| s.to_string())
            .expect("UpdateType"),
    }
}

fn import_paths(site: &Site, paths: &[PathBuf]) -> site::api::ImportReport {
    let mut docs: Vec<Document> = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p).expect("read");
        docs.extend(expand_input(&p.display().to_string(), &text).expect("expand"));
    }
    import_documents(site, &actor(), docs).expect("import")
}

fn hex(b64: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("b64")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn imports_every_fixture_document_with_its_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("open");
    let files = update_files();
    assert_eq!(files.len(), 9, "the fixture set has 9 documents");
    let report = import_paths(&site, &files);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.new_revisions, 9);

    for f in &files {
        let exp = expected(f);
        let d = call(&site, "get_update", json!({ "updateId": exp.update_id }));
        assert_eq!(d["row"]["title"], exp.en_title, "{}", f.display());
        assert_eq!(d["row"]["revision"], exp.revision);
        assert_eq!(d["updateType"], exp.update_type);
        assert_eq!(d["row"]["articleId"].as_str(), exp.kb.as_deref());
        assert_eq!(
            d["supersedes"].as_array().map(Vec::len),
            Some(exp.supersedes),
            "supersedes of {}",
            exp.update_id
        );
        assert_eq!(
            d["bundledUpdates"].as_array().map(Vec::len),
            Some(exp.bundled),
            "bundled of {}",
            exp.update_id
        );
        assert_eq!(d["row"]["isBundle"], exp.bundled > 0);
        let got_sha1: Vec<String> = d["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["sha1"].as_str().expect("sha1").to_string())
            .collect();
        let want: Vec<String> = exp.file_sha1_b64.iter().map(|b| hex(b)).collect();
        assert_eq!(got_sha1, want, "file digests of {}", exp.update_id);
        if let Some(kind) = exp.category_type {
            let cats = call(&site, "list_categories", json!({}));
            let cat = cats
                .as_array()
                .expect("cats")
                .iter()
                .find(|c| c["categoryId"] == exp.update_id)
                .expect("category listed");
            assert_eq!(cat["kind"], kind);
            assert_eq!(cat["title"], exp.en_title);
            assert_eq!(cat["synced"], true);
        }
    }

    // The product category's parent chain is Product -> ProductFamily -> Company, as the
    // documents' IsCategory prerequisites say.
    let cats = call(&site, "list_categories", json!({}));
    let by_id = |id: &str| {
        cats.as_array()
            .expect("cats")
            .iter()
            .find(|c| c["categoryId"] == id)
            .cloned()
    };
    let product = cats
        .as_array()
        .expect("cats")
        .iter()
        .find(|c| c["kind"] == "Product")
        .expect("a product")
        .clone();
    let family = by_id(product["parentId"].as_str().expect("parent")).expect("family held");
    assert_eq!(family["kind"], "ProductFamily");
    let company = by_id(family["parentId"].as_str().expect("parent")).expect("company held");
    assert_eq!(company["kind"], "Company");

    // The bundle is listed; its hidden members are not, but stay reachable from it.
    let bundle = files
        .iter()
        .map(|f| expected(f))
        .find(|e| e.bundled > 0 && e.kb.is_some())
        .expect("a deployable bundle");
    let page = call(&site, "list_updates", json!({ "limit": 100 }));
    let rows = page["rows"].as_array().expect("rows");
    assert!(
        rows.iter().any(|r| r["updateId"] == bundle.update_id),
        "the bundle is listed"
    );
    let d = call(&site, "get_update", json!({ "updateId": bundle.update_id }));
    let held_members: Vec<&Value> = d["bundledUpdates"]
        .as_array()
        .expect("members")
        .iter()
        .filter(|m| !m["title"].is_null())
        .collect();
    assert!(!held_members.is_empty(), "some bundle members are among the fixtures");
    assert!(
        !d["bundledFiles"].as_array().expect("bundledFiles").is_empty(),
        "the bundle's members carry files"
    );
    for m in held_members {
        assert!(
            !rows.iter().any(|r| r["updateId"] == m["updateId"]),
            "bundle member {} is hidden from the list",
            m["updateId"]
        );
        let md = call(&site, "get_update", json!({ "updateId": m["updateId"] }));
        assert!(md["bundledBy"]
            .as_array()
            .expect("bundledBy")
            .iter()
            .any(|b| b["updateId"] == bundle.update_id));
        // The bundle's payload: each held member's files show among the bundle's files.
        for f in md["files"].as_array().expect("files") {
            assert!(
                d["bundledFiles"]
                    .as_array()
                    .expect("bundledFiles")
                    .iter()
                    .any(|b| b["sha1"] == f["sha1"] && b["updateId"] == m["updateId"]),
                "{} of {} among the bundle's files",
                f["fileName"],
                m["updateId"]
            );
        }
    }
    // Its classification is the well-known Definition Updates id its prerequisites name.
    let text = std::fs::read_to_string(
        files
            .iter()
            .find(|f| f.to_string_lossy().contains(&bundle.update_id))
            .expect("file"),
    )
    .expect("read");
    assert!(text.contains("e0789628-ce08-4437-be74-2495b842f43b"));
    assert_eq!(d["row"]["classification"], "Definition Updates");

    // Search finds it by KB, with or without the prefix.
    for q in [
        format!("KB{}", bundle.kb.clone().expect("kb")),
        bundle.kb.clone().expect("kb"),
    ] {
        let found = call(&site, "list_updates", json!({ "search": q }));
        assert_eq!(found["total"], 1, "search {q}");
        assert_eq!(found["rows"][0]["updateId"], bundle.update_id);
    }
}

#[test]
fn get_update_data_answers_import_like_the_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("open");
    let bodies = get_update_data_bodies();
    assert!(bodies.len() >= 4, "captured GetUpdateData answers: {bodies:?}");
    let report = import_paths(&site, &bodies);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.new_revisions >= 4);
    // Each decoded blob matches the stored document of the same revision.
    for body in &bodies {
        let text = std::fs::read_to_string(body).expect("read");
        let mut at = 0;
        while let Some((id, end)) = between(&text, "<UpdateID>", "</UpdateID>", at) {
            at = end;
            let doc = fixtures().join("wsusss/updates").join(format!(
                "{id}-r{}.xml",
                between(&text, "<RevisionNumber>", "</RevisionNumber>", end)
                    .expect("rev")
                    .0
            ));
            if !doc.exists() {
                continue;
            }
            let exp = expected(&doc);
            let d = call(&site, "get_update", json!({ "updateId": id }));
            assert_eq!(d["row"]["title"], exp.en_title);
            let want: Vec<String> = exp.file_sha1_b64.iter().map(|b| hex(b)).collect();
            let got: Vec<String> = d["files"]
                .as_array()
                .expect("files")
                .iter()
                .map(|f| f["sha1"].as_str().expect("s").to_string())
                .collect();
            assert_eq!(got, want);
        }
    }
    // Importing the same answers again changes nothing.
    let again = import_paths(&site, &bodies);
    assert_eq!(again.new_revisions, 0);
    assert_eq!(again.unchanged, report.new_revisions + report.unchanged);
}

#[test]
fn import_order_does_not_matter() {
    let files = update_files();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let sa = Site::open(a.path()).expect("open");
    let sb = Site::open(b.path()).expect("open");
    import_paths(&sa, &files);
    for f in files.iter().rev() {
        import_paths(&sb, std::slice::from_ref(f));
    }
    let q = json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } });
    assert_eq!(
        call(&sa, "list_updates", q.clone())["rows"],
        call(&sb, "list_updates", q)["rows"]
    );
    for f in &files {
        let id = expected(f).update_id;
        let da = call(&sa, "get_update", json!({ "updateId": id }));
        let db = call(&sb, "get_update", json!({ "updateId": id }));
        for key in [
            "row",
            "categories",
            "supersedes",
            "bundledUpdates",
            "bundledBy",
            "prerequisites",
            "files",
        ] {
            assert_eq!(da[key], db[key], "{key} of {id}");
        }
    }
}

#[test]
fn a_refused_document_changes_nothing_and_the_rest_lands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("open");
    let malformed = std::fs::read_to_string(fixtures().join("protocol-samples/malformed_unclosed.xml")).expect("read");
    let hostile = std::fs::read_to_string(fixtures().join("protocol-samples/dtd_external_entity.xml")).expect("read");
    let good = update_files()[0].clone();
    let docs = vec![
        Document {
            origin: "malformed_unclosed.xml".into(),
            xml: malformed,
        },
        Document {
            origin: "dtd_external_entity.xml".into(),
            xml: hostile,
        },
        Document {
            origin: good.display().to_string(),
            xml: std::fs::read_to_string(&good).expect("read"),
        },
    ];
    let report = import_documents(&site, &actor(), docs).expect("import");
    assert_eq!(report.new_revisions, 1);
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
    assert!(
        report.errors[0].starts_with("malformed_unclosed.xml: "),
        "{}",
        report.errors[0]
    );
    let info = call(&site, "site_info", json!(null));
    assert_eq!(info["revisionCount"], 1);
    // The import is in the audit log with who and when.
    let audit = call(&site, "list_audit", json!({}));
    assert_eq!(audit[0]["actor"], "test:catalog");
    assert_eq!(audit[0]["action"], "catalog.import");
    assert!(audit[0]["atUtc"].as_str().expect("at").ends_with('Z'));
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(Site::open(dir.path()).expect("create"));
    let db = dir.path().join(site::DATABASE_FILE);
    {
        let c = rusqlite::Connection::open(&db).expect("open raw");
        c.pragma_update(None, "journal_mode", "DELETE")
            .expect("leave WAL so the file is self-contained");
        c.pragma_update(None, "user_version", 99).expect("bump");
    }
    let before = std::fs::read(&db).expect("read");
    let err = match Site::open(dir.path()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a newer schema must be refused"),
    };
    assert!(err.contains("newer Patchdeck") && err.contains("schema 99"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), before, "the file was not modified");
}

#[test]
fn a_corrupted_or_foreign_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join(site::DATABASE_FILE);

    std::fs::write(
        &db,
        b"this is not a database, just some text that happens to be here\n".repeat(100),
    )
    .expect("write");
    let before = std::fs::read(&db).expect("read");
    let err = Site::open(dir.path()).err().map(|e| e.to_string()).expect("refused");
    assert!(
        err.contains("not a Patchdeck site database") || err.contains("damaged"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).expect("read"), before);

    // A real site whose pages were overwritten in the middle.
    std::fs::remove_file(&db).expect("rm");
    {
        let site = Site::open(dir.path()).expect("create");
        import_paths(&site, &update_files());
    }
    {
        let c = rusqlite::Connection::open(&db).expect("raw");
        c.pragma_update(None, "journal_mode", "DELETE").expect("checkpoint");
    }
    let mut bytes = std::fs::read(&db).expect("read");
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).expect("write");
    let err = Site::open(dir.path()).err().map(|e| e.to_string()).expect("refused");
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), bytes, "the file was not modified");

    // Another program's SQLite database.
    std::fs::remove_file(&db).expect("rm");
    rusqlite::Connection::open(&db)
        .expect("raw")
        .execute_batch("CREATE TABLE t(x); PRAGMA journal_mode=DELETE;")
        .expect("t");
    let before = std::fs::read(&db).expect("read");
    let err = Site::open(dir.path()).err().map(|e| e.to_string()).expect("refused");
    assert!(err.contains("another program"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), before);
}

#[test]
fn paging_sorting_search_and_filters_over_a_generated_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("open");
    let docs: Vec<Document> = site::catalog::generator::generate(1500, 42)
        .map(|d| Document {
            origin: d.file_name,
            xml: d.xml,
        })
        .collect();
    let report = import_documents(&site, &actor(), docs).expect("import");
    assert!(report.errors.is_empty());

    let total = call(&site, "list_updates", json!({ "limit": 1 }))["total"]
        .as_i64()
        .expect("total");
    let with_expired = call(&site, "list_updates", json!({ "limit": 1, "includeExpired": true }))["total"]
        .as_i64()
        .expect("t");
    assert!(
        total > 1000 && with_expired > total && with_expired <= 1500,
        "{total} {with_expired}"
    );

    // Walking every page by title gives every row once, in order.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = call(
            &site,
            "list_updates",
            json!({ "offset": offset, "limit": 250, "sort": { "column": "title", "descending": false } }),
        );
        let rows = page["rows"].as_array().expect("rows").clone();
        if rows.is_empty() {
            break;
        }
        offset += rows.len();
        seen.extend(rows.into_iter().map(|r| {
            (
                r["title"].as_str().expect("t").to_string(),
                r["updateId"].as_str().expect("i").to_string(),
            )
        }));
    }
    assert_eq!(seen.len() as i64, total);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "sorted by title");
    let mut ids: Vec<&String> = seen.iter().map(|s| &s.1).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len() as i64, total, "no row twice");

    // Descending size puts the largest first.
    let big = call(
        &site,
        "list_updates",
        json!({ "limit": 5, "sort": { "column": "size", "descending": true } }),
    );
    let sizes: Vec<i64> = big["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["size"].as_i64().expect("size"))
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]));

    // A classification filter keeps only that classification, and counts agree with the category list.
    let cats = call(&site, "list_categories", json!({}));
    let security = cats
        .as_array()
        .expect("c")
        .iter()
        .find(|c| c["title"] == "Security Updates")
        .expect("security")
        .clone();
    let page = call(
        &site,
        "list_updates",
        json!({ "limit": 1000, "classificationIds": [security["categoryId"]] }),
    );
    assert_eq!(page["total"], security["updateCount"]);
    assert!(page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .all(|r| r["classification"] == "Security Updates" && !r["severity"].is_null()));

    // A product filter and a search combine.
    let product = cats
        .as_array()
        .expect("c")
        .iter()
        .find(|c| c["kind"] == "Product" && c["updateCount"].as_i64() > Some(0))
        .expect("p")
        .clone();
    let title = product["title"].as_str().expect("title");
    let word = title.split_whitespace().last().expect("word");
    let page = call(
        &site,
        "list_updates",
        json!({ "limit": 1000, "productIds": [product["categoryId"]], "search": word }),
    );
    assert!(page["total"].as_i64() > Some(0));
    assert!(page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .all(|r| r["products"].as_str().is_some_and(|p| p.contains(title))));

    // Bad arguments are refused with a reason, not a panic.
    let err = dispatch(&site, &actor(), "list_updates", json!({ "limit": 5000 })).expect_err("too many");
    assert_eq!(err.code, ErrorCode::Validation);
    let err =
        dispatch(&site, &actor(), "list_updates", json!({ "sort": { "column": "nope" } })).expect_err("bad column");
    assert_eq!(err.code, ErrorCode::Validation);
    let err = dispatch(
        &site,
        &actor(),
        "get_update",
        json!({ "updateId": "00000000-0000-0000-0000-000000000000" }),
    )
    .expect_err("unknown");
    assert_eq!(err.code, ErrorCode::NotFound);
    let err = dispatch(&site, &actor(), "no_such_command", json!({})).expect_err("unknown command");
    assert_eq!(err.code, ErrorCode::NotFound);
    // Search syntax is never interpreted.
    let page = call(&site, "list_updates", json!({ "search": "\"unbalanced OR NEAR( *" }));
    assert!(page["total"].as_i64().is_some());
}

#[test]
fn deep_pages_resumed_from_anchors_equal_pages_walked_afresh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs: Vec<Document> = site::catalog::generator::generate(5000, 9)
        .map(|d| Document {
            origin: d.file_name,
            xml: d.xml,
        })
        .collect();
    {
        let site = Site::open(dir.path()).expect("open");
        import_documents(&site, &actor(), docs).expect("import");
    }
    let warm = Site::open(dir.path()).expect("open");
    let cats = call(&warm, "list_categories", json!({}));
    let products: Vec<Value> = cats
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["kind"] == "Product" && c["updateCount"].as_i64() > Some(0))
        .map(|c| c["categoryId"].clone())
        .collect();
    // One product is a small share (read whole and sorted); most products together are
    // most of the list (walked in index order): both plans must page alike.
    let few = json!({ "productIds": [products[0]] });
    let most = json!({ "productIds": products[1..].to_vec() });
    let sorts = [
        ("title", false),
        ("size", true),
        ("severity", true),
        ("articleId", false),
        ("releaseDate", true),
        ("products", false),
    ];
    // Offsets visited in the order a scrolling grid would: a jump, then its neighbours.
    let offsets = [2600, 2700, 2650, 3900, 3800, 2100, 4300];
    for (column, descending) in sorts {
        for filter in [json!({}), json!({ "search": "Windows" }), few.clone(), most.clone()] {
            for offset in offsets {
                let mut q =
                    json!({ "offset": offset, "limit": 120, "sort": { "column": column, "descending": descending } });
                for key in ["search", "productIds"] {
                    if let Some(v) = filter.get(key) {
                        q[key] = v.clone();
                    }
                }
                let got = call(&warm, "list_updates", q.clone());
                // A site opened afresh has no anchors: it walks the index.
                let fresh = Site::open(dir.path()).expect("open");
                let want = call(&fresh, "list_updates", q.clone());
                assert_eq!(got["total"], want["total"]);
                let ids = |v: &Value| -> Vec<String> {
                    v["rows"]
                        .as_array()
                        .expect("rows")
                        .iter()
                        .map(|r| r["updateId"].as_str().expect("id").to_string())
                        .collect()
                };
                assert_eq!(
                    ids(&got),
                    ids(&want),
                    "{column} desc={descending} offset={offset} filter={filter}"
                );
            }
        }
    }
}
