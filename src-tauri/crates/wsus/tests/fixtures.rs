//! The parsers against the real recordings in `shared/fixtures`.
//!
//! Expected values are never typed in: each test reads them from the fixture text itself with
//! plain string searching, a method independent of the XML parser under test.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use wsus::{
    decode_compressed_blob, parse_fault, parse_get_update_data_response, parse_update, CategoryKind, SoapFault,
    UpdateDoc, WsusError,
};

mod common;

use common::{all_between, between, fixtures, read, sample, sorted_dir, unescape, wsusss_exchange_dirs};

fn update_files() -> Vec<PathBuf> {
    let files: Vec<PathBuf> = sorted_dir(&fixtures().join("wsusss/updates"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    assert!(!files.is_empty(), "no update documents in wsusss/updates");
    files
}

/// `(soap_action, status)` from an exchange's `meta.json`.
fn meta(dir: &Path) -> (String, String) {
    let text = read(&dir.join("meta.json"));
    let action = between(&text, "\"soap_action\": \"", "\"").unwrap_or_default();
    let status = between(&text, "\"status\": ", ",").unwrap_or_default();
    (action.to_owned(), status.trim().to_owned())
}

fn get_update_data_exchanges() -> Vec<PathBuf> {
    wsusss_exchange_dirs()
        .into_iter()
        .filter(|d| {
            let (action, status) = meta(d);
            action.ends_with("/GetUpdateData") && status == "200"
        })
        .collect()
}

fn fault_exchanges() -> Vec<PathBuf> {
    wsusss_exchange_dirs()
        .into_iter()
        .filter(|d| meta(d).1 == "500")
        .collect()
}

/// An update document seen as text, with the prefix its root element uses.
struct Text<'a> {
    text: &'a str,
    prefix: String,
}

impl<'a> Text<'a> {
    fn new(text: &'a str) -> Self {
        let root = text.find("Update ").or_else(|| text.find("Update>")).expect("root tag");
        let open = text[..root].rfind('<').expect("root tag start");
        Self {
            text,
            prefix: text[open + 1..root].to_owned(),
        }
    }

    /// The content of every `<p:name ...>...</p:name>` in `scope`.
    fn sections<'s>(&self, scope: &'s str, name: &str) -> Vec<&'s str> {
        let p = &self.prefix;
        let close = format!("</{p}{name}>");
        let mut out = all_between(scope, &format!("<{p}{name}>"), &close);
        // A start tag with attributes may be self-closing, and then has no content.
        let with_attrs = all_between(scope, &format!("<{p}{name} "), &close);
        out.extend(
            with_attrs
                .into_iter()
                .filter(|s| !s.split('>').next().unwrap_or_default().ends_with('/')),
        );
        out
    }

    fn section(&self, name: &str) -> Option<&'a str> {
        self.sections(self.text, name).into_iter().next()
    }

    fn texts(&self, scope: &str, name: &str) -> Vec<String> {
        let p = &self.prefix;
        all_between(scope, &format!("<{p}{name}>"), &format!("</{p}{name}>"))
            .into_iter()
            .map(unescape)
            .collect()
    }

    /// An attribute of the first `<p:tag ...>` start tag.
    fn attr_of(&self, tag: &str, name: &str) -> Option<String> {
        let start_tag = between(self.text, &format!("<{}{tag} ", self.prefix), ">")?;
        attr(start_tag, name)
    }

    /// Every start tag `<p:tag ...>` in `scope`, attributes only.
    fn start_tags<'s>(&self, scope: &'s str, tag: &str) -> Vec<&'s str> {
        all_between(scope, &format!("<{}{tag} ", self.prefix), ">")
    }
}

fn attr(start_tag: &str, name: &str) -> Option<String> {
    between(&format!(" {start_tag}"), &format!(" {name}=\""), "\"").map(unescape)
}

fn lower_ids(scope: &str) -> Vec<String> {
    all_between(scope, " UpdateID=\"", "\"")
        .into_iter()
        .map(str::to_ascii_lowercase)
        .collect()
}

