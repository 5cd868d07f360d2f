//! Shared by the integration tests: a parent site served by the real `patchdeck` binary.
#![allow(dead_code)]

pub mod pki;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use site::update_point::transport::{HttpTransport, RetryPolicy};
use site::{dispatch, Actor, Site};

pub const TOKEN: &str = "sync-test-token-0123456789";
/// Microsoft Defender Antivirus: the product of the captured fixture updates.
pub const DEFENDER: &str = "8c3fcc84-7410-4a95-8b89-a166a0190486";

/// A served site holding the captured documents and a generated catalog whose documents
/// stay in `generated` for tests to edit.
pub struct Parent {
    pub server: Served,
    pub base: String,
    pub dir: tempfile::TempDir,
    pub generated: PathBuf,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures")
}

pub fn patchdeck(site: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_patchdeck"));
    c.arg("--site").arg(site).env("PATCHDECK_LOG", "warn");
    c
}

/// The files of a folder, sorted.
pub fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

pub fn start_parent() -> Parent {
    start_parent_with(400)
}

/// A parent holding the captured documents and `count` generated updates.
pub fn start_parent_with(count: usize) -> Parent {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let generated = dir.path().join("generated");
    assert!(patchdeck(&site)
        .arg("import-xml")
        .args(xml_files(&fixtures().join("wsusss/updates")))
        .status()
        .expect("run")
        .success());
    let st = patchdeck(&site)
        .args(["gen-catalog", "--count", &count.to_string(), "--seed", "5", "--out"])
        .arg(&generated)
        .status()
        .expect("gen");
    assert!(st.success());
    assert!(patchdeck(&site)
        .arg("import-xml")
        .args(xml_files(&generated))
        .status()
        .expect("run")
        .success());
    let server = serve(&site, TOKEN);
    let base = server.base.clone();
    Parent {
        server,
        base,
        dir,
        generated,
    }
}

pub fn parent_call(p: &Parent, name: &str, args: Value) -> Value {
    let r = ureq::post(&format!("{}/api/v1/commands/{name}", p.base))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .send_json(args)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    r.into_json().expect("json")
}

pub fn call(site: &Site, name: &str, args: Value) -> Value {
    dispatch(site, &Actor::new("test:sync"), name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn all_ids(list: impl Fn(Value) -> Value, extra: Value) -> Vec<(String, i64)> {
    let mut q = json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } });
    for (k, v) in extra.as_object().expect("obj") {
        q[k] = v.clone();
    }
    let page = list(q);
    assert!(page["total"].as_i64().expect("total") < 1000);
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["updateId"].as_str().expect("id").to_string(),
                r["revision"].as_i64().expect("rev"),
            )
        })
        .collect()
}

pub fn sync(child: &Site) -> Value {
    sync_through(child, &fast_retries(3))
}

/// The real transport with `retries` retries after waits of milliseconds, so tests of
/// failing upstreams stay fast.
pub fn fast_retries(retries: u32) -> HttpTransport {
    HttpTransport::new().with_retry(RetryPolicy {
        retries,
        first_wait: Duration::from_millis(5),
        max_wait: Duration::from_millis(20),
    })
}

pub fn sync_through(child: &Site, transport: &HttpTransport) -> Value {
    let run = site::sync::run_now(child, &Actor::new("test:sync"), transport).expect("run");
    serde_json::to_value(run).expect("json")
}

