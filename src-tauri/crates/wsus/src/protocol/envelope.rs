//! What every message shares: the SOAP envelope, a small XML writer, and the readers of the
//! scalar values (booleans, numbers, GUIDs, cookies, identities) that messages are made of.

use crate::error::WsusError;
use crate::model::RevisionId;
use crate::protocol::messages::{Cookie, Operation};
use crate::soap::{enter_body, leave_envelope, read_fault};
use crate::update_xml::is_guid;
use crate::xml::{Element, XmlCursor};

const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

// ---- writing -------------------------------------------------------------------------------

/// Builds one document as a string. Element names are the protocol's own constants; every
/// piece of text goes through [`escape_text`].
pub(crate) struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// `<?xml?>`, `soap:Envelope` and `soap:Body` opened. Requests declare only the envelope
    /// namespace; responses and faults also `xsi` and `xsd`, exactly as WSUS writes them.
    pub fn envelope(with_schema_namespaces: bool) -> Self {
        let mut out = String::with_capacity(1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"");
        out.push_str(SOAP_ENVELOPE_NS);
        out.push('"');
        if with_schema_namespaces {
            out.push_str(" xmlns:xsi=\"");
            out.push_str(XSI_NS);
            out.push_str("\" xmlns:xsd=\"");
            out.push_str(XSD_NS);
            out.push('"');
        }
        out.push_str("><soap:Body>");
        XmlWriter { out }
    }

    /// Closes `soap:Body` and `soap:Envelope`.
    pub fn finish(mut self) -> String {
        self.out.push_str("</soap:Body></soap:Envelope>");
        self.out
    }

    /// `<name xmlns="namespace">`: the operation element, whose default namespace all the
    /// message's elements inherit.
    pub fn start_ns(&mut self, name: &str, namespace: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" xmlns=\"");
        self.out.push_str(&escape_attr(namespace));
        self.out.push_str("\">");
    }

    /// `<name xmlns="namespace"/>`: an operation without parameters.
    pub fn empty_ns(&mut self, name: &str, namespace: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" xmlns=\"");
        self.out.push_str(&escape_attr(namespace));
        self.out.push_str("\"/>");
    }

    pub fn start(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    pub fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name />`, as WSUS writes an empty string or an empty list.
    pub fn empty(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" />");
    }

    /// `<name>text</name>`, or `<name />` for an empty text.
    pub fn text(&mut self, name: &str, text: &str) {
        if text.is_empty() {
            self.empty(name);
        } else {
            self.start(name);
            self.out.push_str(&escape_text(text));
            self.end(name);
        }
    }

    /// `<name>text</name>` even when empty, as WSUS writes the fault details.
    pub fn text_open_close(&mut self, name: &str, text: &str) {
        self.start(name);
        self.out.push_str(&escape_text(text));
        self.end(name);
    }

    pub fn opt_text(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.text(name, text);
        }
    }

    pub fn bool(&mut self, name: &str, value: bool) {
        self.text(name, if value { "true" } else { "false" });
    }

    pub fn int(&mut self, name: &str, value: impl std::fmt::Display) {
        self.text(name, &value.to_string());
    }

    /// `<name>` around the items, or `<name />` when there are none.
    pub fn list<T>(&mut self, name: &str, items: &[T], mut item: impl FnMut(&mut XmlWriter, &T)) {
        if items.is_empty() {
            self.empty(name);
            return;
        }
        self.start(name);
        for value in items {
            item(self, value);
        }
        self.end(name);
    }

    /// Like [`XmlWriter::list`] but writes nothing at all for an empty list.
    pub fn list_if_any<T>(&mut self, name: &str, items: &[T], item: impl FnMut(&mut XmlWriter, &T)) {
        if !items.is_empty() {
            self.list(name, items, item);
        }
    }

    pub fn cookie(&mut self, name: &str, cookie: &Cookie) {
        self.start(name);
        self.text("Expiration", &cookie.expiration);
        self.text("EncryptedData", &cookie.encrypted_data);
        self.end(name);
    }

    /// `<name><UpdateID>..</UpdateID><RevisionNumber>..</RevisionNumber></name>`.
    pub fn identity(&mut self, name: &str, id: &RevisionId) {
        self.start(name);
        self.text("UpdateID", &id.update_id);
        self.int("RevisionNumber", id.revision);
        self.end(name);
    }
}

/// Escapes text content. `\r` becomes a character reference so that it survives the line-end
/// normalisation of the reader; characters XML 1.0 cannot carry at all (most C0 controls,
/// unpaired surrogates cannot occur in a `str`, U+FFFE/U+FFFF) become U+FFFD rather than
/// making the whole document unreadable.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

fn escape_attr(text: &str) -> String {
    escape_text(text).replace('"', "&quot;")
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

// ---- reading -------------------------------------------------------------------------------

/// Opens the envelope and checks that the body holds `expected` in the operation's namespace.
/// A SOAP fault in the body becomes [`WsusError::Fault`].
pub(crate) fn open_payload(
    cur: &mut XmlCursor,
    op: Operation,
    expected: &'static str,
    context: &'static str,
) -> Result<Element, WsusError> {
    let payload = enter_body(cur, context)?;
    if payload.is("Fault") {
        let fault = read_fault(cur)?;
        // A fault in a document cut short is a broken document, not a fault.
        leave_envelope(cur)?;
        return Err(WsusError::Fault(Box::new(fault)));
    }
    if !payload.is(expected) {
        return Err(WsusError::UnexpectedElement {
            context,
            expected,
            found: payload.expanded_name(),
        });
    }
    check_namespace(&payload, op.namespace(), expected, context)?;
    Ok(payload)
}

fn check_namespace(
    el: &Element,
    expected: &'static str,
    element: &'static str,
    context: &'static str,
) -> Result<(), WsusError> {
    if el.ns.as_deref() == Some(expected) {
        return Ok(());
    }
    Err(WsusError::WrongNamespace {
        context,
        element,
        expected,
        found: el.ns.clone().unwrap_or_else(|| "no namespace".into()),
    })
}

/// `xsd:boolean`: `true`, `false`, `1`, `0`.
pub(crate) fn read_bool(cur: &mut XmlCursor, field: &'static str) -> Result<bool, WsusError> {
    let text = cur.read_text()?;
    match text.as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(WsusError::InvalidValue { field, value: text }),
    }
}

/// `xsd:int`.
pub(crate) fn read_i32(cur: &mut XmlCursor, field: &'static str) -> Result<i32, WsusError> {
    let text = cur.read_text()?;
    text.parse().map_err(|_| WsusError::InvalidValue { field, value: text })
}

/// A GUID, returned lower-case.
pub(crate) fn read_guid(cur: &mut XmlCursor, field: &'static str) -> Result<String, WsusError> {
    let text = cur.read_text()?;
    if is_guid(&text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(WsusError::InvalidValue { field, value: text })
    }
}

/// Text whose absence is meaningful: empty (or `xsi:nil`) reads as `None`.
pub(crate) fn read_opt_text(cur: &mut XmlCursor) -> Result<Option<String>, WsusError> {
    let text = cur.read_text()?;
    Ok((!text.is_empty()).then_some(text))
}

/// A `Cookie` element's content; `None` for `xsi:nil`.
pub(crate) fn read_cookie(cur: &mut XmlCursor, el: &Element) -> Result<Option<Cookie>, WsusError> {
    if el.is_nil() {
        cur.skip()?;
        return Ok(None);
    }
    read_cookie_fields(cur).map(Some)
}

/// The children of a `Cookie` (`Expiration`, `EncryptedData`), consuming the element.
pub(crate) fn read_cookie_fields(cur: &mut XmlCursor) -> Result<Cookie, WsusError> {
    let mut expiration = None;
    let mut encrypted_data = String::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Expiration" => expiration = Some(cur.read_text()?),
            "EncryptedData" => encrypted_data = cur.read_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(Cookie {
        expiration: expiration.ok_or(WsusError::MissingElement("Cookie/Expiration"))?,
        encrypted_data,
    })
}

/// The `UpdateIdentity` children of a list element such as `updateIds` or `NewRevisions`.
pub(crate) fn read_identities(cur: &mut XmlCursor) -> Result<Vec<RevisionId>, WsusError> {
    let mut ids = Vec::new();
    while let Some(child) = cur.next_child()? {
        if child.is("UpdateIdentity") {
            ids.push(crate::soap::read_id(cur)?);
        } else {
            cur.skip()?;
        }
    }
    Ok(ids)
}

/// Reads every child named `item` of the element last opened with `read`, passing over the
/// rest: the shape of every `ArrayOf...` in the protocol.
pub(crate) fn read_list<T>(
    cur: &mut XmlCursor,
    item: &str,
    mut read: impl FnMut(&mut XmlCursor) -> Result<T, WsusError>,
) -> Result<Vec<T>, WsusError> {
    let mut items = Vec::new();
    while let Some(child) = cur.next_child()? {
        if child.is(item) && !child.is_nil() {
            items.push(read(cur)?);
        } else {
            cur.skip()?;
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escaping_covers_markup_cr_and_forbidden_characters() {
        assert_eq!(escape_text("a<b>&c\"'"), "a&lt;b&gt;&amp;c\"'");
        assert_eq!(escape_text("x\r\ny"), "x&#13;\ny");
        assert_eq!(escape_text("\u{1}\u{fffe}é\u{1f600}\t"), "\u{fffd}\u{fffd}é\u{1f600}\t");
        assert_eq!(escape_attr("\"<"), "&quot;&lt;");
    }

    #[test]
    fn an_empty_list_is_an_empty_element_or_nothing() {
        let mut w = XmlWriter { out: String::new() };
        w.list::<u8>("A", &[], |_, _| {});
        w.list_if_any::<u8>("B", &[], |_, _| {});
        w.list("C", &[1, 2], |w, v| w.int("i", v));
        assert_eq!(w.out, "<A /><C><i>1</i><i>2</i></C>");
    }
}
