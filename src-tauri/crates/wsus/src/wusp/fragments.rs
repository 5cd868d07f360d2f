//! The [MS-WUSP] fragments of an update: a stored [MS-WSUSSS] update document cut into the
//! pieces a Windows Update Agent is sent, written as WSUS writes them.
//!
//! A site keeps each revision as the whole document its upstream sent, but a client never sees
//! that document: `SyncUpdates` carries the **core** fragment in `UpdateInfo/Xml`, and
//! `GetExtendedUpdateInfo` the **extended** one and one **localized** one per language. Which
//! part goes where, and how it is spelled, was read off the fragments a real WSUS sent for the
//! same revisions (`shared/fixtures/wusp/reference` and `wusp/native`); [`split`] gives them back
//! byte for byte:
//!
//! | fragment | what it holds |
//! |---|---|
//! | core | `UpdateIdentity`, `Properties` cut down to the attributes a scan needs (`CORE_PROPERTIES`), `Relationships`, `ApplicabilityRules` |
//! | extended | `ExtendedProperties`: the other `Properties` attributes in document order, less the server-side ones, then the children of `Properties`; then `Files` and `HandlerSpecificData` |
//! | localized | one `LocalizedProperties` element, whole |
//!
//! The fragments declare no namespace. Every element of the `http://schemas.microsoft.com/msus/`
//! schemas is written by its local name, except the base applicability rules, which WSUS writes
//! `b.RegDword`; attribute prefixes are dropped (`xsi:type` becomes `type`). Content of any other
//! namespace (the CBS package manifest inside `ApplicabilityRules/Metadata`) keeps its names and
//! declarations, as the servicing fixtures show it. Empty elements are written `<X />`,
//! whitespace between elements is dropped and text and attributes are escaped again, so the same
//! update in another prefix or layout gives the same fragments.
//!
//! It runs while a client waits, for up to 50 revisions a page: one streaming pass of quick-xml,
//! no tree, each fragment written as its part of the document is read.
//!
//! **Architecture invariant:** like the rest of [`crate::wusp`], this knows nothing of the site;
//! it turns one document into strings, and never panics on input.

use std::borrow::Cow;

use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{PrefixDeclaration, QName, ResolveResult};
use quick_xml::NsReader;

use crate::error::WsusError;

const CONTEXT: &str = "update XML";

/// The schemas whose elements lose their namespace in a fragment.
const MSUS_NAMESPACES: &str = "http://schemas.microsoft.com/msus/";

/// The namespaces whose elements keep a short prefix instead. Only `b.` is in the captures;
/// `m.` and `d.` are the names Microsoft's own client-sync server (update-server-server-sync)
/// gives MSI rules and driver metadata, which no fixture holds.
const SHORT_PREFIXES: [(&str, &str); 3] = [
    ("http://schemas.microsoft.com/msus/2002/12/BaseApplicabilityRules", "b."),
    ("http://schemas.microsoft.com/msus/2002/12/MsiApplicabilityRules", "m."),
    (
        "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/WindowsDriver",
        "d.",
    ),
];

/// How a core attribute is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// As the document states it.
    Value,
    /// `"true"` when true, left out when false: WSUS sends no `ExplicitlyDeployable="false"`
    /// (category `dd78b8a1` states it, its core fragment does not).
    Flag,
}

/// The `Properties` attributes of the core fragment, in the order WSUS writes them whatever the
/// document's order (`a2fef9b0` states `AutoSelectOnWebSites` first). The captures show the
/// first three. No fixture has `EulaID`, `PerUser="true"` or `OSUpgrade`: they are here because
/// a scan reads them (Microsoft's client-sync server keeps `EulaID` and `OSUpgrade` in core,
/// Windows Update's own service sends `PerUser` there), and their place after the first three is
/// a guess. None of them appears in the extended fragment (`dd78b8a1` has `PerUser="false"` in
/// neither).
///
/// Each as `(attribute, field named in errors, how it is written)`.
const CORE_PROPERTIES: [(&str, &str, Kind); 6] = [
    ("UpdateType", "Properties/@UpdateType", Kind::Value),
    ("ExplicitlyDeployable", "Properties/@ExplicitlyDeployable", Kind::Flag),
    ("AutoSelectOnWebSites", "Properties/@AutoSelectOnWebSites", Kind::Flag),
    ("EulaID", "Properties/@EulaID", Kind::Value),
    ("PerUser", "Properties/@PerUser", Kind::Flag),
    ("OSUpgrade", "Properties/@OSUpgrade", Kind::Flag),
];

/// `Properties` attributes that stay on the server: no fragment carries them. The captures show
/// the first four dropped; `LegacyName` and `DetectoidType` are administration data too.
const SERVER_ONLY_PROPERTIES: [&str; 6] = [
    "PublicationState",
    "PublisherID",
    "CreationDate",
    "IsPublic",
    "LegacyName",
    "DetectoidType",
];

