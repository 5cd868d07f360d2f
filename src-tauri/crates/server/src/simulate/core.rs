//! What the simulator reads in an update's core fragment (`UpdateInfo/Xml`): its identity,
//! type, prerequisite groups, bundled members and whether its `IsInstalled` rule is the
//! constant `<True />`. Elements are matched by local name, so a whole update document
//! (`upd:` prefixes, as a test holds the catalog) reads the same as a core fragment.

use quick_xml::events::{BytesStart, Event};

/// The facts of one core fragment the profile decides on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoreFacts {
    /// `UpdateIdentity/@UpdateID`, lower-case.
    pub update_id: String,
    pub revision: i64,
    /// `Properties/@UpdateType`: `Category`, `Detectoid`, `Software`, `Driver`...
    pub update_type: String,
    /// `Relationships/Prerequisites`: each group holds when one member is installed; a bare
    /// `UpdateIdentity` is a group of one. Ids lower-case.
    pub prerequisites: Vec<Vec<String>>,
    /// `Relationships/BundledUpdates//UpdateIdentity`, lower-case.
    pub bundled: Vec<String>,
    /// `ApplicabilityRules/IsInstalled` is exactly `<True />`: a rule the simulator can
    /// evaluate (every other rule it cannot: registry, files, WMI, versions...).
    pub installed_rule_true: bool,
    /// `ApplicabilityRules/IsInstalled` is exactly `<False />`, the never-true rule a
    /// published "install once per computer" update carries: the agent finds it not
    /// installed even right after installing it.
    pub installed_rule_false: bool,
}

impl CoreFacts {
    pub fn is_category(&self) -> bool {
        self.update_type == "Category"
    }

    pub fn is_detectoid(&self) -> bool {
        self.update_type == "Detectoid"
    }

    /// Software or driver: what can be needed, downloaded and installed.
    pub fn is_software(&self) -> bool {
        !self.is_category() && !self.is_detectoid()
    }

    pub fn is_bundle(&self) -> bool {
        !self.bundled.is_empty()
    }
}

/// Why a core fragment could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("the core fragment is not well-formed XML: {0}")]
    Malformed(String),
    #[error("the core fragment has no UpdateIdentity")]
    NoIdentity,
    #[error("a DTD is not allowed in a core fragment")]
    Dtd,
}

/// Reads the facts of a core fragment (or a whole update document).
pub fn read(xml: &str) -> Result<CoreFacts, CoreError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut facts = CoreFacts::default();
    let mut identity_seen = false;
    // Local names of the open elements, to know which UpdateIdentity is which.
    let mut path: Vec<String> = Vec::new();
    // IsInstalled: how many children it has and whether the first is True.
    let mut is_installed_children = 0usize;
    let mut is_installed_first = String::new();
    loop {
        let event = reader.read_event().map_err(|e| CoreError::Malformed(e.to_string()))?;
        let (start, empty) = match &event {
            Event::Start(s) => (Some(s), false),
            Event::Empty(s) => (Some(s), true),
            Event::End(_) => {
                path.pop();
                continue;
            }
            Event::DocType(_) => return Err(CoreError::Dtd),
            Event::Eof => break,
            _ => continue,
        };
        let Some(start) = start else { continue };
        let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        let parent = path.last().map(String::as_str);
        let in_rel = |name: &str| path.iter().any(|p| p == name);
        match local.as_str() {
            "UpdateIdentity" if !identity_seen && path.iter().all(|p| p == "Update") => {
                identity_seen = true;
                facts.update_id = attr(start, "UpdateID").unwrap_or_default().to_ascii_lowercase();
                facts.revision = attr(start, "RevisionNumber")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or_default();
            }
            "Properties" if facts.update_type.is_empty() && path.iter().all(|p| p == "Update") => {
                facts.update_type = attr(start, "UpdateType").unwrap_or_default();
            }
            "UpdateIdentity" if in_rel("Prerequisites") => {
                let id = attr(start, "UpdateID").unwrap_or_default().to_ascii_lowercase();
                if parent == Some("AtLeastOne") {
                    if let Some(group) = facts.prerequisites.last_mut() {
                        group.push(id);
                    }
                } else {
                    facts.prerequisites.push(vec![id]);
                }
            }
            "AtLeastOne" if parent == Some("Prerequisites") => facts.prerequisites.push(Vec::new()),
            "UpdateIdentity" if in_rel("BundledUpdates") => {
                facts
                    .bundled
                    .push(attr(start, "UpdateID").unwrap_or_default().to_ascii_lowercase());
            }
            _ if parent == Some("IsInstalled") && in_rel("ApplicabilityRules") => {
                is_installed_children += 1;
                if is_installed_children == 1 {
                    is_installed_first = local.clone();
                }
            }
            _ => {}
        }
        if !empty {
            path.push(local);
        }
    }
    if !identity_seen || facts.update_id.is_empty() {
        return Err(CoreError::NoIdentity);
    }
    facts.prerequisites.retain(|g| !g.is_empty());
    facts.installed_rule_true = is_installed_children == 1 && is_installed_first == "True";
    facts.installed_rule_false = is_installed_children == 1 && is_installed_first == "False";
    Ok(facts)
}

