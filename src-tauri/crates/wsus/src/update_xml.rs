//! The update-XML parser: one `<Update>` document (as decoded from a `GetUpdateData` blob)
//! into an [`UpdateDoc`].
//!
//! It reads what the catalog needs and passes over the rest: applicability rules, handler
//! data other than `CategoryInformation`, and any element or attribute a future schema adds.

use crate::error::WsusError;
use crate::model::{
    CategoryKind, LocalizedText, PrerequisiteGroup, PublicationState, RevisionId, UpdateDoc, UpdateFile, UpdateType,
};
use crate::xml::{Element, XmlCursor};

const CONTEXT: &str = "update XML";

/// Parses one update document. Tolerates any namespace prefix, a default namespace, a
/// leading BOM and an `<?xml?>` declaration; refuses DTDs.
pub fn parse_update(xml: &str) -> Result<UpdateDoc, WsusError> {
    let mut cur = XmlCursor::new(xml, CONTEXT);
    let root = cur.root()?;
    if !root.is("Update") {
        return Err(WsusError::UnexpectedElement {
            context: CONTEXT,
            expected: "Update",
            found: root.name,
        });
    }
    let mut draft = Draft::default();
    while let Some(child) = cur.next_child()? {
        read_top_level(&mut cur, &child, &mut draft)?;
    }
    cur.finish()?;
    draft.finish()
}

/// What has been read so far; turned into an [`UpdateDoc`] once the identity is known.
#[derive(Default)]
struct Draft {
    id: Option<RevisionId>,
    update_type: Option<UpdateType>,
    category_kind: Option<CategoryKind>,
    publication_state: Option<PublicationState>,
    creation_date: Option<String>,
    default_language: Option<String>,
    kb_article_id: Option<String>,
    security_bulletin_id: Option<String>,
    msrc_severity: Option<String>,
    cve_ids: Vec<String>,
    support_url: Option<String>,
    is_public: Option<bool>,
    explicitly_deployable: Option<bool>,
    max_download_size: Option<i64>,
    min_download_size: Option<i64>,
    reboot_behavior: Option<String>,
    install_impact: Option<String>,
    handler: Option<String>,
    localized: Vec<LocalizedText>,
    prerequisites: Vec<PrerequisiteGroup>,
    bundled: Vec<RevisionId>,
    supersedes: Vec<String>,
    files: Vec<UpdateFile>,
}

impl Draft {
    fn finish(self) -> Result<UpdateDoc, WsusError> {
        let id = self.id.ok_or(WsusError::MissingElement("UpdateIdentity"))?;
        // Absent attributes only occur in hand-made XML; `Other` says "not stated" without
        // failing the whole sync over it.
        let update_type = self.update_type.unwrap_or(UpdateType::Other);
        let category_kind = self.category_kind.filter(|_| update_type == UpdateType::Category);
        Ok(UpdateDoc {
            id,
            update_type,
            category_kind,
            publication_state: self.publication_state.unwrap_or(PublicationState::Other),
            creation_date: self.creation_date,
            default_language: self.default_language,
            kb_article_id: self.kb_article_id,
            security_bulletin_id: self.security_bulletin_id,
            msrc_severity: self.msrc_severity,
            cve_ids: self.cve_ids,
            support_url: self.support_url,
            is_public: self.is_public,
            explicitly_deployable: self.explicitly_deployable,
            max_download_size: self.max_download_size,
            min_download_size: self.min_download_size,
            reboot_behavior: self.reboot_behavior,
            install_impact: self.install_impact,
            handler: self.handler,
            localized: self.localized,
            prerequisites: self.prerequisites,
            bundled: self.bundled,
            supersedes: self.supersedes,
            files: self.files,
        })
    }
}

