//! SOAP pieces shared by [`crate::protocol`] and [`crate::wusp`]: opening and closing the
//! envelope, finding the operation element, and the reading of SOAP faults (the fault type
//! itself is in [`crate::error`]); also the MS-WSUSSS `GetUpdateData` answer reader kept for
//! its existing callers, and the `ServerSyncUpdateData` record.
//! Every message of MS-WSUSSS, in both directions, is in [`crate::protocol`].
//!
//! SOAP 1.1 and 1.2 envelopes are both read, with any prefix, by local name.

use serde::{Deserialize, Serialize};

use crate::blob::decode_compressed_blob;
use crate::error::{SoapFault, WsusError};
use crate::model::RevisionId;
use crate::update_xml::is_guid;
use crate::xml::{Element, XmlCursor};

const RESPONSE: &str = "GetUpdateData response";
const FAULT: &str = "SOAP fault";

/// One `ServerSyncUpdateData` of a `GetUpdateData` answer, its blob already decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSyncUpdateData {
    pub id: RevisionId,
    /// `FileDigestList/base64Binary`: SHA-1 digests (base64) of the files the update uses.
    pub file_digests: Vec<String>,
    /// The update XML, from `XmlUpdateBlobCompressed` or from `XmlUpdateBlob`.
    pub xml: String,
    /// For writing only: the `XmlUpdateBlobCompressed` text (of
    /// [`encode_compressed_blob`](crate::blob::encode_compressed_blob)) sent in place of
    /// `xml`. Readers leave it `None`, having decoded it into `xml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compressed: Option<String>,
}

/// Reads a `GetUpdateDataResponse` envelope. A fault answer becomes [`WsusError::Fault`].
pub fn parse_get_update_data_response(body: &str) -> Result<Vec<ServerSyncUpdateData>, WsusError> {
    let mut cur = XmlCursor::new(body, RESPONSE);
    let payload = enter_body(&mut cur, RESPONSE)?;
    if payload.is("Fault") {
        let fault = read_fault(&mut cur)?;
        leave_envelope(&mut cur)?;
        return Err(WsusError::Fault(Box::new(fault)));
    }
    if !payload.is("GetUpdateDataResponse") {
        return Err(WsusError::UnexpectedElement {
            context: RESPONSE,
            expected: "GetUpdateDataResponse",
            found: payload.name,
        });
    }
    let updates = read_response(&mut cur)?;
    leave_envelope(&mut cur)?;
    Ok(updates)
}

/// The fault in a SOAP answer, or `None` when the body is no fault (or not readable XML:
/// the caller then reports the body through its own parser's error).
pub fn parse_fault(body: &str) -> Option<SoapFault> {
    let mut cur = XmlCursor::new(body, FAULT);
    let payload = enter_body(&mut cur, FAULT).ok()?;
    if !payload.is("Fault") {
        return None;
    }
    read_fault(&mut cur).ok()
}

// ---- envelope ------------------------------------------------------------------------------

/// Opens `Envelope` and `Body`, leaving the cursor inside the first element of the body.
pub(crate) fn enter_body(cur: &mut XmlCursor, context: &'static str) -> Result<Element, WsusError> {
    let root = cur.root()?;
    if !root.is("Envelope") {
        return Err(WsusError::UnexpectedElement {
            context,
            expected: "Envelope",
            found: root.name,
        });
    }
    while let Some(child) = cur.next_child()? {
        if child.is("Body") {
            return cur.next_child()?.ok_or(WsusError::MissingElement("Envelope/Body/*"));
        }
        cur.skip()?;
    }
    Err(WsusError::MissingElement("Envelope/Body"))
}

/// Opens the envelope and checks that the body holds `expected` in `namespace`. A SOAP fault
/// in the body becomes [`WsusError::Fault`].
pub(crate) fn open_payload(
    cur: &mut XmlCursor,
    namespace: &'static str,
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
    check_namespace(&payload, namespace, expected, context)?;
    Ok(payload)
}

