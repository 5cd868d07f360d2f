//! The calls a downstream makes: written by a sync client, read by an upstream server.

use serde::{Deserialize, Serialize};

use crate::error::WsusError;
use crate::model::RevisionId;
use crate::protocol::envelope::{
    read_authorization_cookie, read_cookie, read_identities, read_list, write_cookie, write_identity, COOKIE_EXPIRATION,
};
use crate::protocol::messages::{
    AuthorizationCookie, Cookie, IdAndDelta, LanguageAndDelta, Operation, ServerSyncFilter,
};
use crate::soap::{leave_envelope, open_payload};
use crate::xml::XmlCursor;
use crate::xml_read::{read_bool, read_guid, read_num, read_opt_text};
use crate::xml_write::{Envelope, XmlWriter};

const CONTEXT: &str = "WSUSSS request";

/// One call of the protocol, with its parameters.
///
/// The `cookie` of the later calls is an `Option` because a call without one is still a call
/// the upstream must answer, with an `InvalidCookie` fault (exchange 000019).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    GetAuthConfig,
    /// On the DssAuthWebService. Carries only these two parameters; WSUS answers with the
    /// `DssTargeting` plug-in's cookie.
    GetAuthorizationCookie {
        /// `accountName`: the downstream's name (an FQDN).
        account_name: String,
        /// `accountGuid`: the downstream's own GUID, lower-case.
        account_guid: String,
    },
    GetCookie {
        /// `authCookies/AuthorizationCookie`: exactly one, the one `GetAuthorizationCookie`
        /// returned.
        authorization_cookies: Vec<AuthorizationCookie>,
        /// `oldCookie`: the last cookie, if any; left out (never nil) when `None`.
        old_cookie: Option<Cookie>,
        /// `protocolVersion`: [`PROTOCOL_VERSION`](crate::protocol::PROTOCOL_VERSION).
        protocol_version: String,
    },
    GetConfigData {
        cookie: Option<Cookie>,
        /// `configAnchor`: the last `ConfigData::new_config_anchor`; `None` the first time.
        config_anchor: Option<String>,
    },
    GetRevisionIdList {
        cookie: Option<Cookie>,
        filter: ServerSyncFilter,
    },
    GetUpdateData {
        cookie: Option<Cookie>,
        /// `updateIds/UpdateIdentity`: at most `ConfigData::max_updates_per_request` of them.
        update_ids: Vec<RevisionId>,
    },
}

impl Request {
    pub fn operation(&self) -> Operation {
        match self {
            Request::GetAuthConfig => Operation::GetAuthConfig,
            Request::GetAuthorizationCookie { .. } => Operation::GetAuthorizationCookie,
            Request::GetCookie { .. } => Operation::GetCookie,
            Request::GetConfigData { .. } => Operation::GetConfigData,
            Request::GetRevisionIdList { .. } => Operation::GetRevisionIdList,
            Request::GetUpdateData { .. } => Operation::GetUpdateData,
        }
    }

    /// The session cookie the call carries, for the calls that carry one.
    pub fn cookie(&self) -> Option<&Cookie> {
        match self {
            Request::GetConfigData { cookie, .. }
            | Request::GetRevisionIdList { cookie, .. }
            | Request::GetUpdateData { cookie, .. } => cookie.as_ref(),
            _ => None,
        }
    }