fn read_top_level(cur: &mut XmlCursor, el: &Element, d: &mut Draft) -> Result<(), WsusError> {
    match el.name.as_str() {
        // Only the first identity counts; a second one would be schema-invalid anyway.
        "UpdateIdentity" if d.id.is_none() => {
            d.id = Some(revision_id(el, &OWN_IDENTITY)?);
            cur.skip()
        }
        "Properties" => read_properties(cur, el, d),
        "LocalizedPropertiesCollection" => read_localized_collection(cur, d),
        "Relationships" => read_relationships(cur, d),
        "Files" => read_files(cur, d),
        "HandlerSpecificData" => read_handler_data(cur, d),
        _ => cur.skip(),
    }
}

// ---- Properties ----------------------------------------------------------------------------

fn read_properties(cur: &mut XmlCursor, el: &Element, d: &mut Draft) -> Result<(), WsusError> {
    d.update_type = el.attr("UpdateType").map(update_type);
    d.publication_state = el.attr("PublicationState").map(publication_state);
    d.creation_date = non_empty(el.attr("CreationDate"));
    d.default_language = non_empty(el.attr("DefaultPropertiesLanguage"));
    d.msrc_severity = non_empty(el.attr("MsrcSeverity"));
    d.handler = non_empty(el.attr("Handler"));
    d.is_public = opt_bool(el, "IsPublic", "Properties/@IsPublic")?;
    d.explicitly_deployable = opt_bool(el, "ExplicitlyDeployable", "Properties/@ExplicitlyDeployable")?;
    d.max_download_size = opt_i64(el, "MaxDownloadSize", "Properties/@MaxDownloadSize")?;
    d.min_download_size = opt_i64(el, "MinDownloadSize", "Properties/@MinDownloadSize")?;
    while let Some(child) = cur.next_child()? {
        read_property_child(cur, &child, d)?;
    }
    Ok(())
}

fn read_property_child(cur: &mut XmlCursor, el: &Element, d: &mut Draft) -> Result<(), WsusError> {
    match el.name.as_str() {
        "InstallationBehavior" => {
            d.reboot_behavior = non_empty(el.attr("RebootBehavior"));
            d.install_impact = non_empty(el.attr("Impact"));
            cur.skip()
        }
        "KBArticleID" => set_text(cur, &mut d.kb_article_id),
        "SecurityBulletinID" => set_text(cur, &mut d.security_bulletin_id),
        "SupportUrl" => set_text(cur, &mut d.support_url),
        // Normally an attribute; some publishing tools write it as an element.
        "MsrcSeverity" => set_text(cur, &mut d.msrc_severity),
        "CveID" => {
            if let Some(cve) = non_empty(Some(&cur.read_text()?)) {
                d.cve_ids.push(cve);
            }
            Ok(())
        }
        _ => cur.skip(),
    }
}

fn update_type(value: &str) -> UpdateType {
    match value.to_ascii_lowercase().as_str() {
        "software" => UpdateType::Software,
        "driver" => UpdateType::Driver,
        "category" => UpdateType::Category,
        "detectoid" => UpdateType::Detectoid,
        _ => UpdateType::Other,
    }
}

fn publication_state(value: &str) -> PublicationState {
    match value.to_ascii_lowercase().as_str() {
        "published" => PublicationState::Published,
        "expired" => PublicationState::Expired,
        _ => PublicationState::Other,
    }
}

// ---- LocalizedProperties -------------------------------------------------------------------

fn read_localized_collection(cur: &mut XmlCursor, d: &mut Draft) -> Result<(), WsusError> {
    while let Some(child) = cur.next_child()? {
        if child.is("LocalizedProperties") {
            d.localized.push(read_localized(cur)?);
        } else {
            cur.skip()?;
        }
    }
    Ok(())
}

fn read_localized(cur: &mut XmlCursor) -> Result<LocalizedText, WsusError> {
    let mut language = None;
    let mut text = LocalizedText::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Language" => set_text(cur, &mut language)?,
            "Title" => text.title = cur.read_text()?,
            "Description" => set_text(cur, &mut text.description)?,
            "MoreInfoUrl" => set_text(cur, &mut text.more_info_url)?,
            "SupportUrl" => set_text(cur, &mut text.support_url)?,
            _ => cur.skip()?,
        }
    }
    // Without its language a text cannot be chosen for anyone, so it is an error, not noise.
    text.language = language.ok_or(WsusError::MissingElement("LocalizedProperties/Language"))?;
    Ok(text)
}