/// The operation element `el` (named `element` in the error) must be in `expected`: only its
/// own namespace is checked, every other element is matched by local name.
pub(crate) fn check_namespace(
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

/// Passes over whatever follows the payload and checks the envelope closes properly.
pub(crate) fn leave_envelope(cur: &mut XmlCursor) -> Result<(), WsusError> {
    skip_rest(cur)?; // of Body
    skip_rest(cur)?; // of Envelope
    cur.finish()
}

/// Consumes the remaining children of the element last opened, and the element itself.
pub(crate) fn skip_rest(cur: &mut XmlCursor) -> Result<(), WsusError> {
    while cur.next_child()?.is_some() {
        cur.skip()?;
    }
    Ok(())
}

// ---- GetUpdateData -------------------------------------------------------------------------

fn read_response(cur: &mut XmlCursor) -> Result<Vec<ServerSyncUpdateData>, WsusError> {
    let mut updates = None;
    while let Some(child) = cur.next_child()? {
        if child.is("GetUpdateDataResult") && updates.is_none() {
            updates = Some(read_result(cur)?);
        } else {
            cur.skip()?;
        }
    }
    updates.ok_or(WsusError::MissingElement("GetUpdateDataResponse/GetUpdateDataResult"))
}

/// `fileUrls` is passed over: download locations are the next issue's business.
fn read_result(cur: &mut XmlCursor) -> Result<Vec<ServerSyncUpdateData>, WsusError> {
    let mut updates = Vec::new();
    while let Some(child) = cur.next_child()? {
        if !child.is("updates") {
            cur.skip()?;
            continue;
        }
        while let Some(item) = cur.next_child()? {
            if item.is("ServerSyncUpdateData") {
                updates.push(read_update_data(cur)?);
            } else {
                cur.skip()?;
            }
        }
    }
    Ok(updates)
}

pub(crate) fn read_update_data(cur: &mut XmlCursor) -> Result<ServerSyncUpdateData, WsusError> {
    let mut id = None;
    let mut file_digests = Vec::new();
    let mut xml = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Id" => id = Some(read_id(cur)?),
            "FileDigestList" => file_digests = read_digests(cur)?,
            "XmlUpdateBlobCompressed" => {
                let text = cur.read_text()?;
                if !text.is_empty() {
                    xml = Some(decode_compressed_blob(&text)?);
                }
            }
            // A nil or empty plain blob beside a compressed one must not hide it. The text is
            // kept untrimmed so that a blob written by `protocol` reads back unchanged.
            "XmlUpdateBlob" => {
                let text = cur.read_raw_text()?;
                if !text.trim().is_empty() {
                    xml = Some(text);
                }
            }
            _ => cur.skip()?,
        }
    }
    Ok(ServerSyncUpdateData {
        id: id.ok_or(WsusError::MissingElement("ServerSyncUpdateData/Id"))?,
        file_digests,
        xml: xml.ok_or(WsusError::MissingElement("ServerSyncUpdateData/XmlUpdateBlob"))?,
        compressed: None,
    })
}

/// An `Id` or `UpdateIdentity` with `UpdateID` and `RevisionNumber` children.
pub(crate) fn read_id(cur: &mut XmlCursor) -> Result<RevisionId, WsusError> {
    let mut update_id = None;
    let mut revision = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "UpdateID" => update_id = Some(cur.read_text()?),
            "RevisionNumber" => revision = Some(cur.read_text()?),
            _ => cur.skip()?,
        }
    }
    let update_id = update_id.ok_or(WsusError::MissingElement("Id/UpdateID"))?;
    if !is_guid(&update_id) {
        return Err(WsusError::InvalidValue {
            field: "Id/UpdateID",
            value: update_id,
        });
    }
    let revision = revision.ok_or(WsusError::MissingElement("Id/RevisionNumber"))?;
    let revision = revision.parse().map_err(|_| WsusError::InvalidValue {
        field: "Id/RevisionNumber",
        value: revision,
    })?;
    Ok(RevisionId {
        update_id: update_id.to_ascii_lowercase(),
        revision,
    })
}

fn read_digests(cur: &mut XmlCursor) -> Result<Vec<String>, WsusError> {
    let mut digests = Vec::new();
    while let Some(child) = cur.next_child()? {
        if child.is("base64Binary") {
            let digest = cur.read_text()?;
            if !digest.is_empty() {
                digests.push(digest);
            }
        } else {
            cur.skip()?;
        }
    }
    Ok(digests)
}