/// The fragments of one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragments {
    /// `UpdateInfo/Xml` of `SyncUpdates`.
    pub core: String,
    /// Fragment type `Extended` of `GetExtendedUpdateInfo`. Every update has one, if only
    /// `<ExtendedProperties DefaultPropertiesLanguage="en" />` (the hidden bundle members and the
    /// categories of the captures), so it is not optional.
    pub extended: String,
    /// Fragment type `LocalizedProperties`, one per language, in document order.
    pub localized: Vec<LocalizedFragment>,
}

/// One `LocalizedProperties` fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalizedFragment {
    /// The `Language` text, trimmed, as the document states it (`en`, `pt-br`...).
    pub language: String,
    pub xml: String,
}

/// Cuts one update document into its fragments. Tolerates any prefix or a default namespace, a
/// leading BOM, an XML declaration and indentation; refuses a DTD, a document cut short, a root
/// other than `Update`, an update without `UpdateIdentity`, `Properties` or
/// `Properties/@UpdateType`, and the top-level elements out of schema order or twice (the
/// fragments depend on that order). Top-level elements no fragment holds are passed over.
pub fn split(update_xml: &str) -> Result<Fragments, WsusError> {
    let xml = update_xml.strip_prefix('\u{feff}').unwrap_or(update_xml);
    Splitter::new(xml).split()
}

/// The top-level elements a fragment holds, in the order the update schema gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    UpdateIdentity,
    Properties,
    LocalizedPropertiesCollection,
    Relationships,
    ApplicabilityRules,
    Files,
    HandlerSpecificData,
}

impl Section {
    const ALL: [Section; 7] = [
        Section::UpdateIdentity,
        Section::Properties,
        Section::LocalizedPropertiesCollection,
        Section::Relationships,
        Section::ApplicabilityRules,
        Section::Files,
        Section::HandlerSpecificData,
    ];

    fn name(self) -> &'static str {
        match self {
            Section::UpdateIdentity => "UpdateIdentity",
            Section::Properties => "Properties",
            Section::LocalizedPropertiesCollection => "LocalizedPropertiesCollection",
            Section::Relationships => "Relationships",
            Section::ApplicabilityRules => "ApplicabilityRules",
            Section::Files => "Files",
            Section::HandlerSpecificData => "HandlerSpecificData",
        }
    }

    fn of(local_name: &[u8]) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name().as_bytes() == local_name)
    }
}

struct Splitter<'a> {
    input: &'a str,
    reader: NsReader<&'a [u8]>,
    /// Prefixes the open elements of a foreign namespace have declared in the output, with the
    /// depth of the element that declared each: whatever they use beyond these must be
    /// declared again, since the msus elements above them lost their declarations.
    foreign_scope: Vec<(Vec<u8>, usize)>,
}

impl<'a> Splitter<'a> {
    fn new(xml: &'a str) -> Self {
        let mut reader = NsReader::from_str(xml);
        reader.config_mut().check_end_names = true;
        Splitter {
            input: xml,
            reader,
            foreign_scope: Vec::new(),
        }
    }

    fn split(mut self) -> Result<Fragments, WsusError> {
        let (root, root_is_empty) = self.root()?;
        if root.local_name().as_ref() != b"Update" {
            return Err(WsusError::UnexpectedElement {
                context: CONTEXT,
                expected: "Update",
                found: lossy(root.name().as_ref()).into_owned(),
            });
        }
        if root_is_empty {
            self.finish()?;
            return Err(WsusError::MissingElement("UpdateIdentity"));
        }
        let mut out = Fragments {
            // The core fragment is most of a document without its languages.
            core: String::with_capacity(self.input.len() / 2),
            extended: String::with_capacity(512),
            localized: Vec::new(),
        };
        let mut last: Option<Section> = None;
        let (mut has_identity, mut has_properties) = (false, false);
        loop {
            let (start, empty) = match self.next_event()? {
                Event::Start(start) => (start, false),
                Event::Empty(start) => (start, true),
                Event::End(_) => break,
                Event::Eof => return Err(self.unclosed()),
                _ => continue,
            };
            let Some(section) = Section::of(start.local_name().as_ref()) else {
                if !empty {
                    self.skip()?;
                }
                continue;
            };
            if let Some(previous) = last.filter(|previous| *previous >= section) {
                return Err(self.malformed(format!(
                    "<{}> after <{}>: the elements of an update must come in schema order, each once",
                    section.name(),
                    previous.name()
                )));
            }
            last = Some(section);
            match section {
                Section::UpdateIdentity => {
                    has_identity = true;
                    self.copy_element(&mut out.core, &start, empty, section.name())?;
                }
                Section::Properties => {
                    has_properties = true;
                    self.properties(&mut out.core, &mut out.extended, &start, empty)?;
                }
                Section::LocalizedPropertiesCollection if !empty => self.localized(&mut out.localized)?,
                Section::LocalizedPropertiesCollection => {}
                Section::Relationships | Section::ApplicabilityRules => {
                    self.copy_element(&mut out.core, &start, empty, section.name())?;
                }
                Section::Files | Section::HandlerSpecificData => {
                    self.copy_element(&mut out.extended, &start, empty, section.name())?;
                }
            }
        }
        self.finish()?;
        if !has_identity {
            return Err(WsusError::MissingElement("UpdateIdentity"));
        }
        if !has_properties {
            return Err(WsusError::MissingElement("Properties"));
        }
        Ok(out)
    }

