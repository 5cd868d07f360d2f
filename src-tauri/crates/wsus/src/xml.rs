//! A small pull cursor over quick-xml, shared by the update-XML and SOAP parsers.
//!
//! Elements and attributes are matched by local name: upstreams use `upd:`, a default
//! namespace or other prefixes for the same schema, and the names never collide within one
//! parent. Each element also carries its resolved namespace URI, for the few places that must
//! check it (the operation element of a SOAP body). The cursor also closes the gaps quick-xml
//! leaves open on its own: it refuses DTDs (so no entity can ever be resolved) and reports a
//! document that ends with elements still open.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::error::WsusError;

/// One start tag: its local name, its namespace and its attributes (local names too, `xmlns`
/// left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    /// The namespace URI the element's name resolves to; `None` when it is in no namespace.
    pub ns: Option<String>,
    attrs: Vec<(String, String)>,
}

impl Element {
    /// `{namespace}name`, as error messages show it.
    pub fn expanded_name(&self) -> String {
        match &self.ns {
            Some(ns) => format!("{{{ns}}}{}", self.name),
            None => self.name.clone(),
        }
    }

    /// `xsi:nil="true"` (or `1`): the element stands for an absent value.
    pub fn is_nil(&self) -> bool {
        matches!(self.attr("nil").map(str::trim), Some("true" | "1"))
    }

    pub fn attr(&self, local_name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == local_name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is(&self, local_name: &str) -> bool {
        self.name == local_name
    }
}

/// Reads one document element by element. Whoever receives an element from
/// [`XmlCursor::next_child`] must consume it whole, by looping `next_child` until `None`,
/// by [`XmlCursor::skip`] or by [`XmlCursor::read_text`].
pub(crate) struct XmlCursor<'a> {
    reader: NsReader<&'a [u8]>,
    context: &'static str,
    depth: usize,
}

impl<'a> XmlCursor<'a> {
    pub fn new(xml: &'a str, context: &'static str) -> Self {
        let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
        let mut reader = NsReader::from_str(xml);
        let config = reader.config_mut();
        // `<a/>` then looks like `<a></a>`, so consumers have a single shape to handle.
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Self {
            reader,
            context,
            depth: 0,
        }
    }

    /// The document element; declarations, comments and whitespace before it are passed over.
    pub fn root(&mut self) -> Result<Element, WsusError> {
        match self.next_child()? {
            Some(root) => Ok(root),
            None => Err(self.malformed("the document has no root element".into())),
        }
    }

    /// The next child element of the element last opened, or `None` once that element is
    /// closed. Text between children is ignored.
    pub fn next_child(&mut self) -> Result<Option<Element>, WsusError> {
        loop {
            match self.next_event()? {
                Event::Start(start) => {
                    let element = self.element(&start)?;
                    self.depth += 1;
                    return Ok(Some(element));
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(None);
                }
                Event::Eof if self.depth == 0 => return Ok(None),
                Event::Eof => return Err(self.unclosed()),
                _ => {}
            }
        }
    }

    /// Consumes the rest of the element last opened, whatever it holds.
    pub fn skip(&mut self) -> Result<(), WsusError> {
        let mut nested = 0usize;
        loop {
            match self.next_event()? {
                Event::Start(_) => nested += 1,
                Event::End(_) if nested == 0 => break,
                Event::End(_) => nested -= 1,
                Event::Eof => return Err(self.unclosed()),
                _ => {}
            }
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// The text directly inside the element last opened, trimmed, and consumes the element.
    /// Text of nested elements is left out: a future schema may add children to a value.
    pub fn read_text(&mut self) -> Result<String, WsusError> {
        let text = self.read_raw_text()?;
        let trimmed = text.trim();
        Ok(if trimmed.len() == text.len() {
            text
        } else {
            trimmed.to_owned()
        })
    }

    /// Like [`XmlCursor::read_text`] but untrimmed, for text that is a document of its own
    /// (a plain `XmlUpdateBlob`) and must come back exactly as it was written.
    pub fn read_raw_text(&mut self) -> Result<String, WsusError> {
        let mut text = String::new();
        loop {
            match self.next_event()? {
                Event::Text(t) => {
                    let part = t.unescape().map_err(|e| self.malformed(e.to_string()))?;
                    text.push_str(&part);
                }
                Event::CData(c) => {
                    let part = c.decode().map_err(|e| self.malformed(e.to_string()))?;
                    text.push_str(&part);
                }
                Event::Start(_) => {
                    self.depth += 1;
                    self.skip()?;
                }
                Event::End(_) => break,
                Event::Eof => return Err(self.unclosed()),
                _ => {}
            }
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(text)
    }

    /// Checks that nothing but comments and whitespace follow the root element.
    pub fn finish(&mut self) -> Result<(), WsusError> {
        loop {
            match self.next_event()? {
                Event::Eof => return Ok(()),
                Event::Start(_) | Event::End(_) => return Err(self.malformed("content after the root element".into())),
                _ => {}
            }
        }
    }

    /// Every event passes here, so the DTD refusal cannot be bypassed by any consumer.
    fn next_event(&mut self) -> Result<Event<'a>, WsusError> {
        let event = self.reader.read_event().map_err(|e| {
            let at = self.reader.error_position();
            self.malformed(format!("{e} (at byte {at})"))
        })?;
        if let Event::DocType(_) = event {
            return Err(
                self.malformed("a document type declaration (DTD) is not allowed; entities are never resolved".into())
            );
        }
        Ok(event)
    }

    fn element(&self, start: &BytesStart<'_>) -> Result<Element, WsusError> {
        let name = utf8(start.local_name().as_ref());
        // An undeclared prefix leaves the element in no namespace: matching by local name
        // keeps working as before, and a namespace check then fails with a clear message.
        let ns = match self.reader.resolve_element(start.name()).0 {
            ResolveResult::Bound(ns) => Some(utf8(ns.as_ref())),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
        };
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.malformed(format!("in <{name}>: {e}")))?;
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            let value = attr
                .unescape_value()
                .map_err(|e| self.malformed(format!("in <{name}>: {e}")))?;
            attrs.push((utf8(attr.key.local_name().as_ref()), value.into_owned()));
        }
        Ok(Element { name, ns, attrs })
    }