fn attr(start: &BytesStart, name: &str) -> Option<String> {
    start.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name.as_bytes())
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../../shared/fixtures/wusp/reference")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn a_root_category_with_a_true_rule() {
        let f = read(&reference("56309036-4c77-4dd9-951a-99ee9c246a94-r101.core.xml")).expect("core");
        assert_eq!(f.update_id, "56309036-4c77-4dd9-951a-99ee9c246a94");
        assert_eq!(f.revision, 101);
        assert!(f.is_category() && f.prerequisites.is_empty() && f.installed_rule_true);
    }

    #[test]
    fn a_product_category_with_a_rule_the_simulator_cannot_evaluate() {
        let f = read(&reference("dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202.core.xml")).expect("core");
        assert!(f.is_category());
        assert_eq!(
            f.prerequisites,
            vec![vec!["6964aab4-c5b5-43bd-a17d-ffb4346a8e1d".to_string()]]
        );
        assert!(!f.installed_rule_true && !f.installed_rule_false);
    }

    #[test]
    fn a_published_update_installed_once_per_computer_has_the_never_true_rule() {
        let f = read(
            "<Update><UpdateIdentity UpdateID=\"ABC\" RevisionNumber=\"2\"/><Properties UpdateType=\"Software\"/>\
             <ApplicabilityRules><IsInstalled><lar:False xmlns:lar=\"x\"/></IsInstalled>\
             <IsInstallable><lar:True xmlns:lar=\"x\"/></IsInstallable></ApplicabilityRules></Update>",
        )
        .expect("core");
        assert!(f.installed_rule_false && !f.installed_rule_true);
    }

    #[test]
    fn a_bundle_with_prerequisite_groups_and_superseded_updates_left_aside() {
        let f = read(&reference("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200.core.xml")).expect("core");
        assert!(f.is_software() && f.is_bundle());
        assert_eq!(f.prerequisites.len(), 4, "{:?}", f.prerequisites);
        assert_eq!(
            f.prerequisites[0],
            vec!["be4048db-157c-4532-9582-7f05099590c9".to_string()]
        );
        assert_eq!(
            f.prerequisites[2],
            vec!["e0789628-ce08-4437-be74-2495b842f43b".to_string()]
        );
        assert!(!f.bundled.is_empty());
        assert!(!f.bundled.contains(&"ce84983e-b20e-44d7-a412-1fd91fc7bda8".to_string()));
    }

    #[test]
    fn broken_fragments_are_errors() {
        assert!(matches!(
            read("<Properties UpdateType=\"Software\" />"),
            Err(CoreError::NoIdentity)
        ));
        assert!(read("<UpdateIdentity UpdateID=\"x\"").is_err());
        assert!(matches!(read("<!DOCTYPE x><a/>"), Err(CoreError::Dtd)));
    }
}
