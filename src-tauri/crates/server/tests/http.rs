//! The real `patchdeck` binary serving a real site on loopback: token, binding, routes.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use clap::Parser;
use serde_json::{json, Value};

const TOKEN: &str = "test-token-0123456789abcdef";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn patchdeck(site: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_patchdeck"));
    c.arg("--site").arg(site).env("PATCHDECK_LOG", "warn");
    c
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures")
}

fn start(site: &Path, token: Option<&str>) -> Server {
    let mut cmd = patchdeck(site);
    cmd.args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped());
    match token {
        Some(t) => cmd.env("PATCHDECK_TOKEN", t),
        None => cmd.env_remove("PATCHDECK_TOKEN"),
    };
    let mut child = cmd.spawn().expect("start patchdeck serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("read");
    let base = first
        .split("serving on ")
        .nth(1)
        .expect("address line")
        .trim_end_matches('/')
        .to_string();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

#[test]
fn serve_listens_on_loopback_unless_told_otherwise() {
    let cli = server::cli::Cli::try_parse_from(["patchdeck", "serve"]).expect("parse");
    match cli.verb {
        server::cli::Verb::Serve { listen, .. } => assert!(listen.ip().is_loopback(), "{listen}"),
        _ => panic!("serve expected"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn api_requires_the_token_and_answers_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let updates: Vec<_> = std::fs::read_dir(fixtures().join("wsusss/updates"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    let st = patchdeck(dir.path())
        .arg("import-xml")
        .args(&updates)
        .status()
        .expect("import");
    assert!(st.success());

    let srv = start(dir.path(), Some(TOKEN));
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/commands/list_updates", srv.base);

    // No token, a wrong token: 401 with a JSON error that says what to do; nothing runs.
    let r = http.post(&url).json(&json!({})).send().await.expect("send");
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["code"], "Unauthorized");
    assert!(body["message"].as_str().expect("msg").contains("Authorization: Bearer"));
    let r = http
        .post(&url)
        .bearer_auth("wrong-token-wrong-token")
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401);
    // A state-changing command without the token changes nothing.
    let doc = std::fs::read_to_string(&updates[0]).expect("read");
    let r = http
        .post(format!("{}/api/v1/commands/import_xml", srv.base))
        .json(&json!({ "documents": [doc] }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401);
    let r = http
        .get(format!("{}/api/v1/events", srv.base))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401);

    // With the token: the command answers from the site.
    let r = http
        .post(&url)
        .bearer_auth(TOKEN)
        .json(&json!({ "limit": 50 }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.expect("json");
    assert!(page["total"].as_i64().expect("total") >= 1);

    // Errors carry their code and status.
    let r = http
        .post(format!("{}/api/v1/commands/get_update", srv.base))
        .bearer_auth(TOKEN)
        .json(&json!({ "updateId": "00000000-0000-0000-0000-000000000000" }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.expect("json")["code"], "NotFound");
    let r = http
        .post(format!("{}/api/v1/commands/list_updates", srv.base))
        .bearer_auth(TOKEN)
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    let r = http
        .post(format!("{}/api/v1/commands/nope", srv.base))
        .bearer_auth(TOKEN)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);

    // The health probe needs no token and tells nothing about the site.
    let r = http
        .get(format!("{}/api/v1/health", srv.base))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn first_start_creates_and_keeps_a_private_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = {
        let _srv = start(dir.path(), None);
        std::fs::read_to_string(dir.path().join("api-token")).expect("token file written")
    };
    assert!(token.len() >= 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("api-token"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "only the owner can read the token");
    }
    let srv = start(dir.path(), None);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("api-token")).expect("token"),
        token,
        "kept across restarts"
    );
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/commands/site_info", srv.base))
        .bearer_auth(token.trim())
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
}

#[test]
fn cli_reports_bad_input_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = fixtures().join("protocol-samples/malformed_unclosed.xml");
    let good = fixtures().join("wsusss/updates/56309036-4c77-4dd9-951a-99ee9c246a94-r101.xml");
    let out = patchdeck(dir.path())
        .arg("import-xml")
        .arg(&bad)
        .arg(&good)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "some input refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refused:") && err.contains("malformed_unclosed.xml"),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("1 new updates"),
        "the good document still landed: {stdout}"
    );

    // A site database from the future is refused with a message, exit 1, no panic.
    let db = dir.path().join("site.db");
    {
        let c = rusqlite::Connection::open(&db).expect("raw open");
        c.pragma_update(None, "journal_mode", "DELETE")
            .expect("self-contained file");
        c.pragma_update(None, "user_version", 99).expect("bump");
    }
    let out = patchdeck(dir.path()).arg("info").output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer Patchdeck"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