// ---- Relationships -------------------------------------------------------------------------

fn read_relationships(cur: &mut XmlCursor, d: &mut Draft) -> Result<(), WsusError> {
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Prerequisites" => read_prerequisites(cur, d)?,
            "BundledUpdates" => read_bundled(cur, d)?,
            "SupersededUpdates" => read_superseded(cur, d)?,
            _ => cur.skip()?,
        }
    }
    Ok(())
}

fn read_prerequisites(cur: &mut XmlCursor, d: &mut Draft) -> Result<(), WsusError> {
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "UpdateIdentity" => {
                let id = update_id(&child, "Prerequisites/UpdateIdentity/@UpdateID")?;
                d.prerequisites.push(PrerequisiteGroup {
                    update_ids: vec![id],
                    at_least_one: false,
                    is_category: false,
                });
                cur.skip()?;
            }
            "AtLeastOne" => {
                let is_category = opt_bool(&child, "IsCategory", "AtLeastOne/@IsCategory")?;
                let ids = read_identities(cur, |el| {
                    update_id(el, "Prerequisites/AtLeastOne/UpdateIdentity/@UpdateID")
                })?;
                d.prerequisites.push(PrerequisiteGroup {
                    update_ids: ids,
                    at_least_one: true,
                    is_category: is_category.unwrap_or(false),
                });
            }
            _ => cur.skip()?,
        }
    }
    Ok(())
}

/// A bundle lists its members directly or, as Microsoft's own bundles do, inside
/// `AtLeastOne`; both mean "installs these", so they are flattened into one list.
fn read_bundled(cur: &mut XmlCursor, d: &mut Draft) -> Result<(), WsusError> {
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "UpdateIdentity" => {
                d.bundled.push(revision_id(&child, &BUNDLED_IDENTITY)?);
                cur.skip()?;
            }
            "AtLeastOne" => {
                let ids = read_identities(cur, |el| revision_id(el, &BUNDLED_GROUP_IDENTITY))?;
                d.bundled.extend(ids);
            }
            _ => cur.skip()?,
        }
    }
    Ok(())
}

fn read_superseded(cur: &mut XmlCursor, d: &mut Draft) -> Result<(), WsusError> {
    let ids = read_identities(cur, |el| update_id(el, "SupersededUpdates/UpdateIdentity/@UpdateID"))?;
    d.supersedes.extend(ids);
    Ok(())
}

/// The `UpdateIdentity` children of the element last opened, converted by `convert`.
fn read_identities<T>(
    cur: &mut XmlCursor,
    convert: impl Fn(&Element) -> Result<T, WsusError>,
) -> Result<Vec<T>, WsusError> {
    let mut out = Vec::new();
    while let Some(child) = cur.next_child()? {
        if child.is("UpdateIdentity") {
            out.push(convert(&child)?);
        }
        cur.skip()?;
    }
    Ok(out)
}

// ---- Files ---------------------------------------------------------------------------------

fn read_files(cur: &mut XmlCursor, d: &mut Draft) -> Result<(), WsusError> {
    while let Some(child) = cur.next_child()? {
        if child.is("File") {
            d.files.push(read_file(cur, &child)?);
        } else {
            cur.skip()?;
        }
    }
    Ok(())
}