    /// `Properties` into the core `Properties` and the extended `ExtendedProperties`.
    fn properties(
        &mut self,
        core: &mut String,
        extended: &mut String,
        start: &BytesStart,
        empty: bool,
    ) -> Result<(), WsusError> {
        let mut core_values: [Option<String>; CORE_PROPERTIES.len()] = Default::default();
        extended.push_str("<ExtendedProperties");
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.malformed(format!("in <Properties>: {e}")))?;
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            let name = self.utf8(attr.key.local_name().into_inner())?;
            if let Some(at) = CORE_PROPERTIES.iter().position(|(core, _, _)| *core == name) {
                core_values[at] = Some(self.attr_value(&attr.value)?.into_owned());
            } else if !SERVER_ONLY_PROPERTIES.contains(&name) {
                push_attr(extended, name, &self.attr_value(&attr.value)?);
            }
        }
        core.push_str("<Properties");
        for ((name, field, kind), value) in CORE_PROPERTIES.iter().zip(&core_values) {
            match (value, kind) {
                (None, _) => {}
                (Some(value), Kind::Value) => push_attr(core, name, value),
                (Some(value), Kind::Flag) => {
                    if flag(value, field)? {
                        push_attr(core, name, "true");
                    }
                }
            }
        }
        if core_values[0].as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(WsusError::MissingElement("Properties/@UpdateType"));
        }
        core.push_str(" />");
        if empty {
            extended.push_str(" />");
            Ok(())
        } else {
            self.copy_content(extended, "ExtendedProperties", None)
        }
    }

    /// Each `LocalizedProperties` of the `LocalizedPropertiesCollection` just opened.
    fn localized(&mut self, list: &mut Vec<LocalizedFragment>) -> Result<(), WsusError> {
        loop {
            match self.next_event()? {
                Event::Start(start) if start.local_name().as_ref() == b"LocalizedProperties" => {
                    let mut xml = String::with_capacity(256);
                    xml.push_str("<LocalizedProperties");
                    self.push_plain_attributes(&mut xml, &start)?;
                    let mut language = String::new();
                    self.copy_content(&mut xml, "LocalizedProperties", Some(&mut language))?;
                    let trimmed = language.trim();
                    if trimmed.is_empty() {
                        return Err(WsusError::MissingElement("LocalizedProperties/Language"));
                    }
                    if trimmed.len() != language.len() {
                        language = trimmed.to_owned();
                    }
                    list.push(LocalizedFragment { language, xml });
                }
                Event::Empty(start) if start.local_name().as_ref() == b"LocalizedProperties" => {
                    return Err(WsusError::MissingElement("LocalizedProperties/Language"));
                }
                Event::Start(_) => self.skip()?,
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.unclosed()),
                _ => {}
            }
        }
    }

    /// A top-level element, renamed to its bare `name`, with all it holds.
    fn copy_element(&mut self, out: &mut String, start: &BytesStart, empty: bool, name: &str) -> Result<(), WsusError> {
        out.push('<');
        out.push_str(name);
        self.push_plain_attributes(out, start)?;
        if empty {
            out.push_str(" />");
            Ok(())
        } else {
            self.copy_content(out, name, None)
        }
    }

    /// Copies everything inside the element whose start tag `out` ends with (its `>` not yet
    /// written) through its end tag, written `</end>`, or ` />` when the element held nothing.
    /// With `language`, gathers the text of its `Language` child there.
    fn copy_content(
        &mut self,
        out: &mut String,
        end: &str,
        mut language: Option<&mut String>,
    ) -> Result<(), WsusError> {
        let mut depth = 0usize;
        // The last start tag written still lacks its `>`: whether the element ends as `<X />`
        // is only known at the next event.
        let mut open_tag = true;
        let mut in_language = false;
        loop {
            match self.next_event()? {
                Event::Start(start) => {
                    close_open_tag(out, &mut open_tag);
                    depth += 1;
                    in_language = depth == 1 && language.is_some() && start.local_name().as_ref() == b"Language";
                    self.push_start(out, &start, depth)?;
                    open_tag = true;
                }
                Event::Empty(start) => {
                    close_open_tag(out, &mut open_tag);
                    self.push_start(out, &start, depth + 1)?;
                    out.push_str(" />");
                    self.leave_foreign(depth + 1);
                }
                Event::Text(text) if is_blank(&text) => {}
                event @ (Event::Text(_) | Event::CData(_)) => {
                    // Both events deref to their raw text; only a CDATA section's is not escaped.
                    let text = self.text_value(&event, matches!(event, Event::Text(_)))?;
                    if let Some(language) = language.as_mut().filter(|_| in_language) {
                        language.push_str(&text);
                    }
                    close_open_tag(out, &mut open_tag);
                    push_escaped(out, &text, false);
                }
                Event::End(end_tag) => {
                    if open_tag {
                        out.push_str(" />");
                        open_tag = false;
                    } else {
                        out.push_str("</");
                        if depth == 0 {
                            out.push_str(end);
                        } else {
                            self.push_name(out, end_tag.name())?;
                        }
                        out.push('>');
                    }
                    if depth == 0 {
                        return Ok(());
                    }
                    self.leave_foreign(depth);
                    depth -= 1;
                    in_language = false;
                }
                Event::Eof => return Err(self.unclosed()),
                // Comments and processing instructions are no part of a fragment.
                _ => {}
            }
        }
    }

    /// The start tag of an element inside a copied one, without its closing `>`.
    fn push_start(&mut self, out: &mut String, start: &BytesStart, depth: usize) -> Result<(), WsusError> {
        match self.short_prefix(start.name())? {
            Some(prefix) => {
                out.push('<');
                out.push_str(prefix);
                out.push_str(self.utf8(start.local_name().into_inner())?);
                self.push_plain_attributes(out, start)
            }
            None => self.push_foreign_start(out, start, depth),
        }
    }

    /// An end tag's name, as [`Splitter::push_start`] wrote it.
    fn push_name(&self, out: &mut String, name: QName) -> Result<(), WsusError> {
        match self.short_prefix(name)? {
            Some(prefix) => {
                out.push_str(prefix);
                out.push_str(self.utf8(name.local_name().into_inner())?);
            }
            None => out.push_str(self.utf8(name.into_inner())?),
        }
        Ok(())
    }

    /// What an element's name starts with in a fragment (`""`, `"b."`...), or `None` when it
    /// is of a foreign namespace and keeps its name as written.
    fn short_prefix(&self, name: QName) -> Result<Option<&'static str>, WsusError> {
        match self.reader.resolve_element(name).0 {
            ResolveResult::Bound(ns) => {
                let ns = ns.into_inner();
                if let Some((_, prefix)) = SHORT_PREFIXES.iter().find(|(uri, _)| uri.as_bytes() == ns) {
                    return Ok(Some(prefix));
                }
                Ok(ns.starts_with(MSUS_NAMESPACES.as_bytes()).then_some(""))
            }
            ResolveResult::Unbound => Ok(Some("")),
            ResolveResult::Unknown(prefix) => Err(self.malformed(format!(
                "element <{}> uses the undeclared namespace prefix {}",
                lossy(name.into_inner()),
                lossy(&prefix)
            ))),
        }
    }

    /// The attributes of an msus element: declarations left out, prefixes dropped.
    fn push_plain_attributes(&self, out: &mut String, start: &BytesStart) -> Result<(), WsusError> {
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.malformed(format!("in <{}>: {e}", lossy(start.name().into_inner()))))?;
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            let name = self.utf8(attr.key.local_name().into_inner())?;
            push_attr(out, name, &self.attr_value(&attr.value)?);
        }
        Ok(())
    }

    /// The start tag of an element of a foreign namespace, names and declarations as written,
    /// plus a declaration of each prefix it uses that its own output ancestors do not declare.
    fn push_foreign_start(&mut self, out: &mut String, start: &BytesStart, depth: usize) -> Result<(), WsusError> {
        let name = start.name();
        out.push('<');
        out.push_str(self.utf8(name.into_inner())?);
        let mut own: Vec<&[u8]> = Vec::new();
        let mut used: Vec<(QName, bool)> = vec![(name, false)];
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.malformed(format!("in <{}>: {e}", lossy(name.into_inner()))))?;
            match attr.key.as_namespace_binding() {
                Some(PrefixDeclaration::Default) => own.push(b""),
                Some(PrefixDeclaration::Named(prefix)) => own.push(prefix),
                None if attr.key.prefix().is_some_and(|p| p.into_inner() != b"xml") => used.push((attr.key, true)),
                None => {}
            }
            push_attr(out, self.utf8(attr.key.into_inner())?, &self.attr_value(&attr.value)?);
        }
        for (qname, is_attribute) in used {
            let prefix = qname.prefix().map_or(&b""[..], |p| p.into_inner());
            if own.contains(&prefix) || self.foreign_scope.iter().any(|(p, _)| p.as_slice() == prefix) {
                continue;
            }
            let resolved = if is_attribute {
                self.reader.resolve_attribute(qname).0
            } else {
                self.reader.resolve_element(qname).0
            };
            let ResolveResult::Bound(ns) = resolved else {
                return Err(self.malformed(format!(
                    "<{}> uses the undeclared namespace prefix {}",
                    lossy(name.into_inner()),
                    lossy(prefix)
                )));
            };
            out.push_str(" xmlns");
            if !prefix.is_empty() {
                out.push(':');
                out.push_str(self.utf8(prefix)?);
            }
            out.push_str("=\"");
            push_escaped(out, self.utf8(ns.into_inner())?, true);
            out.push('"');
            self.foreign_scope.push((prefix.to_vec(), depth));
        }
        self.foreign_scope
            .extend(own.into_iter().map(|prefix| (prefix.to_vec(), depth)));
        Ok(())
    }

    /// Forgets the declarations of the element at `depth`, now closed.
    fn leave_foreign(&mut self, depth: usize) {
        while self.foreign_scope.last().is_some_and(|(_, at)| *at >= depth) {
            self.foreign_scope.pop();
        }
    }

    /// The document element; a declaration, comments and whitespace may come before it.
    fn root(&mut self) -> Result<(BytesStart<'a>, bool), WsusError> {
        loop {
            match self.next_event()? {
                Event::Start(start) => return Ok((start, false)),
                Event::Empty(start) => return Ok((start, true)),
                Event::Text(text) if is_blank(&text) => {}
                Event::Text(_) | Event::CData(_) | Event::End(_) => {
                    return Err(self.malformed("text or an end tag before the root element".into()))
                }
                Event::Eof => return Err(self.malformed("the document has no root element".into())),
                _ => {}
            }
        }
    }

    /// Passes over the rest of the element just opened.
    fn skip(&mut self) -> Result<(), WsusError> {
        let mut depth = 0usize;
        loop {
            match self.next_event()? {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(()),
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(self.unclosed()),
                _ => {}
            }
        }
    }

    /// Only comments, processing instructions and whitespace may follow the root element.
    fn finish(&mut self) -> Result<(), WsusError> {
        loop {
            match self.next_event()? {
                Event::Eof => return Ok(()),
                Event::Text(text) if is_blank(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.malformed("content after the root element".into())),
            }
        }
    }

    /// Every event passes here, so that no path can let a DTD (and its entities) through.
    fn next_event(&mut self) -> Result<Event<'a>, WsusError> {
        let event = self.reader.read_event().map_err(|e| WsusError::MalformedXml {
            context: CONTEXT,
            detail: format!("{e} (at byte {})", self.reader.error_position()),
        })?;
        if let Event::DocType(_) = event {
            return Err(
                self.malformed("a document type declaration (DTD) is not allowed; entities are never resolved".into())
            );
        }
        Ok(event)
    }

    /// An attribute value as a parser reports it: literal tabs and line ends count as spaces
    /// (XML 1.0 section 3.3.3), references are resolved.
    fn attr_value<'v>(&self, raw: &'v [u8]) -> Result<Cow<'v, str>, WsusError>
    where
        'a: 'v,
    {
        let raw = self.utf8(raw)?;
        let value = if raw.contains(['\t', '\n', '\r']) {
            let spaced = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
            unescape(&spaced).map(|v| Cow::Owned(v.into_owned()))
        } else {
            unescape(raw)
        };
        value.map_err(|e| self.malformed(format!("in an attribute value: {e}")))
    }

    /// Text as a parser reports it: line ends normalised to `\n`, references resolved unless it
    /// is a CDATA section.
    fn text_value<'v>(&self, raw: &'v [u8], escaped: bool) -> Result<Cow<'v, str>, WsusError>
    where
        'a: 'v,
    {
        let raw = self.utf8(raw)?;
        let text: Cow<str> = if raw.contains('\r') {
            Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(raw)
        };
        if !escaped {
            return Ok(text);
        }
        let unescaped = match &text {
            Cow::Borrowed(text) => unescape(text),
            Cow::Owned(text) => unescape(text).map(|t| Cow::Owned(t.into_owned())),
        };
        unescaped.map_err(|e| self.malformed(format!("in text: {e}")))
    }

    /// `bytes` as text. What quick-xml hands out is cut from the input at ASCII markup, so it
    /// is taken from the input again rather than checked again (a tenth of a split's time);
    /// anything else is checked, and only a reader bug could make that fail.
    fn utf8<'v>(&self, bytes: &'v [u8]) -> Result<&'v str, WsusError>
    where
        'a: 'v,
    {
        let start = (bytes.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
        let within = start
            .checked_add(bytes.len())
            .and_then(|end| self.input.get(start..end))
            .filter(|text| text.as_ptr() == bytes.as_ptr());
        match within {
            Some(text) => Ok(text),
            None => std::str::from_utf8(bytes).map_err(|e| self.malformed(e.to_string())),
        }
    }

    fn unclosed(&self) -> WsusError {
        self.malformed("the document ends before its elements are closed".into())
    }

    fn malformed(&self, detail: String) -> WsusError {
        WsusError::MalformedXml {
            context: CONTEXT,
            detail: format!("{detail} (at byte {})", self.reader.buffer_position()),
        }
    }
}

