//! Shared by the wsus integration tests: where the captured fixtures are, and reading them.
#![allow(dead_code)]

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
