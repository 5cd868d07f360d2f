//! [`wsus::wusp::fragments::split`] against the fragments a real WSUS sent a Windows Update
//! Agent for the same revisions:
//!
//! 1. the 9 documents of `wsusss/updates` give the core, extended and English fragments of
//!    `wusp/reference` byte for byte (every file of that folder is compared);
//! 2. they give the fragments of the native captures (`wusp/native`) too, which also hold the
//!    extended fragments of the categories and hidden bundles and two localized fragments that
//!    `reference` leaves out;
//! 3. the real servicing fragments of `servicing/cbs` (CBS manifests, OS installer metadata),
//!    put back into an update document, come back out unchanged;
//! 4. documents cut short, corrupted or of another kind give errors, never a panic.
//!
//! Expected fragments are the recorded files themselves, never typed in.

use std::collections::HashMap;
use std::path::Path;

use wsus::wusp::fragments::{split, Fragments};
use wsus::WsusError;

mod common;

use common::{all_between, between, fixtures, noisy_copies, prefixes, read, sorted_dir, text_of, texts_of, unescape};

/// `(file stem, document)` of each update of `wsusss/updates`, e.g.
/// `a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200`.
fn update_documents() -> Vec<(String, String)> {
    let docs: Vec<(String, String)> = sorted_dir(&fixtures().join("wsusss/updates"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| {
            let stem = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            (stem, read(&p))
        })
        .collect();
    assert_eq!(docs.len(), 9, "the README describes 9 update documents");
    docs
}

fn split_ok(stem: &str, xml: &str) -> Fragments {
    split(xml).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

/// The recorded English fragment of KB2267602 has its `SupportUrl` link id replaced by
/// `REDACTED` (fixtures README); the document keeps the real id. So that the comparison stays
/// byte for byte everywhere else, ours gets the same redaction, and only where the recording
/// has it.
fn as_recorded(ours: &str, recorded: &str) -> String {
    const MARK: &str = "LinkId=";
    if !recorded.contains("LinkId=REDACTED") {
        return ours.to_owned();
    }
    let mut out = String::new();
    let mut rest = ours;
    while let Some(at) = rest.find("<SupportUrl>") {
        let (before, url) = rest.split_at(at);
        out.push_str(before);
        let end = url.find("</SupportUrl>").unwrap_or(url.len());
        let (url, after) = url.split_at(end);
        match url.find(MARK) {
            Some(id) => {
                let digits = url[id + MARK.len()..].chars().take_while(char::is_ascii_digit).count();
                assert!(digits > 0, "no numeric link id to redact in {url}");
                out.push_str(&url[..id + MARK.len()]);
                out.push_str("REDACTED");
                out.push_str(&url[id + MARK.len() + digits..]);
            }
            None => out.push_str(url),
        }
        rest = after;
    }
    out.push_str(rest);
    assert_ne!(out, ours, "the recording is redacted but ours had nothing to redact");
    out
}

fn english(stem: &str, fragments: &Fragments) -> String {
    let en: Vec<_> = fragments.localized.iter().filter(|l| l.language == "en").collect();
    assert_eq!(en.len(), 1, "{stem}: one English fragment");
    en[0].xml.clone()
}

fn read_if_present(path: &Path) -> Option<String> {
    path.is_file().then(|| read(path))
}

#[test]
fn every_revision_splits_into_the_fragments_wsus_sent() {
    let reference = fixtures().join("wusp/reference");
    let mut compared = 0;
    for (stem, xml) in update_documents() {
        let fragments = split_ok(&stem, &xml);
        let core = read(&reference.join(format!("{stem}.core.xml")));
        assert_eq!(fragments.core, core, "{stem}: core");
        compared += 1;
        if let Some(extended) = read_if_present(&reference.join(format!("{stem}.extended.xml"))) {
            assert_eq!(fragments.extended, extended, "{stem}: extended");
            compared += 1;
        }
        if let Some(localized) = read_if_present(&reference.join(format!("{stem}.localized-en.xml"))) {
            assert_eq!(
                as_recorded(&english(&stem, &fragments), &localized),
                localized,
                "{stem}: en"
            );
            compared += 1;
        }
    }
    assert_eq!(
        compared,
        sorted_dir(&reference).len(),
        "every reference file was compared"
    );
}

#[test]
fn every_language_of_a_document_has_its_fragment_in_document_order() {
    for (stem, xml) in update_documents() {
        let fragments = split_ok(&stem, &xml);
        let languages = texts_of(&xml, "upd:Language");
        let ours: Vec<&str> = fragments.localized.iter().map(|l| l.language.as_str()).collect();
        assert_eq!(ours, languages, "{stem}");
        let titles = texts_of(&xml, "upd:Title");
        for (fragment, title) in fragments.localized.iter().zip(titles) {
            let opening = format!("<LocalizedProperties><Language>{}</Language>", fragment.language);
            assert!(fragment.xml.starts_with(&opening), "{stem}: {}", fragment.xml);
            assert_eq!(text_of(&fragment.xml, "Title"), Some(title), "{stem}");
            assert!(fragment.xml.ends_with("</LocalizedProperties>"), "{stem}");
        }
    }
}

/// Every fragment of the native captures by revision id: the core ones of the `SyncUpdates`
/// answers, the others of the `GetExtendedUpdateInfo` answers, told apart by their first element
/// (the answer does not label them).
#[derive(Default)]
struct Captured {
    core: HashMap<String, String>,
    extended: HashMap<String, String>,
    localized: HashMap<String, String>,
}

fn captured() -> Captured {
    let mut captured = Captured::default();
    for set in ["scan", "flow"] {
        for dir in sorted_dir(&fixtures().join("wusp/native").join(set)) {
            let Some(body) = read_if_present(&dir.join("response.body")) else {
                continue;
            };
            for info in all_between(&body, "<UpdateInfo>", "</UpdateInfo>") {
                let (Some(id), Some(xml)) = (text_of(info, "ID"), text_of(info, "Xml")) else {
                    continue;
                };
                captured.core.insert(id.to_owned(), unescape(xml));
            }
            for data in all_between(&body, "<Update>", "</Update>") {
                let (Some(id), Some(xml)) = (text_of(data, "ID"), text_of(data, "Xml")) else {
                    continue;
                };
                let xml = unescape(xml);
                let kind = if xml.starts_with("<LocalizedProperties>") {
                    &mut captured.localized
                } else {
                    &mut captured.extended
                };
                kind.insert(id.to_owned(), xml);
            }
        }
    }
    captured
}

#[test]
fn the_native_captures_hold_the_same_fragments_for_every_revision() {
    let captured = captured();
    // Revision ids of the captures, by the `<UpdateID>-r<RevisionNumber>` of their core fragment.
    let ids: HashMap<String, &String> = captured
        .core
        .iter()
        .filter_map(|(id, core)| {
            let update = between(core, "UpdateID=\"", "\"")?.to_ascii_lowercase();
            let revision = between(core, "RevisionNumber=\"", "\"")?;
            Some((format!("{update}-r{revision}"), id))
        })
        .collect();
    let mut compared = [0; 3];
    for (stem, xml) in update_documents() {
        let fragments = split_ok(&stem, &xml);
        let id = ids
            .get(&stem)
            .unwrap_or_else(|| panic!("{stem}: not in the native captures"));
        assert_eq!(Some(&fragments.core), captured.core.get(*id), "{stem}: core");
        compared[0] += 1;
        if let Some(extended) = captured.extended.get(*id) {
            assert_eq!(&fragments.extended, extended, "{stem}: extended");
            compared[1] += 1;
        }
        if let Some(localized) = captured.localized.get(*id) {
            assert_eq!(
                &as_recorded(&english(&stem, &fragments), localized),
                localized,
                "{stem}: en"
            );
            compared[2] += 1;
        }
    }
    // The captures hold all three fragments of each of the 9 revisions: none may be missed.
    assert_eq!(compared, [9, 9, 9]);
}

/// An update document made of a real core and extended fragment: the inverse of the split,
/// with the document's own conventions (a default namespace, `bar:` for the base rules,
/// `xsi:type`, the server-side properties) put back. The rule elements other than the base
/// ones land in the update namespace rather than their own, which gives the same fragments.
fn as_update_document(core: &str, extended: &str) -> String {
    let core_properties = format!(
        "<Properties {} />",
        between(core, "<Properties ", " />").unwrap_or_default()
    );
    let extended_end = match extended.find("</ExtendedProperties>") {
        Some(at) => at + "</ExtendedProperties>".len(),
        None => extended.find(" />").map(|at| at + 3).unwrap_or_default(),
    };
    let (extended_properties, rest) = extended.split_at(extended_end);
    let properties = extended_properties
        .replacen(
            "<ExtendedProperties",
            &format!(
                "<Properties {} PublicationState=\"Published\" CreationDate=\"2025-09-08T17:31:31Z\" IsPublic=\"false\"",
                between(&core_properties, "<Properties ", " />").unwrap_or_default()
            ),
            1,
        )
        .replace("</ExtendedProperties>", "</Properties>");
    let body = format!(
        "{}{}",
        core.replacen(&core_properties, &properties, 1),
        rest.replace(" type=\"", " xsi:type=\"")
    );
    format!(
        "<Update xmlns=\"http://schemas.microsoft.com/msus/2002/12/Update\" \
         xmlns:bar=\"http://schemas.microsoft.com/msus/2002/12/BaseApplicabilityRules\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{}</Update>",
        body.replace("<b.", "<bar:").replace("</b.", "</bar:")
    )
}

#[test]
fn real_servicing_fragments_come_back_from_a_document_made_of_them() {
    let dir = fixtures().join("servicing/cbs");
    let pairs = [
        ("cbs-dotnet-core-reduced.xml", "cbs-dotnet-extended.xml"),
        ("cbs-rollupfix-core-reduced.xml", "cbs-rollupfix-extended.xml"),
        ("osinstaller-core.xml", "osinstaller-extended.xml"),
    ];
    for (core_file, extended_file) in pairs {
        let core = read(&dir.join(core_file));
        let extended = read(&dir.join(extended_file));
        let document = as_update_document(&core, &extended);
        assert!(document.contains("xsi:type=") && document.contains("PublicationState="));
        let fragments = split_ok(core_file, &document);
        // The source's reduction left the emptied `package` element with an end tag; a
        // fragment writes an empty element `<X />`, as WSUS writes all the others.
        let expected_core = core.replace("></package>", " />");
        assert_eq!(fragments.core, expected_core, "{core_file}");
        assert_eq!(fragments.extended, extended, "{extended_file}");
        assert!(fragments.localized.is_empty());
    }
}

#[test]
fn documents_cut_short_are_malformed_and_corrupted_ones_never_panic() {
    for (stem, xml) in update_documents() {
        for cut in prefixes(&xml, 150) {
            match split(cut) {
                Err(WsusError::MalformedXml { .. }) => {}
                other => panic!("{stem} cut to {} bytes: {other:?}", cut.len()),
            }
        }
        let errors = noisy_copies(&xml).filter(|bad| split(bad).is_err()).count();
        assert!(errors > 0, "{stem}: no corrupted copy was refused");
    }
}

#[test]
fn a_soap_answer_is_not_an_update_document() {
    let body = read(&fixtures().join("wusp/native/scan/000010/response.body"));
    match split(&body) {
        Err(WsusError::UnexpectedElement { expected, found, .. }) => {
            assert_eq!(expected, "Update");
            assert_eq!(Some(found.as_str()), between(&body, "<", " "));
        }
        other => panic!("{other:?}"),
    }
}