/// A run's log as (level, message).
pub fn sync_log(site: &Site, run: &Value) -> Vec<(String, String)> {
    call(site, "get_sync_log", json!({ "runId": run["runId"] }))
        .as_array()
        .expect("log")
        .iter()
        .map(|l| {
            (
                l["level"].as_str().unwrap_or("").to_string(),
                l["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Settings JSON for a child of `url` subscribed to `products` and `classifications`.
pub fn child_settings(url: &str, products: &[String], classifications: &[String]) -> Value {
    json!({
        "source": "UpstreamServer", "upstreamUrl": url, "allowPlainHttp": true,
        "productIds": products, "classificationIds": classifications, "languages": ["en"],
        "schedule": { "kind": "Manual", "everyHours": 24, "dayOfWeek": 6, "timeUtc": "02:00" }
    })
}

/// The parent's products that hold updates.
pub fn parent_products(p: &Parent) -> Vec<String> {
    products(&p.server)
}

/// A served site's products that hold updates.
pub fn products(s: &Served) -> Vec<String> {
    api(s, "list_categories", json!({}))
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["kind"] == "Product" && c["updateCount"].as_i64() > Some(0))
        .map(|c| c["categoryId"].as_str().expect("id").to_string())
        .collect()
}

/// A `patchdeck serve` of its own on `site`, with `token`; stopped when dropped.
pub struct Served {
    pub child: Child,
    pub base: String,
    pub token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(site: &Path, token: &str) -> Served {
    serve_with(site, token, &[]).0
}

/// A served site that also serves Windows Update clients on a port of their own: the site
/// and the clients' base URL.
pub fn serve_with_clients(site: &Path, token: &str) -> (Served, String) {
    let (served, clients) = serve_with(site, token, &["--clients-listen", "127.0.0.1:0"]);
    (served, clients.expect("clients address"))
}

fn serve_with(site: &Path, token: &str, extra: &[&str]) -> (Served, Option<String>) {
    let mut child = patchdeck(site)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("PATCHDECK_TOKEN", token)
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let address = |line: &str, after: &str| {
        line.split(after)
            .nth(1)
            .expect("address")
            .trim_end_matches('/')
            .to_string()
    };
    let first = lines.next().expect("line").expect("read");
    let base = address(&first, "serving on ");
    let clients = if extra.contains(&"--clients-listen") {
        let line = lines.next().expect("clients line").expect("read");
        Some(address(&line, "clients served on "))
    } else {
        None
    };
    std::thread::spawn(move || for _ in lines {});
    (
        Served {
            child,
            base,
            token: token.into(),
        },
        clients,
    )
}

/// A command on a served site, through its HTTP API.
pub fn api(s: &Served, name: &str, args: Value) -> Value {
    let r = ureq::post(&format!("{}/api/v1/commands/{name}", s.base))
        .set("Authorization", &format!("Bearer {}", s.token))
        .send_json(args)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    r.into_json().expect("json")
}

/// A command on a served site that is expected to fail: its status and error.
pub fn api_refused(s: &Served, name: &str, args: Value) -> (u16, Value) {
    match ureq::post(&format!("{}/api/v1/commands/{name}", s.base))
        .set("Authorization", &format!("Bearer {}", s.token))
        .send_json(args)
    {
        Err(ureq::Error::Status(status, r)) => (status, r.into_json().expect("error json")),
        other => panic!("{name} was expected to fail: {other:?}"),
    }
}

/// Every listed update (expired included) as (id, revision, title), in title order.
pub fn catalog(site: &Site) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = call(
            site,
            "list_updates",
            json!({ "offset": offset, "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } }),
        );
        let rows = page["rows"].as_array().expect("rows").clone();
        if rows.is_empty() {
            break;
        }
        offset += rows.len();
        out.extend(rows.iter().map(|r| {
            (
                r["updateId"].as_str().expect("id").into(),
                r["revision"].as_i64().expect("rev"),
                r["title"].to_string(),
            )
        }));
    }
    out
}

/// One real file of a test update: the update document that names it, its name in the
/// metadata, SHA-1 (base64) and bytes.
#[derive(Clone, Debug)]
pub struct UpdateFile {
    pub update_doc: String,
    pub name: String,
    pub sha1: String,
    pub bytes: Vec<u8>,
}

impl UpdateFile {
    /// `<XX>/<SHA1HEX>.<ext>`: its place in a content library.
    pub fn rel(&self) -> String {
        site::content::relative_path(&self.sha1, &self.name).expect("library path")
    }
}

/// Deterministic bytes (xorshift), so each file's digests are of real content.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Generated update documents (`docs/`) whose files are real bytes written to `files/`,
/// each with its true size and digests in the metadata (`size(n)` bytes for the n-th).
pub fn updates_with_files(
    root: &Path,
    count: usize,
    seed: u64,
    size: impl Fn(usize) -> usize,
) -> (PathBuf, PathBuf, Vec<UpdateFile>) {
    fn set_attr(elem: &str, name: &str, value: &str) -> String {
        let key = format!(" {name}=\"");
        let s = elem.find(&key).unwrap_or_else(|| panic!("{name} in {elem}")) + key.len();
        let e = s + elem[s..].find('"').expect("end quote");
        format!("{}{}{}", &elem[..s], value, &elem[e..])
    }
    let (docs, files) = (root.join("docs"), root.join("files"));
    std::fs::create_dir_all(&files).expect("files dir");
    assert!(patchdeck(&root.join("scratch-site"))
        .args([
            "gen-catalog",
            "--count",
            &count.to_string(),
            "--seed",
            &seed.to_string(),
            "--out"
        ])
        .arg(&docs)
        .status()
        .expect("gen")
        .success());
    let mut real = Vec::new();
    for path in xml_files(&docs) {
        let xml = std::fs::read_to_string(&path).expect("doc");
        let (mut out, mut rest) = (String::new(), xml.as_str());
        while let Some(s) = rest.find("<upd:File ") {
            let e = s + rest[s..].find("</upd:File>").expect("file end") + "</upd:File>".len();
            out.push_str(&rest[..s]);
            let n = real.len();
            let name = format!("pd-test-{seed}-{n}.{}", if n % 2 == 0 { "cab" } else { "msu" });
            let data = bytes(seed * 1000 + n as u64, size(n));
            let p = files.join(&name);
            std::fs::write(&p, &data).expect("write file");
            let (sha1, sha256) = site::content::digests_of(&p).expect("digests");
            let mut elem = set_attr(&rest[s..e], "Digest", &sha1);
            elem = set_attr(&elem, "FileName", &name);
            elem = set_attr(&elem, "Size", &data.len().to_string());
            let open = "Algorithm=\"SHA256\">";
            let a = elem.find(open).expect("AdditionalDigest open") + open.len();
            let b = elem.find("</upd:AdditionalDigest>").expect("AdditionalDigest close");
            elem.replace_range(a..b, &sha256);
            out.push_str(&elem);
            real.push(UpdateFile {
                update_doc: path.file_name().expect("name").to_string_lossy().into_owned(),
                name,
                sha1,
                bytes: data,
            });
            rest = &rest[e..];
        }
        out.push_str(rest);
        std::fs::write(&path, out).expect("rewrite doc");
    }
    assert!(!real.is_empty(), "the generated updates have files");
    (docs, files, real)
}

/// One SOAP request read off a proxy's connection: path, SOAPAction and body.
pub struct SoapRequest {
    pub path: String,
    pub action: String,
    pub body: Vec<u8>,
}

/// Reads one SOAP request; None when the peer closed (or failed the handshake) first.
pub fn read_soap_request(reader: &mut impl BufRead) -> Option<SoapRequest> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return None;
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (mut length, mut action) = (0usize, String::new());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("soapaction:") {
            action = line["soapaction:".len()..].trim().to_string();
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some(SoapRequest { path, action, body })
}

/// Posts the request to `upstream` and gives its status and text (502 when unreachable).
pub fn forward_soap(upstream: &str, req: &SoapRequest) -> (u16, String) {
    let answer = ureq::post(&format!("{upstream}{}", req.path))
        .set("Content-Type", "text/xml; charset=utf-8")
        .set("SOAPAction", &req.action)
        .send_bytes(&req.body);
    match answer {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap_or_default()),
        Err(_) => (502, String::new()),
    }
}

/// The head of a proxy's SOAP answer of `len` bytes (one request per connection).
pub fn soap_answer_head(status: u16, len: usize) -> String {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    )
}

/// Polls a job until it leaves Running.
pub fn wait_job(get: impl Fn() -> Value) -> Value {
    let start = Instant::now();
    loop {
        let j = get();
        if j["state"] != "Running" {
            return j;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "download still running: {j}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Imports the update documents of `docs` into the site folder `site` (`patchdeck import-xml`).
pub fn import_docs(site: &Path, docs: &Path) {
    assert!(patchdeck(site)
        .arg("import-xml")
        .args(xml_files(docs))
        .status()
        .expect("import")
        .success());
}

/// Every listed update's id (expired ones too), in title order, asked in process.
pub fn update_ids(site: &Site) -> Vec<String> {
    call(
        site,
        "list_updates",
        json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } }),
    )["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["updateId"].as_str().expect("id").to_string())
        .collect()
}

/// Sends the head and half the body of one file of a browser upload, waits until `arrived`
/// says the site is receiving it, then cuts the connection (a browser closed mid-file).
pub fn cut_upload_midway(s: &Served, upload: &str, name: &str, bytes: &[u8], mut arrived: impl FnMut() -> bool) {
    use std::io::Write;
    let address = s.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    write!(
        stream,
        "PUT /api/v1/publishing/uploads/{upload}/{name} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\n\r\n",
        s.token,
        bytes.len()
    )
    .expect("head");
    stream.write_all(&bytes[..bytes.len() / 2]).expect("half the body");
    stream.flush().expect("flush");
    let started = Instant::now();
    while !arrived() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{name} never began to arrive"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
