//! The applicability rules of an update document read into [`Rule`]s: what a locally
//! published update says a client evaluates, read back the way a reviewer (or a test) checks
//! it, and the Windows version rules of an operating system's product category, which a
//! published update copies for the operating systems chosen on the wizard's Requirements page.
//!
//! Only the rules [`Rule`] can hold are read into it; any other rule (Microsoft's documents
//! use dozens: registry values, file versions, WMI...) is kept as [`Rule::Other`] with its
//! element name, so a reader sees where it stands without this module knowing it.

use quick_xml::events::{BytesStart, Event};

use crate::error::WsusError;
use crate::publishing::Rule;

const CONTEXT: &str = "applicability rules";

/// `ApplicabilityRules` of one document: each rule the document has, `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applicability {
    pub is_installed: Option<Rule>,
    pub is_installable: Option<Rule>,
}

/// Reads `ApplicabilityRules/IsInstalled` and `IsInstallable` of an update document.
pub fn read_applicability(xml: &str) -> Result<Applicability, WsusError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Applicability::default();
    // Local names of the open elements above the current one.
    let mut path: Vec<String> = Vec::new();
    // The rule being read: a stack of open logical operators with their children so far.
    let mut open: Vec<(String, Vec<Rule>)> = Vec::new();
    let malformed = |detail: String| WsusError::MalformedXml {
        context: CONTEXT,
        detail,
    };
    loop {
        let event = reader.read_event().map_err(|e| malformed(e.to_string()))?;
        let (start, empty) = match &event {
            Event::Start(s) => (s, false),
            Event::Empty(s) => (s, true),
            Event::End(_) => {
                let closed = path.pop();
                let Some(closed) = closed else { continue };
                let in_rules = path.last().map(String::as_str) == Some("ApplicabilityRules");
                if let (true, Some(slot)) = (in_rules, root_slot(&mut out, &closed)) {
                    // The root's one child was pushed onto the sentinel below.
                    let (_, children) = open.pop().unwrap_or_default();
                    *slot = children.into_iter().next();
                } else if matches!(closed.as_str(), "And" | "Or" | "Not") && !open.is_empty() {
                    finish(&mut open, &closed)?;
                }
                continue;
            }
            Event::DocType(_) => return Err(malformed("a DTD is not allowed".into())),
            Event::Eof => break,
            _ => continue,
        };
        let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        let parent = path.last().map(String::as_str);
        if parent == Some("ApplicabilityRules") && matches!(local.as_str(), "IsInstalled" | "IsInstallable") {
            if empty {
                continue;
            }
            // A sentinel collecting the root rule.
            open.push((String::new(), Vec::new()));
        } else if !open.is_empty() {
            match local.as_str() {
                "And" | "Or" | "Not" if !empty => open.push((local.clone(), Vec::new())),
                "And" => push(&mut open, Rule::And(Vec::new())),
                "Or" => push(&mut open, Rule::Or(Vec::new())),
                _ => push(&mut open, base_rule(&local, start)?),
            }
        }
        if !empty {
            path.push(local);
        }
    }
    if let Some(unclosed) = path.last() {
        return Err(malformed(format!("the document ends inside <{unclosed}>")));
    }
    Ok(out)
}

fn root_slot<'a>(out: &'a mut Applicability, name: &str) -> Option<&'a mut Option<Rule>> {
    match name {
        "IsInstalled" => Some(&mut out.is_installed),
        "IsInstallable" => Some(&mut out.is_installable),
        _ => None,
    }
}

fn push(open: &mut [(String, Vec<Rule>)], rule: Rule) {
    if let Some((_, children)) = open.last_mut() {
        children.push(rule);
    }
}

fn finish(open: &mut Vec<(String, Vec<Rule>)>, closed: &str) -> Result<(), WsusError> {
    let Some((name, children)) = open.pop() else {
        return Ok(());
    };
    let rule = match name.as_str() {
        "And" => Rule::And(children),
        "Or" => Rule::Or(children),
        _ => {
            let mut one = children.into_iter();
            match (one.next(), one.next()) {
                (Some(inner), None) => Rule::Not(Box::new(inner)),
                _ => {
                    return Err(WsusError::InvalidValue {
                        field: "lar:Not",
                        value: format!("{closed} must hold exactly one rule"),
                    })
                }
            }
        }
    };
    push(open, rule);
    Ok(())
}

