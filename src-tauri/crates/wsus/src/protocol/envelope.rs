//! The values every message is made of beyond the XML Schema scalars of [`crate::xml_read`]:
//! cookies, authorization cookies, plug-in infos and update identities, read and written on
//! the crate's one [`XmlWriter`]. MS-WUSP carries the same cookie and authorization types, so
//! [`crate::wusp`] reads and writes them with these functions too.

use crate::error::WsusError;
use crate::model::RevisionId;
use crate::protocol::messages::{AuthPlugInInfo, AuthorizationCookie, Cookie};
use crate::xml::{Element, XmlCursor};
use crate::xml_read::read_array;
use crate::xml_write::XmlWriter;

/// What an MS-WSUSSS cookie without `Expiration` is reported as.
pub(crate) const COOKIE_EXPIRATION: &str = "Cookie/Expiration";

// ---- writing -------------------------------------------------------------------------------

/// `<name><Expiration>..</Expiration><EncryptedData>..</EncryptedData></name>`.
pub(crate) fn write_cookie(w: &mut XmlWriter, name: &str, cookie: &Cookie) {
    w.start(name);
    w.text("Expiration", &cookie.expiration);
    w.text("EncryptedData", &cookie.encrypted_data);
    w.end(name);
}

/// `<name><UpdateID>..</UpdateID><RevisionNumber>..</RevisionNumber></name>`.
pub(crate) fn write_identity(w: &mut XmlWriter, name: &str, id: &RevisionId) {
    w.start(name);
    w.text("UpdateID", &id.update_id);
    w.int("RevisionNumber", id.revision);
    w.end(name);
}

/// One `AuthPlugInInfo` of an `AuthInfo` list.
pub(crate) fn write_plugin(w: &mut XmlWriter, plugin: &AuthPlugInInfo) {
    w.start("AuthPlugInInfo");
    w.text("PlugInID", &plugin.plugin_id);
    w.text("ServiceUrl", &plugin.service_url);
    w.opt_text("Parameter", plugin.parameter.as_deref());
    w.end("AuthPlugInInfo");
}

// ---- reading -------------------------------------------------------------------------------

/// A `Cookie` element's content; `None` for `xsi:nil`. `field` names a missing `Expiration`.
pub(crate) fn read_cookie(cur: &mut XmlCursor, el: &Element, field: &'static str) -> Result<Option<Cookie>, WsusError> {
    if el.is_nil() {
        cur.skip()?;
        return Ok(None);
    }
    read_cookie_fields(cur, field).map(Some)
}

/// The children of a cookie (`Expiration`, `EncryptedData`), consuming the element.
/// `EncryptedData` may be absent (the MS-WUSP `oldCookie` of scan/000003 has only
/// `Expiration`) and then reads as empty; a missing `Expiration` is an error naming `field`.
pub(crate) fn read_cookie_fields(cur: &mut XmlCursor, field: &'static str) -> Result<Cookie, WsusError> {
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
        expiration: expiration.ok_or(WsusError::MissingElement(field))?,
        encrypted_data,
    })
}

/// The content of an `AuthorizationCookie`, in a request or as a `GetAuthorizationCookieResult`.
pub(crate) fn read_authorization_cookie(cur: &mut XmlCursor) -> Result<AuthorizationCookie, WsusError> {
    let mut cookie = AuthorizationCookie {
        plugin_id: String::new(),
        cookie_data: String::new(),
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "PlugInId" => cookie.plugin_id = cur.read_text()?,
            "CookieData" => cookie.cookie_data = cur.read_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(cookie)
}

/// The content of one `AuthPlugInInfo`.
pub(crate) fn read_plugin(cur: &mut XmlCursor) -> Result<AuthPlugInInfo, WsusError> {
    let mut plugin = AuthPlugInInfo {
        plugin_id: String::new(),
        service_url: String::new(),
        parameter: None,
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "PlugInID" => plugin.plugin_id = cur.read_text()?,
            "ServiceUrl" => plugin.service_url = cur.read_text()?,
            // Present but empty is what WSUS sends; only nil or absence is `None`.
            "Parameter" if child.is_nil() => cur.skip()?,
            "Parameter" => plugin.parameter = Some(cur.read_text()?),
            _ => cur.skip()?,
        }
    }
    Ok(plugin)
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

/// An MS-WSUSSS list: [`read_array`] without a bound (this protocol sets none yet), named by
/// its item in an error.
pub(crate) fn read_list<T>(
    cur: &mut XmlCursor,
    item: &'static str,
    read: impl FnMut(&mut XmlCursor) -> Result<T, WsusError>,
) -> Result<Vec<T>, WsusError> {
    read_array(cur, item, item, usize::MAX, read)
}
