//! Shared by the wsus integration tests: where the captured fixtures are, reading them, finding
//! values in their text independently of the parser, and breaking them for the hostile-input tests.
#![allow(dead_code)]

pub mod fuzz;

use std::path::{Path, PathBuf};

/// `shared/fixtures` beside the repository root.
pub fn fixtures() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures");
    assert!(
        dir.join("README.md").is_file(),
        "fixtures not found at {}: the `shared` folder must sit beside the repository root",
        dir.display()
    );
    dir
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
}

/// Text between `open` and the next `close`: values read from a file independently of the parser.
pub fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

/// Every such text, in order.
pub fn all_between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        rest = &rest[at + open.len()..];
        let Some(len) = rest.find(close) else { break };
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    out
}

/// A document of `shared/fixtures/protocol-samples`.
pub fn sample(name: &str) -> String {
    read(&fixtures().join("protocol-samples").join(name))
}

/// The text of `<name>text</name>`; `None` when absent or written as an empty element.
pub fn text_of<'a>(scope: &'a str, name: &str) -> Option<&'a str> {
    between(scope, &format!("<{name}>"), &format!("</{name}>"))
}

/// Every such text, in order.
pub fn texts_of<'a>(scope: &'a str, name: &str) -> Vec<&'a str> {
    all_between(scope, &format!("<{name}>"), &format!("</{name}>"))
}

/// Text read from a fixture with its five predefined XML entities resolved, to compare with
/// what the parser returns.
pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `SOAPAction` of the `request.headers` of a captured exchange in `dir`, quotes included,
/// whatever the case of the header name.
pub fn header_soap_action(dir: &Path) -> String {
    let headers = read(&dir.join("request.headers"));
    let line = headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("soapaction:"))
        .unwrap_or_else(|| panic!("{}: no SOAPAction header", dir.display()));
    line["soapaction:".len()..].trim().to_owned()
}

/// The path of the request line of the `request.headers` in `dir`.
pub fn header_path(dir: &Path) -> String {
    let headers = read(&dir.join("request.headers"));
    let first = headers.lines().next().unwrap_or_default();
    first.split(' ').nth(1).unwrap_or_default().to_owned()
}

/// Every recorded MS-WSUSSS exchange folder, server-side and client-side recordings alike.
pub fn wsusss_exchange_dirs() -> Vec<PathBuf> {
    ["wsusss/exchanges", "wsusss/exchanges-client"]
        .iter()
        .flat_map(|d| sorted_dir(&fixtures().join(d)))
        .filter(|p| p.join("meta.json").is_file())
        .collect()
}

/// About `count` prefixes of `text`, cut on character boundaries: documents cut short.
pub fn prefixes(text: &str, count: usize) -> impl Iterator<Item = &str> {
    let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
    let step = (cuts.len() / count).max(1);
    cuts.into_iter().step_by(step).map(move |cut| &text[..cut])
}

/// Pieces that break a document where they land: markup, bad references, a DTD, a stray end of
/// either envelope style, characters XML cannot carry.
const NOISE: [&str; 13] = [
    "<",
    ">",
    "&",
    "\"",
    "&#0;",
    "&#xD800;",
    "<!DOCTYPE x>",
    "</soap:Body>",
    "</s:Body>",
    "\u{0}",
    "é",
    "]]>",
    "<int>",
];

/// Copies of `text` with one piece of [`NOISE`] (taken in turn) inserted at about 60
/// character boundaries: corrupted documents that must never make a parser panic.
pub fn noisy_copies(text: &str) -> impl Iterator<Item = String> + '_ {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let step = (bounds.len() / 60).max(1);
    bounds.into_iter().step_by(step).enumerate().map(move |(n, at)| {
        let mut bad = text.to_owned();
        bad.insert_str(at, NOISE[n % NOISE.len()]);
        bad
    })
}

/// Every captured native exchange folder (`wusp/native/{scan,flow}/NNNNNN`), named
/// `scan/000001`..., in order: the 10 scan and 9 flow exchanges.
pub fn native_exchange_dirs() -> Vec<(String, PathBuf)> {
    let mut list = Vec::new();
    for set in ["scan", "flow"] {
        for dir in sorted_dir(&fixtures().join("wusp/native").join(set)) {
            if !dir.join("request.body").is_file() {
                continue;
            }
            let own = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
            list.push((format!("{set}/{own}"), dir));
        }
    }
    assert_eq!(list.len(), 19, "the 10 scan and 9 flow exchanges");
    list
}