// ---- faults --------------------------------------------------------------------------------

pub(crate) fn read_fault(cur: &mut XmlCursor) -> Result<SoapFault, WsusError> {
    let mut fault = SoapFault::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "faultcode" => fault.code = without_prefix(&cur.read_text()?),
            "faultstring" => fault.message = cur.read_text()?,
            "faultactor" | "Role" => fault.actor = non_empty(cur.read_text()?),
            "Code" => fault.code = without_prefix(&first_text_of(cur, "Value")?),
            "Reason" => fault.message = first_text_of(cur, "Text")?,
            "detail" | "Detail" => read_fault_detail(cur, &mut fault)?,
            _ => cur.skip()?,
        }
    }
    Ok(fault)
}

/// The first of each WSUS detail child counts; anything else in `detail` is passed over.
fn read_fault_detail(cur: &mut XmlCursor, fault: &mut SoapFault) -> Result<(), WsusError> {
    while let Some(child) = cur.next_child()? {
        let slot = match child.name.as_str() {
            "ErrorCode" => &mut fault.error_code,
            "Message" => &mut fault.detail_message,
            "ID" => &mut fault.id,
            "Method" => &mut fault.method,
            _ => {
                cur.skip()?;
                continue;
            }
        };
        let text = non_empty(cur.read_text()?);
        if slot.is_none() {
            *slot = text;
        }
    }
    Ok(())
}

/// The text of the first child named `name` of the element last opened; consumes it whole.
fn first_text_of(cur: &mut XmlCursor, name: &str) -> Result<String, WsusError> {
    let mut found = None;
    while let Some(child) = cur.next_child()? {
        if child.is(name) && found.is_none() {
            found = Some(cur.read_text()?);
        } else {
            cur.skip()?;
        }
    }
    Ok(found.unwrap_or_default())
}

/// A fault code is a QName whose prefix only means something inside its own document.
fn without_prefix(qname: &str) -> String {
    qname.rsplit(':').next().unwrap_or(qname).to_owned()
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture_text, fixtures};

    fn sample(name: &str) -> String {
        fixture_text(&fixtures().join("protocol-samples").join(name))
    }

    #[test]
    fn soap11_fault_without_error_code() {
        let fault = parse_fault(&sample("fault_soap11_no_errorcode.xml")).expect("a fault");
        assert_eq!(fault.error_code, None);
        assert!(!fault.code.contains(':'));
        assert!(!fault.message.is_empty());
    }

    #[test]
    fn soap12_fault_reads_code_reason_and_detail() {
        let body = sample("fault_soap12_wsusss_detail.xml");
        let fault = parse_fault(&body).expect("a fault");
        assert!(body.contains(&format!(">{}</", fault.message)));
        let code = fault.error_code.clone().expect("an ErrorCode");
        assert!(body.contains(&format!("<ErrorCode>{code}</ErrorCode>")));
        assert!(body.contains(&format!(":{}</", fault.code)));
    }

    #[test]
    fn a_fault_answer_is_an_error_that_carries_the_fault() {
        let body = sample("fault_soap11_invalid_cookie.xml");
        let fault = parse_fault(&body).expect("a fault");
        assert_eq!(
            parse_get_update_data_response(&body),
            Err(WsusError::Fault(Box::new(fault.clone())))
        );
        assert!(fault.to_string().contains(fault.error_code.as_deref().unwrap_or("?")));
    }

    #[test]
    fn something_other_than_an_envelope_is_refused() {
        let err = parse_get_update_data_response(&sample("metadata_update_core.xml"));
        assert!(matches!(
            err,
            Err(WsusError::UnexpectedElement {
                expected: "Envelope",
                ..
            })
        ));
        assert_eq!(parse_fault(&sample("metadata_update_core.xml")), None);
    }

    #[test]
    fn prefix_is_dropped_from_fault_codes() {
        assert_eq!(without_prefix("soap:Client"), "Client");
        assert_eq!(without_prefix("Client"), "Client");
    }
}
