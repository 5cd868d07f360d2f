//! Servicing package manifests (`Windows\servicing\Packages\*.mum`): what Component Based
//! Servicing records of each package installed in an image.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One package manifest: its identity and the update (KB) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageManifest {
    /// The manifest's file name in `Windows\servicing\Packages`.
    pub file_name: String,
    /// `assemblyIdentity`: e.g. `Package_for_RollupFix`, `22000.1936.1.9`, `arm64`, `neutral`.
    pub name: String,
    pub version: String,
    pub architecture: String,
    pub language: String,
    pub public_key_token: String,
    /// `KB5026368`: from `<package identifier="KB...">`, else from a name like
    /// `Package_for_KB5054156` or `Package_2_for_KB5026368`.
    pub kb: Option<String>,
    /// `<package releaseType="...">`, e.g. `Security Update`.
    pub release_type: Option<String>,
}

impl PackageManifest {
    /// The package identity as DISM prints it: `name~token~arch~language~version`, with the
    /// language left empty when it is `neutral`.
    pub fn identity(&self) -> String {
        let language = if self.language.eq_ignore_ascii_case("neutral") {
            ""
        } else {
            &self.language
        };
        format!(
            "{}~{}~{}~{}~{}",
            self.name, self.public_key_token, self.architecture, language, self.version
        )
    }

    /// The KB number without its prefix (`5026368`), as the catalog stores articles.
    pub fn kb_number(&self) -> Option<&str> {
        self.kb.as_deref().map(|k| &k[2..])
    }
}

/// `KB` followed by digits, normalized to upper case.
fn kb_of(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let at = upper.find("KB")?;
    let digits: String = upper[at + 2..].chars().take_while(char::is_ascii_digit).collect();
    (digits.len() >= 4).then(|| format!("KB{digits}"))
}

/// Text as Windows writes it: UTF-16LE after a byte-order mark, else UTF-8 (BOM optional).
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        if rest.len() % 2 != 0 {
            return Err("is not valid UTF-16".into());
        }
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        return String::from_utf16(&units).map_err(|_| "is not valid UTF-16".to_string());
    }
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| "is not valid UTF-8".to_string())
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|e| format!("an attribute is malformed: {e}"))?;
        if a.key.local_name().as_ref() == name.as_bytes() {
            let v = a
                .unescape_value()
                .map_err(|e| format!("the attribute {name} is malformed: {e}"))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// Reads one `.mum` file: the first `assemblyIdentity` under the root `assembly` and the
/// `package` element's identifier and release type.
pub fn parse_manifest(file_name: &str, bytes: &[u8]) -> Result<PackageManifest, crate::WimError> {
    parse(file_name, bytes).map_err(|detail| crate::WimError::Manifest {
        file: file_name.to_string(),
        detail,
    })
}

fn parse(file_name: &str, bytes: &[u8]) -> Result<PackageManifest, String> {
    let text = decode_text(bytes).map_err(|e| format!("it {e}"))?;
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut identity: Option<PackageManifest> = None;
    let mut package: Option<(Option<String>, Option<String>)> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("it is malformed at byte {}: {e}", reader.buffer_position()))?;
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::DocType(_) => return Err("it declares a DTD, which is not allowed".into()),
            Event::Eof => break,
            _ => continue,
        };
        let local = e.local_name();
        let name = local.as_ref();
        if depth == 0 && name != b"assembly" {
            return Err(format!(
                "its root element is <{}>, not <assembly>",
                String::from_utf8_lossy(name)
            ));
        }
        if depth == 1 && name == b"assemblyIdentity" && identity.is_none() {
            let get = |n: &str| attr(e, n).map(Option::unwrap_or_default);
            identity = Some(PackageManifest {
                file_name: file_name.to_string(),
                name: get("name")?,
                version: get("version")?,
                architecture: get("processorArchitecture")?,
                language: get("language")?,
                public_key_token: get("publicKeyToken")?,
                kb: None,
                release_type: None,
            });
        }
        if depth == 1 && name == b"package" && package.is_none() {
            package = Some((attr(e, "identifier")?, attr(e, "releaseType")?));
        }
        if !empty {
            depth += 1;
        }
    }
    if depth != 0 {
        return Err("it ends with elements still open".into());
    }
    let mut m = identity.ok_or("it has no assemblyIdentity")?;
    if m.name.is_empty() || m.version.is_empty() {
        return Err("its assemblyIdentity has no name or no version".into());
    }
    let (identifier, release_type) = package.unwrap_or_default();
    m.kb = identifier.as_deref().and_then(kb_of).or_else(|| {
        let lower = m.name.to_ascii_lowercase();
        lower.contains("_for_kb").then(|| kb_of(&m.name)).flatten()
    });
    m.release_type = release_type;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `assembly` element of a real CBS update's applicability metadata
    /// (shared/fixtures/servicing/cbs), which is the package's manifest.
    fn fixture_assembly(file: &str) -> String {
        let path = format!(
            "{}/../../../../shared/fixtures/servicing/cbs/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let start = text.find("<assembly ").expect("assembly");
        let end = text.find("</assembly>").expect("end") + "</assembly>".len();
        text[start..end].to_string()
    }

    #[test]
    fn reads_the_real_manifests() {
        let m = parse_manifest("a.mum", fixture_assembly("cbs-rollupfix-core-reduced.xml").as_bytes()).expect("parses");
        assert_eq!(
            m.identity(),
            "Package_for_RollupFix~31bf3856ad364e35~arm64~~22000.1936.1.9"
        );
        assert_eq!(m.kb.as_deref(), Some("KB5026368"));
        assert_eq!(m.kb_number(), Some("5026368"));
        assert_eq!(m.release_type.as_deref(), Some("Security Update"));
        let m = parse_manifest("b.mum", fixture_assembly("cbs-dotnet-core-reduced.xml").as_bytes()).expect("parses");
        assert_eq!(
            m.identity(),
            "Package_for_DotNetRollup_481~31bf3856ad364e35~amd64~~10.0.9082.7"
        );
        assert_eq!(m.kb.as_deref(), Some("KB5017029"));
    }

    #[test]
    fn takes_the_kb_from_the_name_when_the_identifier_has_none() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><assembly xmlns=\"urn:schemas-microsoft-com:asm.v3\">\
            <assemblyIdentity name=\"Package_2_for_KB5054156\" version=\"26100.6717.1.4\" processorArchitecture=\"amd64\" \
            language=\"neutral\" publicKeyToken=\"31bf3856ad364e35\"/><package identifier=\"Default\"/></assembly>";
        let m = parse_manifest("c.mum", xml.as_bytes()).expect("parses");
        assert_eq!(m.kb.as_deref(), Some("KB5054156"));
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(parse_manifest("c.mum", &utf16).expect("utf-16"), m);
        let feature = xml.replace("Package_2_for_KB5054156", "Microsoft-Windows-Foundation-Package");
        assert_eq!(parse_manifest("d.mum", feature.as_bytes()).expect("parses").kb, None);
    }

    #[test]
    fn refuses_what_is_not_a_manifest() {
        for bad in [
            &b"<notassembly/>"[..],
            b"<assembly><package identifier=\"KB1234567\"/></assembly>",
            b"<assembly><assemblyIdentity name=\"x\" version=\"1\"/>",
            b"\xff\xfe\x00\xd8",
            b"not xml at all <",
        ] {
            let e = parse_manifest("bad.mum", bad).expect_err("refused");
            assert!(e.to_string().contains("bad.mum"), "{e}");
        }
    }
}