fn read_file(cur: &mut XmlCursor, el: &Element) -> Result<UpdateFile, WsusError> {
    let mut file = UpdateFile {
        file_name: required(el, "FileName", "File/@FileName")?.to_owned(),
        size: opt_i64(el, "Size", "File/@Size")?.ok_or(WsusError::MissingElement("File/@Size"))?,
        modified: non_empty(el.attr("Modified")),
        digest: required(el, "Digest", "File/@Digest")?.to_owned(),
        digest_algorithm: required(el, "DigestAlgorithm", "File/@DigestAlgorithm")?.to_owned(),
        sha256: None,
        patching_type: non_empty(el.attr("PatchingType")),
        languages: Vec::new(),
    };
    while let Some(child) = cur.next_child()? {
        let is_sha256 = child.is("AdditionalDigest")
            && child
                .attr("Algorithm")
                .is_some_and(|a| a.eq_ignore_ascii_case("SHA256"));
        if is_sha256 {
            set_text(cur, &mut file.sha256)?;
        } else if child.is("Language") {
            let mut lang = None;
            set_text(cur, &mut lang)?;
            // Compared case-insensitively with the languages an administrator picks.
            if let Some(l) = lang.map(|l| l.trim().to_ascii_lowercase()).filter(|l| !l.is_empty()) {
                if !file.languages.contains(&l) {
                    file.languages.push(l);
                }
            }
        } else {
            cur.skip()?;
        }
    }
    Ok(file)
}

// ---- HandlerSpecificData -------------------------------------------------------------------

/// Only a category's `CategoryInformation/@CategoryType` matters to the catalog; install
/// commands and other handler data stay with the raw XML.
fn read_handler_data(cur: &mut XmlCursor, d: &mut Draft) -> Result<(), WsusError> {
    while let Some(child) = cur.next_child()? {
        if child.is("CategoryInformation") {
            d.category_kind = child.attr("CategoryType").map(category_kind);
        }
        cur.skip()?;
    }
    Ok(())
}

fn category_kind(value: &str) -> CategoryKind {
    match value.to_ascii_lowercase().as_str() {
        "company" => CategoryKind::Company,
        "productfamily" => CategoryKind::ProductFamily,
        "product" => CategoryKind::Product,
        "updateclassification" => CategoryKind::UpdateClassification,
        _ => CategoryKind::Other,
    }
}

// ---- values --------------------------------------------------------------------------------

/// Where an `UpdateIdentity` sits, spelled out for error messages (which need `'static`).
struct IdentityAt {
    update_id: &'static str,
    revision: &'static str,
}

const OWN_IDENTITY: IdentityAt = IdentityAt {
    update_id: "UpdateIdentity/@UpdateID",
    revision: "UpdateIdentity/@RevisionNumber",
};
const BUNDLED_IDENTITY: IdentityAt = IdentityAt {
    update_id: "BundledUpdates/UpdateIdentity/@UpdateID",
    revision: "BundledUpdates/UpdateIdentity/@RevisionNumber",
};
const BUNDLED_GROUP_IDENTITY: IdentityAt = IdentityAt {
    update_id: "BundledUpdates/AtLeastOne/UpdateIdentity/@UpdateID",
    revision: "BundledUpdates/AtLeastOne/UpdateIdentity/@RevisionNumber",
};

fn revision_id(el: &Element, at: &IdentityAt) -> Result<RevisionId, WsusError> {
    Ok(RevisionId {
        update_id: update_id(el, at.update_id)?,
        revision: opt_i64(el, "RevisionNumber", at.revision)?.ok_or(WsusError::MissingElement(at.revision))?,
    })
}

/// A GUID attribute, lower-cased: Microsoft writes some in upper case (old categories) and
/// the catalog must see one spelling.
fn update_id(el: &Element, path: &'static str) -> Result<String, WsusError> {
    let raw = required(el, "UpdateID", path)?;
    if is_guid(raw) {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(WsusError::InvalidValue {
            field: path,
            value: raw.to_owned(),
        })
    }
}

pub(crate) fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn required<'e>(el: &'e Element, name: &str, path: &'static str) -> Result<&'e str, WsusError> {
    match el.attr(name).map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(WsusError::MissingElement(path)),
    }
}