fn parse_file(path: &Path) -> UpdateDoc {
    parse_update(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `<UpdateID>-r<revision>.xml` → the two parts.
fn id_from_file_name(path: &Path) -> (String, i64) {
    let stem = path.file_stem().and_then(|s| s.to_str()).expect("file name");
    let (id, rev) = stem.rsplit_once("-r").expect("name is <UpdateID>-r<revision>");
    (id.to_owned(), rev.parse().expect("revision is a number"))
}

// ---- update documents ----------------------------------------------------------------------

#[test]
fn every_update_document_parses_and_its_id_matches_its_file_name() {
    for path in update_files() {
        let doc = parse_file(&path);
        let (id, revision) = id_from_file_name(&path);
        assert_eq!((doc.id.update_id.as_str(), doc.id.revision), (id.as_str(), revision));
    }
}

#[test]
fn properties_match_the_document_text() {
    for path in update_files() {
        let text = read(&path);
        let t = Text::new(&text);
        let doc = parse_file(&path);
        let at = path.display();
        let update_type = t.attr_of("Properties", "UpdateType").expect("UpdateType");
        assert_eq!(format!("{:?}", doc.update_type), update_type, "{at}");
        let state = t.attr_of("Properties", "PublicationState").expect("PublicationState");
        assert_eq!(format!("{:?}", doc.publication_state), state, "{at}");
        assert_eq!(doc.creation_date, t.attr_of("Properties", "CreationDate"), "{at}");
        assert_eq!(
            doc.default_language,
            t.attr_of("Properties", "DefaultPropertiesLanguage")
        );
        assert_eq!(doc.handler, t.attr_of("Properties", "Handler"), "{at}");
        let number = |name| t.attr_of("Properties", name).map(|v| v.parse::<i64>().expect("int"));
        assert_eq!(doc.max_download_size, number("MaxDownloadSize"), "{at}");
        assert_eq!(doc.min_download_size, number("MinDownloadSize"), "{at}");
        let flag = |name| t.attr_of("Properties", name).map(|v| v == "true");
        assert_eq!(doc.is_public, flag("IsPublic"), "{at}");
        assert_eq!(doc.explicitly_deployable, flag("ExplicitlyDeployable"), "{at}");
        assert_eq!(doc.install_impact, t.attr_of("InstallationBehavior", "Impact"), "{at}");
        assert_eq!(doc.reboot_behavior, t.attr_of("InstallationBehavior", "RebootBehavior"));
        let props = t.section("Properties").unwrap_or_default();
        assert_eq!(
            doc.kb_article_id,
            t.texts(props, "KBArticleID").into_iter().next(),
            "{at}"
        );
        assert_eq!(doc.support_url, t.texts(props, "SupportUrl").into_iter().next(), "{at}");
        assert_eq!(doc.cve_ids, t.texts(props, "CveID"), "{at}");
    }
}

#[test]
fn localized_texts_match_the_document_text() {
    let mut seen = 0;
    for path in update_files() {
        let text = read(&path);
        let t = Text::new(&text);
        let doc = parse_file(&path);
        let sections = t.sections(&text, "LocalizedProperties");
        assert_eq!(doc.localized.len(), sections.len(), "{}", path.display());
        for (parsed, section) in doc.localized.iter().zip(sections) {
            let first = |name| t.texts(section, name).into_iter().next();
            assert_eq!(Some(parsed.language.clone()), first("Language"));
            assert_eq!(Some(parsed.title.clone()), first("Title"));
            assert_eq!(parsed.description, first("Description"));
            assert_eq!(parsed.more_info_url, first("MoreInfoUrl"));
            assert_eq!(parsed.support_url, first("SupportUrl"));
            seen += 1;
        }
        let default = doc.default_language.as_deref().unwrap_or("en");
        assert_eq!(doc.text(default).map(|l| l.language.as_str()), Some(default));
    }
    assert!(seen > 0, "no localized properties checked");
}

#[test]
fn files_and_digests_match_the_document_text() {
    let mut seen = 0;
    for path in update_files() {
        let text = read(&path);
        let t = Text::new(&text);
        let doc = parse_file(&path);
        let files = t.section("Files").unwrap_or_default();
        let tags = t.start_tags(files, "File");
        assert_eq!(doc.files.len(), tags.len(), "{}", path.display());
        let sha256 = all_between(files, "Algorithm=\"SHA256\">", "<");
        assert_eq!(sha256.len(), tags.len(), "every recorded file has a SHA-256");
        for ((file, tag), sha) in doc.files.iter().zip(&tags).zip(&sha256) {
            assert_eq!(Some(file.file_name.clone()), attr(tag, "FileName"));
            assert_eq!(Some(file.digest.clone()), attr(tag, "Digest"));
            assert_eq!(Some(file.digest_algorithm.clone()), attr(tag, "DigestAlgorithm"));
            assert_eq!(Some(file.size.to_string()), attr(tag, "Size"));
            assert_eq!(file.modified, attr(tag, "Modified"));
            assert_eq!(file.sha256.as_deref(), Some(*sha));
            let digest = base64::engine::general_purpose::STANDARD.decode(&file.digest);
            assert_eq!(digest.map(|d| d.len()).ok(), Some(20), "SHA-1 is 20 bytes");
            seen += 1;
        }
    }
    assert!(seen > 0, "no files checked");
}

#[test]
fn relationships_match_the_document_text() {
    let (mut supersedes, mut bundled, mut prerequisites) = (0, 0, 0);
    for path in update_files() {
        let text = read(&path);
        let t = Text::new(&text);
        let doc = parse_file(&path);
        let at = path.display();

        let superseded = lower_ids(t.section("SupersededUpdates").unwrap_or_default());
        assert_eq!(doc.supersedes, superseded, "{at}");
        supersedes += superseded.len();

        let bundle = t.section("BundledUpdates").unwrap_or_default();
        let ids: Vec<String> = doc.bundled.iter().map(|r| r.update_id.clone()).collect();
        assert_eq!(ids, lower_ids(bundle), "{at}");
        let revisions: Vec<String> = doc.bundled.iter().map(|r| r.revision.to_string()).collect();
        assert_eq!(revisions, all_between(bundle, " RevisionNumber=\"", "\""), "{at}");
        bundled += ids.len();

        let prereq = t.section("Prerequisites").unwrap_or_default();
        let parents: Vec<String> = doc.prerequisites.iter().flat_map(|g| g.update_ids.clone()).collect();
        assert_eq!(parents, lower_ids(prereq), "{at}");
        let groups = t.start_tags(prereq, "AtLeastOne").len()
            + all_between(prereq, &format!("<{}AtLeastOne>", t.prefix), "<").len();
        assert_eq!(
            doc.prerequisites.iter().filter(|g| g.at_least_one).count(),
            groups,
            "{at}"
        );
        let category_groups = all_between(prereq, "AtLeastOne IsCategory=\"true\"", ">").len();
        assert_eq!(
            doc.prerequisites.iter().filter(|g| g.is_category).count(),
            category_groups
        );
        prerequisites += parents.len();
    }
    assert!(
        supersedes > 0 && bundled > 0 && prerequisites > 0,
        "relationships not exercised"
    );
}

#[test]
fn categories_have_their_kind_and_their_parent() {
    let mut kinds = Vec::new();
    for path in update_files() {
        let text = read(&path);
        let doc = parse_file(&path);
        // The handler data has its own prefix (`cat:`), unlike the rest of the document.
        let info = between(&text, "CategoryInformation ", ">");
        match info.and_then(|tag| attr(tag, "CategoryType")) {
            Some(kind) => {
                assert!(doc.is_category(), "{}", path.display());
                assert_eq!(doc.category_kind.map(|k| format!("{k:?}")), Some(kind.clone()));
                kinds.push(kind);
            }
            None => assert_eq!(doc.category_kind, None, "{}", path.display()),
        }
        let parent_groups = all_between(&text, "AtLeastOne IsCategory=\"true\">", "</");
        for (group, parsed) in parent_groups
            .iter()
            .zip(doc.prerequisites.iter().filter(|g| g.is_category))
        {
            assert_eq!(parsed.update_ids, lower_ids(group));
        }
    }
    assert!(!kinds.is_empty(), "no category documents");
    let company = kinds.iter().any(|k| k == &format!("{:?}", CategoryKind::Company));
    assert!(company, "the Microsoft company category is among the fixtures");
}

// ---- GetUpdateData -------------------------------------------------------------------------

/// The recorded update files store the blob's no-break spaces (U+00A0) as plain spaces; the
/// upstream's own bytes keep them. Comparisons therefore treat the two alike.
fn without_nbsp(mut doc: UpdateDoc) -> UpdateDoc {
    let fix = |s: &mut String| *s = s.replace('\u{a0}', " ");
    for text in &mut doc.localized {
        fix(&mut text.title);
        text.description.iter_mut().for_each(fix);
    }
    doc
}

#[test]
fn every_get_update_data_response_decodes_and_matches_its_document() {
    let exchanges = get_update_data_exchanges();
    assert!(!exchanges.is_empty(), "no GetUpdateData exchanges recorded");
    let (mut compared, mut compressed, mut plain) = (0, 0, 0);
    for dir in exchanges {
        let body = read(&dir.join("response.body"));
        let items = parse_get_update_data_response(&body).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let records = all_between(&body, "<ServerSyncUpdateData>", "</ServerSyncUpdateData>");
        assert_eq!(items.len(), records.len(), "{}", dir.display());
        for (item, record) in items.iter().zip(records) {
            assert_eq!(Some(item.id.update_id.as_str()), between(record, "<UpdateID>", "<"));
            assert_eq!(
                Some(item.id.revision.to_string().as_str()),
                between(record, "<RevisionNumber>", "<")
            );
            assert_eq!(item.file_digests, all_between(record, "<base64Binary>", "<"));
            compressed += usize::from(record.contains("<XmlUpdateBlobCompressed>"));
            plain += usize::from(record.contains("<XmlUpdateBlob>"));

            let doc = parse_update(&item.xml).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            assert_eq!(doc.id, item.id);
            let file = fixtures()
                .join("wsusss/updates")
                .join(format!("{}-r{}.xml", item.id.update_id, item.id.revision));
            if file.is_file() {
                assert_eq!(without_nbsp(doc), without_nbsp(parse_file(&file)), "{}", dir.display());
                compared += 1;
            }
        }
    }
    assert!(compared > 0, "no decoded blob had a recorded document to compare with");
    assert!(compressed > 0 && plain > 0, "both blob forms should be exercised");
}

#[test]
fn the_compressed_blob_of_000013_decodes_to_the_requested_bundle_document() {
    let dir = fixtures().join("wsusss/exchanges/000013");
    let request = read(&dir.join("request.body"));
    let id = between(&request, "<UpdateID>", "<").expect("requested UpdateID");
    let revision = between(&request, "<RevisionNumber>", "<").expect("requested revision");
    let expected = read(&fixtures().join(format!("wsusss/updates/{id}-r{revision}.xml")));

    let body = read(&dir.join("response.body"));
    let base64 = between(&body, "<XmlUpdateBlobCompressed>", "</").expect("a compressed blob");
    let xml = decode_compressed_blob(base64).expect("blob decodes");

    assert_eq!(xml.replace('\u{a0}', " "), expected);
    let doc = parse_update(&xml).expect("decoded blob parses");
    assert_eq!(
        (doc.id.update_id.as_str(), doc.id.revision.to_string()),
        (id, revision.to_owned())
    );
    let bundle = Text::new(&expected);
    assert_eq!(
        doc.bundled.len(),
        lower_ids(bundle.section("BundledUpdates").unwrap_or_default()).len()
    );
}

/// The recorded cabinet of exchange 000013, as bytes.
fn recorded_cabinet() -> Vec<u8> {
    let body = read(&fixtures().join("wsusss/exchanges/000013/response.body"));
    let base64 = between(&body, "<XmlUpdateBlobCompressed>", "</").expect("a compressed blob");
    base64::engine::general_purpose::STANDARD
        .decode(base64)
        .expect("recorded blob is base64")
}

/// Zeroes every CFDATA checksum (MS-CAB: 0 means "not checked") so that corrupted data
/// reaches the LZX decoder instead of being caught by the checksum.
fn without_checksums(mut cabinet: Vec<u8>) -> Vec<u8> {
    let u16_at = |c: &[u8], i: usize| usize::from(u16::from_le_bytes([c[i], c[i + 1]]));
    let first_block = u32::from_le_bytes([cabinet[36], cabinet[37], cabinet[38], cabinet[39]]);
    let mut at = usize::try_from(first_block).expect("offset fits");
    for _ in 0..u16_at(&cabinet, 40) {
        cabinet[at..at + 4].fill(0);
        at += 8 + u16_at(&cabinet, at + 4);
    }
    cabinet
}

#[test]
fn truncated_blobs_are_errors() {
    let engine = base64::engine::general_purpose::STANDARD;
    let cabinet = recorded_cabinet();
    for cut in (0..cabinet.len()).step_by(61) {
        assert!(
            decode_compressed_blob(&engine.encode(&cabinet[..cut])).is_err(),
            "cut {cut}"
        );
    }
}

#[test]
fn corrupted_blobs_give_errors_or_text_never_panics() {
    let engine = base64::engine::general_purpose::STANDARD;
    let cabinet = without_checksums(recorded_cabinet());
    assert!(
        decode_compressed_blob(&engine.encode(&cabinet)).is_ok(),
        "unchecked cabinet reads"
    );
    for at in (0..cabinet.len()).step_by(37) {
        for flip in [0x01u8, 0xff] {
            let mut bad = cabinet.clone();
            bad[at] ^= flip;
            // Either outcome is fine; what matters is returning at all.
            let _ = decode_compressed_blob(&engine.encode(&bad));
        }
    }
}

// ---- faults --------------------------------------------------------------------------------

fn expected_fault(body: &str) -> SoapFault {
    let code = between(body, "<faultcode>", "<").expect("faultcode");
    // Empty elements (`<Message></Message>`) read as absent.
    let part = |name: &str| {
        between(body, &format!("<{name}>"), "<")
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };
    SoapFault {
        code: code.rsplit(':').next().unwrap_or(code).to_owned(),
        message: between(body, "<faultstring>", "<").expect("faultstring").to_owned(),
        error_code: part("ErrorCode"),
        detail_message: part("Message"),
        actor: part("faultactor"),
        id: part("ID"),
        method: part("Method").map(|m| unescape(&m)),
    }
}

#[test]
fn recorded_faults_are_read_with_their_error_code() {
    let dirs = fault_exchanges();
    assert!(!dirs.is_empty(), "no fault exchanges recorded");
    for dir in dirs {
        let body = read(&dir.join("response.body"));
        let expected = expected_fault(&body);
        assert!(expected.error_code.is_some(), "{}", dir.display());
        assert_eq!(parse_fault(&body), Some(expected.clone()), "{}", dir.display());
        assert_eq!(
            parse_get_update_data_response(&body),
            Err(WsusError::Fault(Box::new(expected)))
        );
    }
}

#[test]
fn soap11_sample_faults_are_read() {
    for name in ["fault_soap11_invalid_cookie.xml", "fault_soap11_no_errorcode.xml"] {
        let body = sample(name);
        assert_eq!(parse_fault(&body), Some(expected_fault(&body)), "{name}");
    }
}

#[test]
fn answers_that_are_not_faults_give_no_fault() {
    for dir in get_update_data_exchanges() {
        assert_eq!(parse_fault(&read(&dir.join("response.body"))), None);
    }
}

// ---- protocol samples ----------------------------------------------------------------------

#[test]
fn metadata_update_core_parses_with_unknown_elements_ignored() {
    let text = sample("metadata_update_core.xml");
    let t = Text::new(&text);
    assert_eq!(t.prefix, "", "this sample uses a default namespace");
    let doc = parse_update(&text).expect("sample parses");

    let own = t.start_tags(&text, "UpdateIdentity")[0];
    assert_eq!(Some(doc.id.update_id.clone()), attr(own, "UpdateID"));
    assert_eq!(Some(doc.id.revision.to_string()), attr(own, "RevisionNumber"));
    assert_eq!(
        doc.explicitly_deployable,
        t.attr_of("Properties", "ExplicitlyDeployable").map(|v| v == "true")
    );

    let prereq = t.section("Prerequisites").expect("prerequisites");
    let bare = t.start_tags(prereq.split("<AtLeastOne").next().unwrap_or_default(), "UpdateIdentity");
    let single: Vec<_> = doc.prerequisites.iter().filter(|g| !g.at_least_one).collect();
    assert_eq!(single.len(), bare.len());
    assert!(single.iter().all(|g| g.update_ids.len() == 1 && !g.is_category));
    let group = between(prereq, "<AtLeastOne IsCategory=\"true\">", "</AtLeastOne>").expect("group");
    let groups: Vec<_> = doc.prerequisites.iter().filter(|g| g.at_least_one).collect();
    assert_eq!(groups.len(), 1);
    assert!(groups[0].is_category);
    assert_eq!(groups[0].update_ids, lower_ids(group));

    let bundle = t.section("BundledUpdates").expect("bundled updates");
    assert!(
        bundle.contains("<AtLeastOne>"),
        "the sample nests bundle members in AtLeastOne"
    );
    let ids: Vec<String> = doc.bundled.iter().map(|r| r.update_id.clone()).collect();
    assert_eq!(ids, lower_ids(bundle));
    assert_eq!(
        doc.supersedes,
        lower_ids(t.section("SupersededUpdates").expect("superseded"))
    );

    let file_tag = t.start_tags(&text, "File")[0];
    assert_eq!(doc.files.len(), 1);
    assert_eq!(doc.files[0].patching_type, attr(file_tag, "PatchingType"));
    assert_eq!(doc.files[0].modified, attr(file_tag, "Modified"));
    let sha256 = between(&text, "Algorithm=\"SHA256\">", "<").map(str::to_owned);
    assert_eq!(doc.files[0].sha256, sha256);
    assert!(doc.localized.is_empty());
}

#[test]
fn an_update_with_strict_applicability_rules_parses() {
    let text = sample("applicability_rules_strict.xml");
    let doc = parse_update(&text).expect("sample parses");
    let t = Text::new(&text);
    assert_eq!(Some(doc.id.update_id.clone()), t.attr_of("UpdateIdentity", "UpdateID"));
    assert_eq!(
        Some(format!("{:?}", doc.update_type)),
        t.attr_of("Properties", "UpdateType")
    );
}

#[test]
fn the_malformed_sample_is_an_error_everywhere() {
    let text = sample("malformed_unclosed.xml");
    assert!(parse_update(&text).is_err(), "a SOAP envelope, and a broken one");
    assert!(parse_get_update_data_response(&text).is_err());
    assert_eq!(parse_fault(&text), None);
}

#[test]
fn the_external_entity_sample_is_refused_without_resolving_anything() {
    let text = sample("dtd_external_entity.xml");
    for result in [
        parse_update(&text).map(|_| ()),
        parse_get_update_data_response(&text).map(|_| ()),
    ] {
        let err = result.expect_err("a DTD is refused");
        assert!(matches!(err, WsusError::MalformedXml { .. }), "{err}");
        assert!(err.to_string().contains("DTD"), "{err}");
    }
    assert_eq!(parse_fault(&text), None);
}

#[test]
fn truncated_update_documents_are_errors() {
    for path in update_files() {
        let text = read(&path);
        let cuts = text.char_indices().map(|(i, _)| i).skip(1).step_by(211);
        for cut in cuts {
            assert!(parse_update(&text[..cut]).is_err(), "{} cut at {cut}", path.display());
        }
    }
}

#[test]
fn no_recorded_body_makes_any_parser_panic() {
    let mut bodies: Vec<PathBuf> = sorted_dir(&fixtures().join("protocol-samples"));
    for dir in wsusss_exchange_dirs() {
        bodies.extend(["request.body", "response.body"].map(|f| dir.join(f)));
    }
    bodies.extend(update_files());
    for path in bodies.into_iter().filter(|p| p.is_file()) {
        let text = read(&path);
        let _ = parse_update(&text);
        let _ = parse_get_update_data_response(&text);
        let _ = parse_fault(&text);
    }
}