fn attr(start: &BytesStart, name: &str) -> Option<String> {
    start.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name.as_bytes())
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

fn number<T: std::str::FromStr>(start: &BytesStart, name: &'static str) -> Result<Option<T>, WsusError> {
    match attr(start, name) {
        None => Ok(None),
        Some(text) => text.trim().parse().map(Some).map_err(|_| WsusError::InvalidValue {
            field: name,
            value: text,
        }),
    }
}

fn base_rule(local: &str, start: &BytesStart) -> Result<Rule, WsusError> {
    Ok(match local {
        "True" => Rule::True,
        "False" => Rule::False,
        "MsiProductInstalled" => Rule::MsiProductInstalled {
            product_code: attr(start, "ProductCode")
                .ok_or(WsusError::MissingElement("MsiProductInstalled/@ProductCode"))?,
        },
        "FileExists" => Rule::FileExists {
            path: attr(start, "Path").ok_or(WsusError::MissingElement("FileExists/@Path"))?,
            csidl: number(start, "Csidl")?,
        },
        "RegKeyExists" => Rule::RegKeyExists {
            key: attr(start, "Key").ok_or(WsusError::MissingElement("RegKeyExists/@Key"))?,
            subkey: attr(start, "Subkey").unwrap_or_default(),
        },
        "Processor" => Rule::Processor {
            architecture: number(start, "Architecture")?.ok_or(WsusError::MissingElement("Processor/@Architecture"))?,
        },
        "WindowsVersion" => Rule::WindowsVersion(crate::publishing::WindowsVersion {
            comparison: attr(start, "Comparison").unwrap_or_else(|| "EqualTo".into()),
            major: number(start, "MajorVersion")?,
            minor: number(start, "MinorVersion")?,
            build: number(start, "BuildNumber")?,
            product_type: number(start, "ProductType")?,
        }),
        other => Rule::Other(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publishing::WindowsVersion;

    #[test]
    fn the_strict_sample_reads_with_the_rules_it_holds() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../../shared/fixtures/protocol-samples/applicability_rules_strict.xml");
        let xml = std::fs::read_to_string(&path).expect("sample");
        let read = read_applicability(&xml).expect("reads");
        assert_eq!(
            read.is_installed,
            Some(Rule::And(vec![
                Rule::Processor { architecture: 9 },
                Rule::Not(Box::new(Rule::RegKeyExists {
                    key: "HKEY_LOCAL_MACHINE".into(),
                    subkey: "SOFTWARE\\Gone".into()
                })),
                Rule::MsiProductInstalled {
                    product_code: "{E49CA583-2EC0-4510-862A-C2BEFD036330}".into()
                },
                Rule::Or(vec![
                    Rule::False,
                    Rule::WindowsVersion(WindowsVersion {
                        comparison: "EqualTo".into(),
                        major: Some(10),
                        minor: Some(0),
                        build: None,
                        product_type: None,
                    })
                ]),
            ]))
        );
        assert_eq!(read.is_installable, Some(Rule::Other("WindowsLanguage".into())));
    }

    #[test]
    fn absent_rules_are_none_and_broken_ones_errors() {
        let read = read_applicability(
            "<Update><ApplicabilityRules><IsInstallable><True/></IsInstallable></ApplicabilityRules></Update>",
        )
        .expect("reads");
        assert_eq!(read.is_installed, None);
        assert_eq!(read.is_installable, Some(Rule::True));
        assert!(read_applicability("<Update><ApplicabilityRules><IsInstalled><Not><True/><False/></Not></IsInstalled></ApplicabilityRules></Update>").is_err());
        assert!(read_applicability("<Update><ApplicabilityRules><IsInstalled><Processor Architecture=\"x\"/></IsInstalled></ApplicabilityRules></Update>").is_err());
        assert!(read_applicability("<Update><ApplicabilityRules>").is_err());
    }
}