fn opt_i64(el: &Element, name: &str, path: &'static str) -> Result<Option<i64>, WsusError> {
    let Some(raw) = el.attr(name).map(str::trim) else {
        return Ok(None);
    };
    raw.parse().map(Some).map_err(|_| WsusError::InvalidValue {
        field: path,
        value: raw.to_owned(),
    })
}

/// `xsd:boolean` allows `true`, `false`, `1` and `0`.
fn opt_bool(el: &Element, name: &str, path: &'static str) -> Result<Option<bool>, WsusError> {
    let Some(raw) = el.attr(name).map(str::trim) else {
        return Ok(None);
    };
    match raw {
        "true" | "1" => Ok(Some(true)),
        "false" | "0" => Ok(Some(false)),
        _ if raw.eq_ignore_ascii_case("true") => Ok(Some(true)),
        _ if raw.eq_ignore_ascii_case("false") => Ok(Some(false)),
        _ => Err(WsusError::InvalidValue {
            field: path,
            value: raw.to_owned(),
        }),
    }
}

/// Reads the element's text into `slot`; an empty element leaves it `None`.
fn set_text(cur: &mut XmlCursor, slot: &mut Option<String>) -> Result<(), WsusError> {
    let text = cur.read_text()?;
    if !text.is_empty() {
        *slot = Some(text);
    }
    Ok(())
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture_text, update_files};

    fn first_update() -> (String, String) {
        let path = update_files().into_iter().next().expect("at least one update fixture");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        (name, fixture_text(&path))
    }

    #[test]
    fn bom_and_declaration_do_not_change_the_result() {
        let (_, text) = first_update();
        let plain = parse_update(&text).expect("fixture parses");
        let decorated = format!("\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n{text}");
        assert_eq!(parse_update(&decorated).expect("decorated fixture parses"), plain);
    }

    #[test]
    fn missing_identity_is_named_in_the_error() {
        let (_, text) = first_update();
        let start = text.find("UpdateIdentity").expect("fixture has an identity");
        let start = text[..start].rfind('<').expect("identity tag start");
        let end = start + text[start..].find("/>").expect("identity is an empty tag") + 2;
        let without = format!("{}{}", &text[..start], &text[end..]);
        let err = parse_update(&without).expect_err("no identity");
        assert_eq!(err, WsusError::MissingElement("UpdateIdentity"));
        assert!(err.to_string().contains("UpdateIdentity"), "{err}");
    }

    #[test]
    fn upper_case_guids_are_lowered() {
        let upper = update_files()
            .into_iter()
            .map(|p| fixture_text(&p))
            .find(|t| {
                let at = t.find("UpdateID=\"").map(|i| i + 10).unwrap_or(0);
                t[at..].chars().take(36).any(|c| c.is_ascii_uppercase())
            })
            .expect("one fixture has an upper-case identity");
        let doc = parse_update(&upper).expect("parses");
        assert_eq!(doc.id.update_id, doc.id.update_id.to_ascii_lowercase());
        assert!(is_guid(&doc.id.update_id));
    }

    #[test]
    fn a_non_guid_identity_is_an_invalid_value() {
        let (_, text) = first_update();
        let doc = parse_update(&text).expect("parses");
        let broken = text.replacen(&doc.id.update_id, "not-a-guid", 1);
        assert!(matches!(parse_update(&broken), Err(WsusError::InvalidValue { .. })));
    }

    /// No recorded document carries security data, so synthetic markers are injected into a
    /// real one to check the plumbing (not any real-world value).
    /// Language-specific payloads carry `File/Language` children; the captured documents
    /// have none, so two files shaped like theirs are injected: one neutral, one for two
    /// languages.
    #[test]
    fn file_languages_are_read_and_neutral_files_have_none() {
        let text = update_files()
            .into_iter()
            .map(|p| fixture_text(&p))
            .find(|t| t.contains("<upd:Files>"))
            .expect("a fixture with files");
        let files = "<upd:Files>\
            <upd:File Digest=\"h/W9BGlYUAaqXTp30cZi/SiV3c0=\" DigestAlgorithm=\"SHA1\" FileName=\"neutral.cab\" Size=\"10\">\
            <upd:AdditionalDigest Algorithm=\"SHA256\">Amt0qymy5KsROiwIXm4QIIV75Ju4r+Cl28Pg8gaLXUA=</upd:AdditionalDigest></upd:File>\
            <upd:File Digest=\"vXidQqLgJwCO4+fE++5nIN1txMk=\" DigestAlgorithm=\"SHA1\" FileName=\"lp-fr-de.cab\" Size=\"20\">\
            <upd:AdditionalDigest Algorithm=\"SHA256\">FX0fJz391BBQFKgKnFee7Set4FikM6ebvaIHkpuXY+c=</upd:AdditionalDigest>\
            <upd:Language>fr</upd:Language><upd:Language> DE </upd:Language><upd:Language>fr</upd:Language></upd:File>\
            </upd:Files>";
        let start = text.find("<upd:Files>").expect("files");
        let end = text.find("</upd:Files>").expect("files end") + "</upd:Files>".len();
        let doc = parse_update(&format!("{}{files}{}", &text[..start], &text[end..])).expect("parses");
        assert_eq!(doc.files.len(), 2);
        assert_eq!(doc.files[0].file_name, "neutral.cab");
        assert!(doc.files[0].languages.is_empty(), "a file without Language is neutral");
        assert_eq!(doc.files[1].languages, ["fr", "de"]);
        assert_eq!(
            doc.files[1].sha256.as_deref(),
            Some("FX0fJz391BBQFKgKnFee7Set4FikM6ebvaIHkpuXY+c="),
            "the digests are still read next to the languages"
        );
    }

    #[test]
    fn security_properties_are_read_when_present() {
        let (_, text) = first_update();
        let injected = "<upd:InstallationBehavior RebootBehavior=\"MARK-REBOOT\"/>\
            <upd:SecurityBulletinID>MARK-BULLETIN</upd:SecurityBulletinID>\
            <upd:CveID>MARK-CVE-1</upd:CveID><upd:CveID>MARK-CVE-2</upd:CveID>\
            <upd:MsrcSeverity>MARK-SEVERITY</upd:MsrcSeverity></upd:Properties>";
        assert!(text.contains("</upd:Properties>"), "fixture has a Properties element");
        let doc = parse_update(&text.replacen("</upd:Properties>", injected, 1)).expect("parses");
        assert_eq!(doc.reboot_behavior.as_deref(), Some("MARK-REBOOT"));
        assert_eq!(doc.security_bulletin_id.as_deref(), Some("MARK-BULLETIN"));
        assert_eq!(doc.cve_ids, ["MARK-CVE-1", "MARK-CVE-2"]);
        assert_eq!(doc.msrc_severity.as_deref(), Some("MARK-SEVERITY"));
    }

    #[test]
    fn a_soap_envelope_is_not_an_update() {
        let err = parse_update("<s:Envelope xmlns:s=\"urn:s\"/>").expect_err("not an update");
        assert!(matches!(err, WsusError::UnexpectedElement { expected: "Update", .. }));
    }

    #[test]
    fn every_truncation_of_a_document_is_an_error() {
        let (_, text) = first_update();
        let cuts = text.char_indices().map(|(i, _)| i).step_by(97);
        for cut in cuts.filter(|&i| i > 0) {
            assert!(parse_update(&text[..cut]).is_err(), "cut at {cut} parsed");
        }
    }

    #[test]
    fn guid_shape() {
        assert!(is_guid("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe"));
        assert!(!is_guid("a2fef9b0-7951-4c2c-a42b-9e351dd1c1f"));
        assert!(!is_guid("a2fef9b0x7951-4c2c-a42b-9e351dd1c1fe"));
        assert!(!is_guid("{2fef9b0-7951-4c2c-a42b-9e351dd1c1fe"));
    }
}