fn close_open_tag(out: &mut String, open_tag: &mut bool) {
    if *open_tag {
        out.push('>');
        *open_tag = false;
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

fn flag(value: &str, field: &'static str) -> Result<bool, WsusError> {
    match value.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(WsusError::InvalidValue {
            field,
            value: other.to_owned(),
        }),
    }
}

/// ` name="value"`.
fn push_attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_escaped(out, value, true);
    out.push('"');
}

/// Escapes as .NET's XML writer does, which wrote the captured fragments: `&`, `<`, `>`, and in
/// attributes `"` and the whitespace a parser would otherwise turn into spaces; `\r` as a
/// reference everywhere so it survives line-end normalisation. Characters XML 1.0 cannot carry
/// at all (from a `&#1;` in the document) become U+FFFD rather than spoil the fragment.
///
/// It works on bytes, the hot loop of a split: all it replaces is ASCII except U+FFFE and
/// U+FFFF, whose UTF-8 form is fixed, so every cut falls on a character boundary.
fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    let bytes = text.as_bytes();
    let mask = if attribute { TEXT | ATTRIBUTE } else { TEXT };
    let (mut done, mut from) = (0, 0);
    while let Some(skip) = bytes[from..].iter().position(|&b| ESCAPES[usize::from(b)] & mask != 0) {
        let at = from + skip;
        let (replacement, len) = match bytes[at] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'\r' => ("&#xD;", 1),
            b'"' => ("&quot;", 1),
            b'\n' => ("&#xA;", 1),
            b'\t' => ("&#x9;", 1),
            0xef if bytes.get(at + 1) == Some(&0xbf) && matches!(bytes.get(at + 2), Some(0xbe | 0xbf)) => {
                ("\u{fffd}", 3)
            }
            0xef => {
                from = at + 1;
                continue;
            }
            _ => ("\u{fffd}", 1),
        };
        out.push_str(&text[done..at]);
        out.push_str(replacement);
        from = at + len;
        done = from;
    }
    out.push_str(&text[done..]);
}

