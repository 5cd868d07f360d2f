//! The operating systems chosen on the Requirements page as rules a Windows Update Agent
//! evaluates: for each chosen product, the Windows version rule of its own category
//! document when it has one (Microsoft's product categories carry `bar:WindowsVersion`
//! rules, as `wsusss/updates/dd78b8a1…` does), else the version and product type its name
//! stands for. A product neither gives is refused on the Requirements page by name.

use rusqlite::{Connection, OptionalExtension};
use wsus::publishing::{Rule, WindowsVersion};

use crate::handle::{Actor, Site};
use crate::wire::{ApiError, CategoryInfo, CategoryKind, NoArgs};

const WORKSTATION: u32 = 1;
const DOMAIN_CONTROLLER: u32 = 2;
const SERVER: u32 = 3;

/// Windows releases by the start of their product's name, most specific first:
/// (name, major, minor, first build, first build of the next release or 0, server).
const RELEASES: [(&str, u32, u32, u32, u32, bool); 14] = [
    ("Windows 11", 10, 0, 22000, 0, false),
    ("Windows 10, version 1903 and later", 10, 0, 18362, 22000, false),
    ("Windows 10", 10, 0, 10240, 22000, false),
    ("Windows 8.1", 6, 3, 0, 0, false),
    ("Windows 7", 6, 1, 0, 0, false),
    ("Windows Server 2025", 10, 0, 26100, 0, true),
    ("Windows Server 2022", 10, 0, 20348, 20349, true),
    ("Windows Server 2019", 10, 0, 17763, 17764, true),
    ("Windows Server 2016", 10, 0, 14393, 14394, true),
    ("Windows Server 2012 R2", 6, 3, 0, 0, true),
    ("Windows Server 2012", 6, 2, 0, 0, true),
    ("Windows Server 2008 R2", 6, 1, 0, 0, true),
    ("Windows Server 2008", 6, 0, 0, 0, true),
    ("Windows Server, version", 10, 0, 17763, 0, true),
];

/// The products the Requirements page lists: those a Windows version rule can be made for,
/// so that what the page offers is what `spec.rs` accepts (it still refuses any other).
pub fn list(site: &Site, actor: &Actor, args: NoArgs) -> Result<Vec<CategoryInfo>, ApiError> {
    let categories = crate::catalog::queries::list_categories(site, actor, args)?;
    let c = site.store().reader();
    let mut windows = Vec::new();
    for product in categories.into_iter().filter(|k| k.kind == CategoryKind::Product) {
        if rule_of_product(&c, &product.category_id)?.is_some() {
            windows.push(product);
        }
    }
    Ok(windows)
}

/// The rule of one chosen product, `None` when the site cannot say which Windows it is.
pub(crate) fn rule_of_product(c: &Connection, product_id: &str) -> rusqlite::Result<Option<Rule>> {
    let row: Option<(String, Option<Vec<u8>>)> = c
        .query_row(
            "SELECT k.title, (SELECT r.xml_deflate FROM revisions r WHERE r.update_id = k.category_id
                              ORDER BY r.revision DESC LIMIT 1)
             FROM categories k WHERE k.category_id = ?1 COLLATE NOCASE AND k.kind = 'Product'",
            [product_id.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((title, document)) = row else {
        return Ok(None);
    };
    let own = document
        .and_then(|d| crate::catalog::import::inflate(&d).ok())
        .and_then(|xml| wsus::rules::read_applicability(&xml).ok())
        .and_then(|a| a.is_installed)
        .filter(only_windows_versions);
    Ok(own.or_else(|| by_name(&title)))
}

/// A product's own rule is copied only when it says nothing but which Windows it is.
fn only_windows_versions(rule: &Rule) -> bool {
    match rule {
        Rule::WindowsVersion(_) => true,
        Rule::And(all) | Rule::Or(all) => !all.is_empty() && all.iter().all(only_windows_versions),
        Rule::Not(inner) => only_windows_versions(inner),
        _ => false,
    }
}

fn version(comparison: &str, major: u32, minor: u32, build: u32, product_type: u32) -> Rule {
    Rule::WindowsVersion(WindowsVersion {
        comparison: comparison.into(),
        major: Some(major),
        minor: Some(minor),
        build: (build > 0).then_some(build),
        product_type: Some(product_type),
    })
}

/// The rule a Windows product's name stands for.
pub(crate) fn by_name(title: &str) -> Option<Rule> {
    let title = title.trim();
    let (_, major, minor, first, next, server) = RELEASES.iter().find(|r| title.starts_with(r.0))?;
    let of_type = |product_type| {
        let from = version("GreaterThanOrEqualTo", *major, *minor, *first, product_type);
        if *next > 0 {
            Rule::And(vec![from, version("LessThan", *major, *minor, *next, product_type)])
        } else if *first == 0 && (*major, *minor) != (10, 0) {
            version("EqualTo", *major, *minor, 0, product_type)
        } else {
            from
        }
    };
    Some(if *server {
        Rule::Or(vec![of_type(SERVER), of_type(DOMAIN_CONTROLLER)])
    } else {
        of_type(WORKSTATION)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_names_become_version_rules_and_others_none() {
        let eleven = by_name("Windows 11").expect("known");
        assert_eq!(eleven, version("GreaterThanOrEqualTo", 10, 0, 22000, WORKSTATION));
        let ten = by_name("Windows 10, version 1903 and later").expect("known");
        assert_eq!(
            ten,
            Rule::And(vec![
                version("GreaterThanOrEqualTo", 10, 0, 18362, WORKSTATION),
                version("LessThan", 10, 0, 22000, WORKSTATION)
            ])
        );
        let Some(Rule::Or(server)) = by_name("Windows Server 2012 R2") else {
            panic!("a server is a server or a domain controller");
        };
        assert_eq!(server[0], version("EqualTo", 6, 3, 0, SERVER));
        assert_eq!(by_name("Office 2016"), None);
        assert_eq!(by_name("Fabrikam Viewer"), None);
    }
}
