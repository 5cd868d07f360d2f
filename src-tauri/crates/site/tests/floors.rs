//! The site crate stands on floors: every module imports only modules on lower floors.
//!
//! The floors are the table under "Floors of the site crate" in docs/ARCHITECTURE.md, so
//! the map a newcomer reads is the rule this test enforces. Every `crate::<module>` path in
//! `src/` (plain, or inside a `use crate::{...}` group) is read as text and held against
//! that table: a module on a higher floor, a module on the same floor that is not its own,
//! a module missing from the table, or an item taken through the crate root's re-exports
//! fails the test with the file and line to mend.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Floor of each top-level module, read from the architecture map.
fn floors_from_map(text: &str) -> Result<BTreeMap<String, u32>, String> {
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with("Floors of the site crate"))
        .ok_or("docs/ARCHITECTURE.md has no section \"## Floors of the site crate\"")?;
    let mut floors = BTreeMap::new();
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // "| 3 | `audit` | ... |" splits into ["", "3", "`audit`", ..., ""].
        let Some(floor) = cells.get(1).and_then(|c| c.parse::<u32>().ok()) else {
            continue;
        };
        let modules = cells.get(2).copied().unwrap_or_default();
        for name in modules
            .split(',')
            .map(|m| m.trim().trim_matches('`'))
            .filter(|m| !m.is_empty())
        {
            if floors.insert(name.to_string(), floor).is_some() {
                return Err(format!("module `{name}` stands on two floors in docs/ARCHITECTURE.md"));
            }
        }
    }
    if floors.is_empty() {
        return Err("the floors table in docs/ARCHITECTURE.md lists no module".into());
    }
    Ok(floors)
}

/// The first segment of every `crate::` path in `source`, with its line number.
fn crate_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    // Comments may name paths freely; only code counts.
    let code: Vec<(usize, &str)> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l))
        .collect();
    let joined: String = code.iter().map(|(_, l)| format!("{l}\n")).collect();
    let line_of = |offset: usize| code[joined[..offset].matches('\n').count()].0;
    let bytes = joined.as_bytes();
    let mut at = 0;
    while let Some(pos) = joined[at..].find("crate::") {
        let start = at + pos;
        at = start + "crate::".len();
        // `my_crate::x` is another crate's path, not ours.
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        if bytes.get(at) == Some(&b'{') {
            // A group: the first identifier of each item at depth one.
            let mut depth = 0;
            let mut expect_item = true;
            let mut i = at;
            while i < bytes.len() {
                match bytes[i] {
                    b'{' => {
                        depth += 1;
                        if depth == 1 {
                            expect_item = true;
                        }
                    }
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b',' if depth == 1 => expect_item = true,
                    c if expect_item && depth == 1 && (c.is_ascii_alphabetic() || c == b'_') => {
                        let end = joined[i..]
                            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                            .map_or(joined.len(), |e| i + e);
                        found.push((line_of(i), joined[i..end].to_string()));
                        expect_item = false;
                        i = end;
                        continue;
                    }
                    _ => {}
                }
                i += 1;
            }
            at = i;
        } else {
            let end = joined[at..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .map_or(joined.len(), |e| at + e);
            if end > at {
                found.push((line_of(at), joined[at..end].to_string()));
            }
        }
    }
    found
}

/// What is wrong with the `crate::` imports of one file of module `own`.
fn check_source(own: &str, file: &str, source: &str, floors: &BTreeMap<String, u32>) -> Vec<String> {
    let Some(&own_floor) = floors.get(own) else {
        return vec![format!(
            "{file}: module `{own}` is on no floor: add it to the table in docs/ARCHITECTURE.md"
        )];
    };
    let mut problems = Vec::new();
    for (line, target) in crate_paths(source) {
        if target == own {
            continue;
        }
        match floors.get(&target) {
            None => problems.push(format!(
                "{file}:{line}: `crate::{target}` is not a module on a floor; import the item from its own module"
            )),
            Some(&floor) if floor > own_floor => problems.push(format!(
                "{file}:{line}: `{own}` (floor {own_floor}) imports `{target}` (floor {floor}), a higher floor"
            )),
            Some(&floor) if floor == own_floor => problems.push(format!(
                "{file}:{line}: `{own}` imports `{target}`, on its own floor {floor}; one of them belongs higher"
            )),
            Some(_) => {}
        }
    }
    problems
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

#[test]
fn no_module_of_the_site_crate_imports_a_higher_floor() {
    let map = std::fs::read_to_string(repo_root().join("docs/ARCHITECTURE.md")).expect("read docs/ARCHITECTURE.md");
    let floors = floors_from_map(&map).unwrap_or_else(|e| panic!("{e}"));
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    let mut seen_modules = std::collections::BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        // The crate root declares modules and re-exports for other crates; it is above all.
        if rel == Path::new("lib.rs") {
            continue;
        }
        let first = rel.components().next().expect("a path").as_os_str().to_string_lossy();
        let own = first.trim_end_matches(".rs").to_string();
        seen_modules.insert(own.clone());
        let source = std::fs::read_to_string(file).expect("read source");
        problems.extend(check_source(&own, &format!("src/{}", rel.display()), &source, &floors));
    }
    for listed in floors.keys() {
        if !seen_modules.contains(listed) {
            problems.push(format!(
                "docs/ARCHITECTURE.md puts `{listed}` on a floor, but src/ has no such module"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the site crate's floors are broken:\n{}",
        problems.join("\n")
    );
}

#[cfg(test)]
mod checker {
    use super::*;

    fn floors() -> BTreeMap<String, u32> {
        floors_from_map(
            "# Map\n\n## Floors of the site crate\n\n| floor | modules | holds |\n|---|---|---|\n\
             | 2 | `automation` | rules |\n| 1 | `admin`, `content` | engines |\n| 0 | `wire` | types |\n\n## Next\n| 9 | `x` | y |\n",
        )
        .expect("table")
    }

    #[test]
    fn reads_the_table_of_its_own_section_only() {
        let f = floors();
        assert_eq!(f.get("automation"), Some(&2));
        assert_eq!(f.get("content"), Some(&1));
        assert_eq!(f.get("x"), None);
    }

    #[test]
    fn a_deliberate_upward_import_fails() {
        let src = "use crate::wire::ApiError;\nuse crate::automation::adr;\n";
        let problems = check_source("admin", "src/admin/mod.rs", src, &floors());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("src/admin/mod.rs:2"), "{problems:?}");
        assert!(problems[0].contains("higher floor"), "{problems:?}");
    }

    #[test]
    fn groups_same_floor_and_root_items_are_read() {
        let src = "use crate::{\n    wire::{ApiError, NoArgs},\n    content::download,\n    Site,\n};\n\
                   fn f() { crate::automation::tick(); }\n// crate::automation in a comment\nuse other_crate::automation;\n";
        let problems = check_source("admin", "src/admin/x.rs", src, &floors());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].contains(":3:") && problems[0].contains("own floor"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains(":4:") && problems[1].contains("`crate::Site`"),
            "{problems:?}"
        );
        assert!(
            problems[2].contains(":6:") && problems[2].contains("higher floor"),
            "{problems:?}"
        );
    }

    #[test]
    fn downward_and_own_module_imports_pass() {
        let src = "use crate::wire::*;\nuse crate::admin::policy;\n";
        assert!(check_source("automation", "src/automation/adr.rs", src, &floors()).is_empty());
        assert!(check_source("admin", "src/admin/policy.rs", src, &floors()).is_empty());
    }
}