/// Bytes [`push_escaped`] must look at in text and attributes alike.
const TEXT: u8 = 1;
/// Bytes it must look at in attributes only: `"`, tab and line feed.
const ATTRIBUTE: u8 = 2;
/// Every other C0 control is refused, and `0xEF` may start U+FFFE or U+FFFF.
const ESCAPES: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = TEXT;
        byte += 1;
    }
    table[b'\t' as usize] = ATTRIBUTE;
    table[b'\n' as usize] = ATTRIBUTE;
    table[b'"' as usize] = ATTRIBUTE;
    table[b'&' as usize] = TEXT;
    table[b'<' as usize] = TEXT;
    table[b'>' as usize] = TEXT;
    table[0xef] = TEXT;
    table
};

fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const UPD: &str = "http://schemas.microsoft.com/msus/2002/12/Update";

    fn doc(body: &str) -> String {
        format!(
            r#"<upd:Update xmlns:upd="{UPD}"><upd:UpdateIdentity UpdateID="x" RevisionNumber="1" /><upd:Properties UpdateType="Software" />{body}</upd:Update>"#
        )
    }

    /// A hand-made document with what the captures lack: three languages, escaped text and
    /// CDATA, indentation, an MSI rule, driver metadata, a foreign namespace declared on the
    /// root, and properties in another order with flags spelled `1` and `0`.
    const SEVERAL_LANGUAGES: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- made for this test -->
