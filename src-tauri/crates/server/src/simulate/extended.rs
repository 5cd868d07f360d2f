//! What the simulator reads in the fragments `GetExtendedUpdateInfo` returns: the files of an
//! update (Extended: `<Files><File Digest=... FileName=... Size=...><AdditionalDigest
//! Algorithm="SHA256">`) and its title (LocalizedProperties).

use quick_xml::events::Event;

/// One file an update installs from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateFile {
    /// `File/@Digest`: SHA-1, base64, as `FileLocation/FileDigest` names it.
    pub sha1_base64: String,
    /// `AdditionalDigest[@Algorithm="SHA256"]`, base64.
    pub sha256_base64: Option<String>,
    pub name: String,
    pub size: Option<u64>,
}

/// What one fragment says, whichever kind it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FragmentFacts {
    pub files: Vec<UpdateFile>,
    /// `LocalizedProperties/Title`.
    pub title: Option<String>,
}

/// Reads a fragment; a fragment that is not XML is an error (the caller counts it).
pub fn read(xml: &str) -> Result<FragmentFacts, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut facts = FragmentFacts::default();
    let mut path: Vec<String> = Vec::new();
    let mut in_sha256 = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(s) => {
                let local = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                handle_start(&s, &local, &path, &mut facts, &mut in_sha256);
                path.push(local);
            }
            Event::Empty(s) => {
                let local = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                handle_start(&s, &local, &path, &mut facts, &mut in_sha256);
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| e.to_string())?.into_owned();
                match path.last().map(String::as_str) {
                    Some("AdditionalDigest") if in_sha256 => {
                        if let Some(file) = facts.files.last_mut() {
                            file.sha256_base64 = Some(text.trim().to_owned());
                        }
                    }
                    Some("Title") if path.iter().any(|p| p == "LocalizedProperties") && facts.title.is_none() => {
                        facts.title = Some(text);
                    }
                    _ => {}
                }
            }
            Event::End(_) => {
                path.pop();
                in_sha256 = false;
            }
            Event::DocType(_) => return Err("a DTD is not allowed in a fragment".into()),
            Event::Eof => return Ok(facts),
            _ => {}
        }
    }
}

fn handle_start(
    s: &quick_xml::events::BytesStart,
    local: &str,
    path: &[String],
    facts: &mut FragmentFacts,
    in_sha256: &mut bool,
) {
    let attr = |name: &str| {
        s.attributes().flatten().find_map(|a| {
            (a.key.local_name().as_ref() == name.as_bytes())
                .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
                .flatten()
        })
    };
    match local {
        "File" if path.last().map(String::as_str) == Some("Files") => facts.files.push(UpdateFile {
            sha1_base64: attr("Digest").unwrap_or_default(),
            sha256_base64: None,
            name: attr("FileName").unwrap_or_default(),
            size: attr("Size").and_then(|s| s.parse().ok()),
        }),
        "AdditionalDigest" => *in_sha256 = attr("Algorithm").as_deref() == Some("SHA256"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_digests_of_a_captured_extended_fragment() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../../shared/fixtures/wusp/reference/ff36f0b5-dded-4780-8664-cd78af8b62c1-r200.extended.xml");
        let xml = std::fs::read_to_string(&path).expect("fixture");
        let facts = read(&xml).expect("fragment");
        assert_eq!(
            facts.files,
            vec![UpdateFile {
                sha1_base64: "vXidQqLgJwCO4+fE++5nIN1txMk=".into(),
                sha256_base64: Some("FX0fJz391BBQFKgKnFee7Set4FikM6ebvaIHkpuXY+c=".into()),
                name: "AM_Engine.exe".into(),
                size: Some(6662560),
            }]
        );
    }

    #[test]
    fn the_title_of_a_localized_fragment() {
        let facts =
            read("<LocalizedProperties><Language>en</Language><Title>KB1 &amp; more</Title></LocalizedProperties>")
                .expect("fragment");
        assert_eq!(facts.title.as_deref(), Some("KB1 & more"));
        assert!(read("<a><b></a>").is_err());
    }
}