    fn unclosed(&self) -> WsusError {
        self.malformed(format!(
            "the document ends with {} element(s) still open",
            self.depth.max(1)
        ))
    }

    fn malformed(&self, detail: String) -> WsusError {
        WsusError::MalformedXml {
            context: self.context,
            detail,
        }
    }
}

/// Names come from a `&str` document, so they are UTF-8 unless quick-xml split a character;
/// a lossy conversion then only garbles a name that would not have matched anyway.
fn utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn children_of_root(xml: &str) -> Result<Vec<String>, WsusError> {
        let mut cur = XmlCursor::new(xml, "test");
        cur.root()?;
        let mut names = Vec::new();
        while let Some(child) = cur.next_child()? {
            names.push(child.name.clone());
            cur.skip()?;
        }
        cur.finish()?;
        Ok(names)
    }

    #[test]
    fn prefixes_and_default_namespace_give_the_same_local_names() {
        let prefixed = children_of_root(r#"<u:A xmlns:u="urn:x"><u:B/><u:C>t</u:C></u:A>"#);
        let default = children_of_root(r#"<A xmlns="urn:x"><B/><C>t</C></A>"#);
        assert_eq!(prefixed, default);
        assert_eq!(prefixed.ok().map(|v| v.len()), Some(2));
    }

    #[test]
    fn bom_and_declaration_are_accepted() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><A><B/></A>";
        assert!(children_of_root(xml).is_ok());
    }

    #[test]
    fn a_document_cut_short_is_an_error() {
        let err = children_of_root("<A><B><C/>");
        assert!(matches!(err, Err(WsusError::MalformedXml { .. })), "{err:?}");
    }

    #[test]
    fn mismatched_end_tag_is_an_error() {
        assert!(children_of_root("<A><B></C></A>").is_err());
    }

    #[test]
    fn content_after_the_root_is_an_error() {
        assert!(children_of_root("<A/><B/>").is_err());
    }

    #[test]
    fn a_dtd_is_refused() {
        let xml = "<!DOCTYPE A [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><A>&e;</A>";
        let err = children_of_root(xml);
        assert!(matches!(err, Err(WsusError::MalformedXml { .. })), "{err:?}");
    }

    #[test]
    fn read_text_unescapes_joins_cdata_and_ignores_nested_elements() {
        let mut cur = XmlCursor::new("<A>x &amp; <![CDATA[<y>]]><N>no</N> z</A>", "test");
        assert!(cur.root().is_ok());
        assert_eq!(cur.read_text().ok().as_deref(), Some("x & <y> z"));
        assert!(cur.finish().is_ok());
    }

    #[test]
    fn unknown_entity_in_text_is_an_error() {
        let mut cur = XmlCursor::new("<A>&nope;</A>", "test");
        assert!(cur.root().is_ok());
        assert!(cur.read_text().is_err());
    }

    #[test]
    fn elements_carry_their_resolved_namespace() {
        let mut cur = XmlCursor::new(
            r#"<p:A xmlns:p="urn:p" xmlns="urn:d"><B/><q:C/><D xmlns=""/></p:A>"#,
            "test",
        );
        let root = cur.root().ok();
        assert_eq!(root.and_then(|r| r.ns).as_deref(), Some("urn:p"));
        let mut found = Vec::new();
        while let Ok(Some(child)) = cur.next_child() {
            found.push((child.name.clone(), child.ns.clone(), child.expanded_name()));
            assert!(cur.skip().is_ok());
        }
        assert_eq!(
            found,
            [
                ("B".into(), Some("urn:d".into()), "{urn:d}B".into()),
                ("C".into(), None, "C".into()),
                ("D".into(), None, "D".into()),
            ]
        );
    }

    #[test]
    fn nil_is_read_from_the_xsi_attribute() {
        let mut cur = XmlCursor::new(
            r#"<A xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>"#,
            "t",
        );
        assert_eq!(cur.root().ok().map(|r| r.is_nil()), Some(true));
        let mut cur = XmlCursor::new("<A nil=\"false\"/>", "t");
        assert_eq!(cur.root().ok().map(|r| r.is_nil()), Some(false));
    }

    #[test]
    fn raw_text_keeps_surrounding_whitespace() {
        let mut cur = XmlCursor::new("<A>\n  x &amp; y \n</A>", "test");
        assert!(cur.root().is_ok());
        assert_eq!(cur.read_raw_text().ok().as_deref(), Some("\n  x & y \n"));
    }

    #[test]
    fn attributes_are_found_by_local_name_and_xmlns_is_left_out() {
        let mut cur = XmlCursor::new(r#"<A xmlns:p="urn:x" p:K="v" L="&lt;w"/>"#, "test");
        let root = cur.root().ok();
        assert_eq!(root.as_ref().and_then(|r| r.attr("K")), Some("v"));
        assert_eq!(root.as_ref().and_then(|r| r.attr("L")), Some("<w"));
        assert_eq!(root.as_ref().and_then(|r| r.attr("p")), None);
    }
}
