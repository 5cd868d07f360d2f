//! The one XML writer of the crate: every message of [`crate::protocol`] and [`crate::wusp`]
//! is built with it, inside one of the SOAP envelope styles a WSUS server writes
//! ([`Envelope`]), with text escaping that no value can break.
//!
//! **Architecture invariant:** this module knows no message. Element names come from the
//! callers, and it imports neither `protocol` nor `wusp`; their shared values (cookies,
//! identities...) are written by `protocol::envelope` on top of it.

const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The envelope shapes of the captures, each with its own way of writing an empty element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Envelope {
    /// `<?xml?>` and a `soap:Envelope` declaring only `soap`; empty elements `<a />`. An
    /// MS-WSUSSS request, as a downstream WSUS writes it.
    AsmxRequest,
    /// As [`Envelope::AsmxRequest`], with `xsi` and `xsd` also declared on `soap:Envelope`:
    /// the answers and faults of the ASMX services (every MS-WSUSSS service, and the MS-WUSP
    /// SimpleAuth and reporting services: scan/000002, flow/000016).
    AsmxResponse,
    /// No XML declaration, `s:Envelope`, `xsi` and `xsd` declared on `s:Body`; empty elements
    /// `<a/>`: the answers of the MS-WUSP client web service (scan/000001).
    ClientService,
    /// No XML declaration, `s:Envelope` declaring only `s`; empty elements `<a/>`: every
    /// request of a Windows Update Agent, whichever of the three services it calls
    /// (scan/000001-10, flow/000016).
    ClientRequest,
}

/// Builds one document as a string. Element names are the protocols' own constants; every
/// piece of text goes through [`escape_text`].
pub(crate) struct XmlWriter {
    out: String,
    style: Envelope,
}