<Update xmlns="http://schemas.microsoft.com/msus/2002/12/Update"
        xmlns:lar="http://schemas.microsoft.com/msus/2002/12/LogicalApplicabilityRules"
        xmlns:msiar="http://schemas.microsoft.com/msus/2002/12/MsiApplicabilityRules"
        xmlns:drv="http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/WindowsDriver"
        xmlns:x="urn:example:other">
  <UpdateIdentity UpdateID="11111111-1111-4111-8111-111111111111" RevisionNumber="3"/>
  <Properties PerUser="0" EulaID="e" AutoSelectOnWebSites="1" UpdateType="Software" IsBeta="false" IsPublic="true" MsrcSeverity="Critical">
    <KBArticleID>42</KBArticleID>
  </Properties>
  <LocalizedPropertiesCollection>
    <LocalizedProperties><Language>en</Language><Title>Fix &lt;A&gt; &amp; B</Title></LocalizedProperties>
    <LocalizedProperties>
      <Language> de </Language>
      <Title><![CDATA[Korrektur <A> & "B"]]></Title>
      <Description></Description>
    </LocalizedProperties>
    <LocalizedProperties><Language>pt-br</Language><Title>Correção</Title></LocalizedProperties>
  </LocalizedPropertiesCollection>
  <ApplicabilityRules>
    <IsInstalled><lar:Not><msiar:MsiProductInstalled ProductCode="{P}" /></lar:Not></IsInstalled>
    <Metadata><drv:WindowsDriverMetaData HardwareID="PCI\VEN_1" /><x:Extra x:a="1"><x:Inner/></x:Extra></Metadata>
  </ApplicabilityRules>
  <Unknown><Files /></Unknown>
  <HandlerSpecificData xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="msi:MsiInstallation"><Data Text="a&quot;b&#10;c&#9;d"/></HandlerSpecificData>