    /// The SOAP envelope to post to `self.operation().path()` with the header
    /// `SOAPAction: "<self.operation().soap_action()>"`.
    pub fn to_xml(&self) -> String {
        let op = self.operation();
        let mut w = XmlWriter::envelope(Envelope::AsmxRequest);
        if let Request::GetAuthConfig = self {
            w.empty_ns(op.name(), op.namespace());
            return w.finish();
        }
        w.start_ns(op.name(), op.namespace());
        match self {
            Request::GetAuthConfig => {}
            Request::GetAuthorizationCookie {
                account_name,
                account_guid,
            } => {
                w.text("accountName", account_name);
                w.text("accountGuid", account_guid);
            }
            Request::GetCookie {
                authorization_cookies,
                old_cookie,
                protocol_version,
            } => {
                w.list("authCookies", authorization_cookies, |w, c| {
                    w.start("AuthorizationCookie");
                    w.text("PlugInId", &c.plugin_id);
                    w.text("CookieData", &c.cookie_data);
                    w.end("AuthorizationCookie");
                });
                if let Some(old) = old_cookie {
                    write_cookie(&mut w, "oldCookie", old);
                }
                w.text("protocolVersion", protocol_version);
            }
            Request::GetConfigData { cookie, config_anchor } => {
                write_session_cookie(&mut w, cookie);
                w.opt_text("configAnchor", config_anchor.as_deref());
            }
            Request::GetRevisionIdList { cookie, filter } => {
                write_session_cookie(&mut w, cookie);
                write_filter(&mut w, filter);
            }
            Request::GetUpdateData { cookie, update_ids } => {
                write_session_cookie(&mut w, cookie);
                w.list("updateIds", update_ids, |w, id| write_identity(w, "UpdateIdentity", id));
            }
        }
        w.end(op.name());
        w.finish()
    }

    /// Reads a call as an upstream receives it. `soap_action` is the `SOAPAction` header
    /// (quotes allowed); the body must hold that operation's element in its namespace.
    pub fn parse(soap_action: &str, body: &str) -> Result<Request, WsusError> {
        let op = Operation::from_soap_action(soap_action).ok_or_else(|| WsusError::InvalidValue {
            field: "SOAPAction",
            value: soap_action.to_owned(),
        })?;
        let mut cur = XmlCursor::new(body, CONTEXT);
        open_payload(&mut cur, op.namespace(), op.name(), CONTEXT)?;
        let request = match op {
            Operation::GetAuthConfig => {
                crate::soap::skip_rest(&mut cur)?;
                Request::GetAuthConfig
            }
            Operation::GetAuthorizationCookie => read_get_authorization_cookie(&mut cur)?,
            Operation::GetCookie => read_get_cookie(&mut cur)?,
            Operation::GetConfigData => read_get_config_data(&mut cur)?,
            Operation::GetRevisionIdList => read_get_revision_id_list(&mut cur)?,
            Operation::GetUpdateData => read_get_update_data(&mut cur)?,
        };
        leave_envelope(&mut cur)?;
        Ok(request)
    }
}

// ---- writing -------------------------------------------------------------------------------

fn write_session_cookie(w: &mut XmlWriter, cookie: &Option<Cookie>) {
    if let Some(cookie) = cookie {
        write_cookie(w, "cookie", cookie);
    }
}

fn write_filter(w: &mut XmlWriter, filter: &ServerSyncFilter) {
    w.start("filter");
    w.opt_text("Anchor", filter.anchor.as_deref());
    w.bool("GetConfig", filter.get_config);
    if let Some(only) = filter.get_63_language_only {
        w.bool("Get63LanguageOnly", only);
    }
    let id_and_delta = |w: &mut XmlWriter, entry: &IdAndDelta| {
        w.start("IdAndDelta");
        w.text("Id", &entry.id);
        w.bool("Delta", entry.delta);
        w.end("IdAndDelta");
    };
    w.list_if_any("Categories", &filter.categories, id_and_delta);
    w.list_if_any("Classifications", &filter.classifications, id_and_delta);
    w.list_if_any("Languages", &filter.languages, |w, entry| {
        w.start("LanguageAndDelta");
        w.int("Id", entry.id);
        w.bool("Delta", entry.delta);
        w.end("LanguageAndDelta");
    });
    w.end("filter");
}

// ---- reading -------------------------------------------------------------------------------

fn read_get_authorization_cookie(cur: &mut XmlCursor) -> Result<Request, WsusError> {
    let mut account_name = String::new();
    let mut account_guid = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "accountName" => account_name = cur.read_text()?,
            "accountGuid" => account_guid = Some(read_guid(cur, "GetAuthorizationCookie/accountGuid")?),
            _ => cur.skip()?,
        }
    }
    Ok(Request::GetAuthorizationCookie {
        account_name,
        account_guid: account_guid.ok_or(WsusError::MissingElement("GetAuthorizationCookie/accountGuid"))?,
    })
}