impl XmlWriter {
    /// `<?xml?>` (where the style has one), the envelope and its body, opened.
    pub fn envelope(style: Envelope) -> Self {
        let mut out = String::with_capacity(1024);
        match style {
            Envelope::AsmxRequest | Envelope::AsmxResponse => {
                out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"");
                out.push_str(SOAP_ENVELOPE_NS);
                out.push('"');
                if style == Envelope::AsmxResponse {
                    push_schema_namespaces(&mut out);
                }
                out.push_str("><soap:Body>");
            }
            Envelope::ClientService | Envelope::ClientRequest => {
                out.push_str("<s:Envelope xmlns:s=\"");
                out.push_str(SOAP_ENVELOPE_NS);
                out.push_str("\"><s:Body");
                if style == Envelope::ClientService {
                    push_schema_namespaces(&mut out);
                }
                out.push('>');
            }
        }
        XmlWriter { out, style }
    }

    /// Closes the body and the envelope.
    pub fn finish(mut self) -> String {
        self.out.push_str(match self.style {
            Envelope::AsmxRequest | Envelope::AsmxResponse => "</soap:Body></soap:Envelope>",
            Envelope::ClientService | Envelope::ClientRequest => "</s:Body></s:Envelope>",
        });
        self.out
    }

    /// `<name xmlns="namespace">`: the operation or response element, whose default namespace
    /// all the message's elements inherit.
    pub fn start_ns(&mut self, name: &str, namespace: &str) {
        self.open_tag_ns(name, namespace);
        self.out.push('>');
    }

    /// `<name xmlns="namespace"/>`: an operation without parameters or an answer without a
    /// result. Written without a space in every style, as both captures show it (the
    /// `GetAuthConfig` request, `RegisterComputerResponse`).
    pub fn empty_ns(&mut self, name: &str, namespace: &str) {
        self.open_tag_ns(name, namespace);
        self.out.push_str("/>");
    }

    fn open_tag_ns(&mut self, name: &str, namespace: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" xmlns=\"");
        self.out.push_str(&escape_attr(namespace));
        self.out.push('"');
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

    /// An empty element, as the style writes it: `<name />` or `<name/>`.
    pub fn empty(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(match self.style {
            Envelope::AsmxRequest | Envelope::AsmxResponse => " />",
            Envelope::ClientService | Envelope::ClientRequest => "/>",
        });
    }

    /// `<name a:nil="true" xmlns:a="...XMLSchema-instance"/>`: a nil value as the Windows
    /// Update Agent writes it, declaring the schema-instance namespace on the element itself
    /// (`MatchingComputerHWID` of scan/000009).
    pub fn nil(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" a:nil=\"true\" xmlns:a=\"");
        self.out.push_str(XSI_NS);
        self.out.push_str("\"/>");
    }

    /// `<name>text</name>`, or an empty element for an empty text.
    pub fn text(&mut self, name: &str, text: &str) {
        if text.is_empty() {
            self.empty(name);
        } else {
            self.text_open_close(name, text);
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

    /// `<name>` around the items, or an empty element when there are none.
    pub fn list<T>(&mut self, name: &str, items: &[T], item: impl FnMut(&mut XmlWriter, &T)) {
        if items.is_empty() {
            self.empty(name);
        } else {
            self.list_if_any(name, items, item);
        }
    }

    /// `<name>` around the items, or nothing at all when there are none: how a server leaves
    /// out the arrays it has nothing for (MS-WSUSSS `FileDigestList`, MS-WUSP `NewUpdates` of
    /// scan/000009).
    pub fn list_if_any<T>(&mut self, name: &str, items: &[T], mut item: impl FnMut(&mut XmlWriter, &T)) {
        if items.is_empty() {
            return;
        }
        self.start(name);
        for value in items {
            item(self, value);
        }
        self.end(name);
    }
}

fn push_schema_namespaces(out: &mut String) {
    out.push_str(" xmlns:xsi=\"");
    out.push_str(XSI_NS);
    out.push_str("\" xmlns:xsd=\"");
    out.push_str(XSD_NS);
    out.push('"');
}

/// Escapes text content as WSUS does: `<`, `>`, `&`; quotes are left alone, as in the captured
/// `Xml` fragments. `\r` becomes a character reference so that it survives the line-end
/// normalisation of the reader; characters XML 1.0 cannot carry at all (most C0 controls,
/// U+FFFE/U+FFFF; unpaired surrogates cannot occur in a `str`) become U+FFFD rather than
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

pub(crate) fn escape_attr(text: &str) -> String {
    escape_text(text).replace('"', "&quot;")
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare(style: Envelope) -> XmlWriter {
        XmlWriter {
            out: String::new(),
            style,
        }
    }

    #[test]
    fn text_escaping_covers_markup_cr_and_forbidden_characters() {
        assert_eq!(escape_text("a<b>&c\"'"), "a&lt;b&gt;&amp;c\"'");
        assert_eq!(escape_text("<a b=\"c\">&'"), "&lt;a b=\"c\"&gt;&amp;'");
        assert_eq!(escape_text("x\r\ny"), "x&#13;\ny");
        assert_eq!(escape_text("\u{1}\u{fffe}é\u{1f600}\t"), "\u{fffd}\u{fffd}é\u{1f600}\t");
        assert_eq!(escape_attr("\"<"), "&quot;&lt;");
    }

    #[test]
    fn an_empty_list_is_an_empty_element_or_nothing() {
        let mut w = bare(Envelope::AsmxResponse);
        w.list::<u8>("A", &[], |_, _| {});
        w.list_if_any::<u8>("B", &[], |_, _| {});
        w.list("C", &[1, 2], |w, v| w.int("i", v));
        assert_eq!(w.out, "<A /><C><i>1</i><i>2</i></C>");
    }

    #[test]
    fn the_styles_write_envelopes_and_empty_elements_as_their_servers_do() {
        let mut client = XmlWriter::envelope(Envelope::ClientService);
        client.text("A", "");
        client.list_if_any::<u8>("B", &[], |_, _| {});
        client.list::<u8>("C", &[], |_, _| {});
        let out = client.finish();
        assert!(out.starts_with("<s:Envelope xmlns:s=\""), "{out}");
        assert!(out.ends_with("<A/><C/></s:Body></s:Envelope>"), "{out}");
        let mut asmx = XmlWriter::envelope(Envelope::AsmxResponse);
        asmx.empty("A");
        let out = asmx.finish();
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"));
        assert!(out.contains(XSI_NS) && out.contains(XSD_NS));
        assert!(out.ends_with("<A /></soap:Body></soap:Envelope>"));
        let request = XmlWriter::envelope(Envelope::AsmxRequest).finish();
        assert!(!request.contains(XSI_NS), "{request}");
        let mut client = XmlWriter::envelope(Envelope::ClientRequest);
        client.empty("A");
        client.nil("B");
        assert_eq!(
            client.finish(),
            format!(
                "<s:Envelope xmlns:s=\"{SOAP_ENVELOPE_NS}\"><s:Body><A/><B a:nil=\"true\" xmlns:a=\"{XSI_NS}\"/></s:Body></s:Envelope>"
            )
        );
    }

    #[test]
    fn an_operation_without_content_has_no_space_before_the_slash_in_any_style() {
        for style in [
            Envelope::AsmxRequest,
            Envelope::AsmxResponse,
            Envelope::ClientService,
            Envelope::ClientRequest,
        ] {
            let mut w = bare(style);
            w.empty_ns("Op", "urn:\"x\"");
            assert_eq!(w.out, "<Op xmlns=\"urn:&quot;x&quot;\"/>");
        }
    }
}