</Update>
"#;

    #[test]
    fn a_document_with_several_languages_gives_one_localized_fragment_each() {
        let fragments = split(SEVERAL_LANGUAGES).expect("splits");
        let languages: Vec<&str> = fragments.localized.iter().map(|l| l.language.as_str()).collect();
        assert_eq!(languages, ["en", "de", "pt-br"]);
        assert_eq!(
            fragments.localized[0].xml,
            "<LocalizedProperties><Language>en</Language><Title>Fix &lt;A&gt; &amp; B</Title></LocalizedProperties>"
        );
        assert_eq!(
            fragments.localized[1].xml,
            "<LocalizedProperties><Language> de </Language><Title>Korrektur &lt;A&gt; &amp; \"B\"</Title>\
             <Description /></LocalizedProperties>"
        );
        assert_eq!(
            fragments.localized[2].xml,
            "<LocalizedProperties><Language>pt-br</Language><Title>Correção</Title></LocalizedProperties>"
        );
    }

    #[test]
    fn core_and_extended_of_a_hand_made_document() {
        let fragments = split(SEVERAL_LANGUAGES).expect("splits");
        assert_eq!(
            fragments.core,
            "<UpdateIdentity UpdateID=\"11111111-1111-4111-8111-111111111111\" RevisionNumber=\"3\" />\
             <Properties UpdateType=\"Software\" AutoSelectOnWebSites=\"true\" EulaID=\"e\" />\
             <ApplicabilityRules><IsInstalled><Not><m.MsiProductInstalled ProductCode=\"{P}\" /></Not></IsInstalled>\
             <Metadata><d.WindowsDriverMetaData HardwareID=\"PCI\\VEN_1\" />\
             <x:Extra x:a=\"1\" xmlns:x=\"urn:example:other\"><x:Inner /></x:Extra></Metadata></ApplicabilityRules>"
        );
        assert_eq!(
            fragments.extended,
            "<ExtendedProperties IsBeta=\"false\" MsrcSeverity=\"Critical\"><KBArticleID>42</KBArticleID></ExtendedProperties>\
             <HandlerSpecificData type=\"msi:MsiInstallation\"><Data Text=\"a&quot;b&#xA;c&#x9;d\" /></HandlerSpecificData>"
        );
    }

    #[test]
    fn a_foreign_declaration_on_the_element_itself_is_kept_once() {
        let xml = doc(
            r#"<upd:ApplicabilityRules><upd:Metadata><assembly xmlns="urn:asm" v="1"><id n="a"/></assembly></upd:Metadata></upd:ApplicabilityRules>"#,
        );
        let core = split(&xml).expect("splits").core;
        assert!(
            core.ends_with(
                "<ApplicabilityRules><Metadata><assembly xmlns=\"urn:asm\" v=\"1\"><id n=\"a\" /></assembly></Metadata></ApplicabilityRules>"
            ),
            "{core}"
        );
    }

    #[test]
    fn literal_whitespace_in_attributes_reads_as_spaces_and_line_ends_in_text_as_newlines() {
        let xml = doc("<upd:Files><upd:File FileName=\"a\r\nb\tc\">x\r\ny\rz</upd:File></upd:Files>");
        let extended = split(&xml).expect("splits").extended;
        assert!(
            extended.ends_with("<Files><File FileName=\"a b c\">x\ny\nz</File></Files>"),
            "{extended}"
        );
    }

    #[test]
    fn escaping_replaces_markup_and_what_xml_cannot_carry_and_nothing_else() {
        let escaped = |text: &str, attribute: bool| {
            let mut out = String::new();
            push_escaped(&mut out, text, attribute);
            out
        };
        // U+FF08 and U+FFFD start with the byte 0xEF like U+FFFE and U+FFFF, and are kept.
        let text = "a\u{1}b\u{fffe}c\u{ffff}d\u{fffd}e\u{ff08}f\u{1f600}";
        assert_eq!(
            escaped(text, false),
            "a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\u{ff08}f\u{1f600}"
        );
        assert_eq!(escaped("\"'\t\n\r<>&", false), "\"'\t\n&#xD;&lt;&gt;&amp;");
        assert_eq!(escaped("\"'\t\n\r<>&", true), "&quot;'&#x9;&#xA;&#xD;&lt;&gt;&amp;");
        assert_eq!(escaped("", true), "");
        assert_eq!(escaped("\u{ef}\u{bf}", true), "\u{ef}\u{bf}");
    }

    #[test]
    fn an_update_without_extended_content_still_has_its_extended_fragment() {
        let fragments = split(&doc("")).expect("splits");
        assert_eq!(fragments.extended, "<ExtendedProperties />");
        assert!(fragments.localized.is_empty());
    }

    fn err(xml: &str) -> WsusError {
        match split(xml) {
            Ok(f) => panic!("expected an error, got {f:?}"),
            Err(e) => e,
        }
    }

    fn assert_malformed(xml: &str, needle: &str) {
        match err(xml) {
            WsusError::MalformedXml { detail, .. } => assert!(detail.contains(needle), "{detail}"),
            other => panic!("expected MalformedXml containing {needle:?}, got {other:?}"),
        }
    }

    #[test]
    fn a_document_cut_short_is_malformed() {
        let full = doc("<upd:Relationships><upd:Prerequisites></upd:Prerequisites></upd:Relationships>");
        assert!(split(&full).is_ok());
        for cut in [20, 90, full.len() - 30, full.len() - 1] {
            assert!(
                matches!(err(&full[..cut]), WsusError::MalformedXml { .. }),
                "cut at {cut}"
            );
        }
        assert_malformed(
            &full[..full.len() - "</upd:Update>".len()],
            "before its elements are closed",
        );
        assert_malformed("", "no root element");
    }

    #[test]
    fn another_document_is_refused_by_its_root() {
        let envelope = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body /></s:Envelope>"#;
        match err(envelope) {
            WsusError::UnexpectedElement { expected, found, .. } => {
                assert_eq!((expected, found.as_str()), ("Update", "s:Envelope"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_parts_are_named() {
        let no_identity = format!(r#"<Update xmlns="{UPD}"><Properties UpdateType="Software"/></Update>"#);
        assert_eq!(err(&no_identity), WsusError::MissingElement("UpdateIdentity"));
        let no_properties = format!(r#"<Update xmlns="{UPD}"><UpdateIdentity UpdateID="x"/></Update>"#);
        assert_eq!(err(&no_properties), WsusError::MissingElement("Properties"));
        let no_type = format!(r#"<Update xmlns="{UPD}"><UpdateIdentity UpdateID="x"/><Properties/></Update>"#);
        assert_eq!(err(&no_type), WsusError::MissingElement("Properties/@UpdateType"));
        assert_eq!(
            err(&doc("<upd:LocalizedPropertiesCollection><upd:LocalizedProperties><upd:Title>t</upd:Title></upd:LocalizedProperties></upd:LocalizedPropertiesCollection>")),
            WsusError::MissingElement("LocalizedProperties/Language")
        );
    }

    #[test]
    fn a_flag_that_is_not_a_boolean_is_an_invalid_value() {
        let xml = format!(
            r#"<Update xmlns="{UPD}"><UpdateIdentity UpdateID="x"/><Properties UpdateType="Software" ExplicitlyDeployable="yes"/></Update>"#
        );
        assert_eq!(
            err(&xml),
            WsusError::InvalidValue {
                field: "Properties/@ExplicitlyDeployable",
                value: "yes".into()
            }
        );
    }

    #[test]
    fn elements_out_of_order_or_twice_are_refused() {
        assert_malformed(
            &doc("<upd:Files /><upd:Relationships />"),
            "<Relationships> after <Files>",
        );
        assert_malformed(
            &doc("<upd:Properties UpdateType=\"Software\" />"),
            "<Properties> after <Properties>",
        );
    }

    #[test]
    fn a_dtd_an_undeclared_prefix_and_trailing_content_are_refused() {
        assert_malformed(
            "<!DOCTYPE u [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><Update>&e;</Update>",
            "DTD",
        );
        assert_malformed(
            &doc("<upd:Relationships><q:X /></upd:Relationships>"),
            "undeclared namespace prefix q",
        );
        assert_malformed(&format!("{}<x/>", doc("")), "content after the root element");
        assert_malformed(
            &doc("<upd:Files><upd:File A=\"&nope;\" /></upd:Files>"),
            "attribute value",
        );
    }
}