fn read_get_cookie(cur: &mut XmlCursor) -> Result<Request, WsusError> {
    let mut authorization_cookies = Vec::new();
    let mut old_cookie = None;
    let mut protocol_version = String::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "authCookies" => authorization_cookies = read_list(cur, "AuthorizationCookie", read_authorization_cookie)?,
            "oldCookie" => old_cookie = read_cookie(cur, &child, COOKIE_EXPIRATION)?,
            "protocolVersion" => protocol_version = cur.read_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(Request::GetCookie {
        authorization_cookies,
        old_cookie,
        protocol_version,
    })
}

fn read_get_config_data(cur: &mut XmlCursor) -> Result<Request, WsusError> {
    let mut cookie = None;
    let mut config_anchor = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => cookie = read_cookie(cur, &child, COOKIE_EXPIRATION)?,
            "configAnchor" => config_anchor = read_opt_text(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(Request::GetConfigData { cookie, config_anchor })
}

fn read_get_revision_id_list(cur: &mut XmlCursor) -> Result<Request, WsusError> {
    let mut cookie = None;
    let mut filter = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => cookie = read_cookie(cur, &child, COOKIE_EXPIRATION)?,
            "filter" if !child.is_nil() => filter = Some(read_filter(cur)?),
            _ => cur.skip()?,
        }
    }
    Ok(Request::GetRevisionIdList {
        cookie,
        filter: filter.ok_or(WsusError::MissingElement("GetRevisionIdList/filter"))?,
    })
}

fn read_filter(cur: &mut XmlCursor) -> Result<ServerSyncFilter, WsusError> {
    let mut filter = ServerSyncFilter::default();
    let mut get_config = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Anchor" => filter.anchor = read_opt_text(cur)?,
            "GetConfig" => get_config = Some(read_bool(cur, "filter/GetConfig")?),
            "Get63LanguageOnly" => filter.get_63_language_only = Some(read_bool(cur, "filter/Get63LanguageOnly")?),
            "Categories" => filter.categories = read_list(cur, "IdAndDelta", read_id_and_delta)?,
            "Classifications" => filter.classifications = read_list(cur, "IdAndDelta", read_id_and_delta)?,
            "Languages" => filter.languages = read_list(cur, "LanguageAndDelta", read_language_and_delta)?,
            _ => cur.skip()?,
        }
    }
    filter.get_config = get_config.ok_or(WsusError::MissingElement("filter/GetConfig"))?;
    Ok(filter)
}

fn read_id_and_delta(cur: &mut XmlCursor) -> Result<IdAndDelta, WsusError> {
    let mut id = None;
    let mut delta = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Id" => id = Some(read_guid(cur, "IdAndDelta/Id")?),
            "Delta" => delta = Some(read_bool(cur, "IdAndDelta/Delta")?),
            _ => cur.skip()?,
        }
    }
    Ok(IdAndDelta {
        id: id.ok_or(WsusError::MissingElement("IdAndDelta/Id"))?,
        delta: delta.ok_or(WsusError::MissingElement("IdAndDelta/Delta"))?,
    })
}

fn read_language_and_delta(cur: &mut XmlCursor) -> Result<LanguageAndDelta, WsusError> {
    let mut id = None;
    let mut delta = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Id" => id = Some(read_num(cur, "LanguageAndDelta/Id")?),
            "Delta" => delta = Some(read_bool(cur, "LanguageAndDelta/Delta")?),
            _ => cur.skip()?,
        }
    }
    Ok(LanguageAndDelta {
        id: id.ok_or(WsusError::MissingElement("LanguageAndDelta/Id"))?,
        delta: delta.ok_or(WsusError::MissingElement("LanguageAndDelta/Delta"))?,
    })
}

fn read_get_update_data(cur: &mut XmlCursor) -> Result<Request, WsusError> {
    let mut cookie = None;
    let mut update_ids = Vec::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => cookie = read_cookie(cur, &child, COOKIE_EXPIRATION)?,
            "updateIds" => update_ids = read_identities(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(Request::GetUpdateData { cookie, update_ids })
}
