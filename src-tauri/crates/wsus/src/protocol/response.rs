//! The answers of an upstream: written by an upstream server, read by a sync client.

use serde::{Deserialize, Serialize};

use crate::error::WsusError;
use crate::protocol::envelope::{
    read_authorization_cookie, read_cookie_fields, read_identities, read_list, read_plugin, write_identity,
    write_plugin, COOKIE_EXPIRATION,
};
use crate::protocol::messages::{
    AuthConfig, AuthorizationCookie, ConfigData, Cookie, FileUrl, LanguageData, Operation, RevisionIdList, UpdateData,
};
use crate::soap::{leave_envelope, open_payload, read_update_data, ServerSyncUpdateData};
use crate::xml::XmlCursor;
use crate::xml_read::{read_bool, read_num, read_opt_text};
use crate::xml_write::{Envelope, XmlWriter};

const CONTEXT: &str = "WSUSSS response";

/// The result of one call. A fault is not a `Response`: [`Response::parse`] returns it as
/// [`WsusError::Fault`], and a server writes it with [`fault_xml`](crate::protocol::fault_xml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    AuthConfig(AuthConfig),
    AuthorizationCookie(AuthorizationCookie),
    Cookie(Cookie),
    ConfigData(ConfigData),
    RevisionIdList(RevisionIdList),
    UpdateData(UpdateData),
}

impl Response {
    pub fn operation(&self) -> Operation {
        match self {
            Response::AuthConfig(_) => Operation::GetAuthConfig,
            Response::AuthorizationCookie(_) => Operation::GetAuthorizationCookie,
            Response::Cookie(_) => Operation::GetCookie,
            Response::ConfigData(_) => Operation::GetConfigData,
            Response::RevisionIdList(_) => Operation::GetRevisionIdList,
            Response::UpdateData(_) => Operation::GetUpdateData,
        }
    }

    /// The answer's SOAP envelope (HTTP 200, `Content-Type: text/xml; charset=utf-8`).
    /// Update blobs are written compressed where [`ServerSyncUpdateData::compressed`] is
    /// given, as plain `XmlUpdateBlob` text otherwise (WSUS's form for small documents,
    /// exchange 000015).
    pub fn to_xml(&self) -> String {
        let op = self.operation();
        let mut w = XmlWriter::envelope(Envelope::AsmxResponse);
        w.start_ns(op.response_element(), op.namespace());
        w.start(op.result_element());
        match self {
            Response::AuthConfig(config) => write_auth_config(&mut w, config),
            Response::AuthorizationCookie(cookie) => {
                w.text("PlugInId", &cookie.plugin_id);
                w.text("CookieData", &cookie.cookie_data);
            }
            Response::Cookie(cookie) => {
                w.text("Expiration", &cookie.expiration);
                w.text("EncryptedData", &cookie.encrypted_data);
            }
            Response::ConfigData(config) => write_config_data(&mut w, config),
            Response::RevisionIdList(list) => {
                w.opt_text("Anchor", list.anchor.as_deref());
                w.list("NewRevisions", &list.new_revisions, |w, id| {
                    write_identity(w, "UpdateIdentity", id)
                });
            }
            Response::UpdateData(data) => write_update_data(&mut w, data),
        }
        w.end(op.result_element());
        w.end(op.response_element());
        w.finish()
    }

    /// Reads the answer to a call of `op`. A SOAP fault is `Err(WsusError::Fault(..))`;
    /// compressed update blobs are decoded (bounded, see [`crate::blob`]).
    pub fn parse(op: Operation, body: &str) -> Result<Response, WsusError> {
        let mut cur = XmlCursor::new(body, CONTEXT);
        open_payload(&mut cur, op.namespace(), op.response_element(), CONTEXT)?;
        let mut response = None;
        while let Some(child) = cur.next_child()? {
            if child.is(op.result_element()) && !child.is_nil() && response.is_none() {
                response = Some(read_result(&mut cur, op)?);
            } else {
                cur.skip()?;
            }
        }
        let response = response.ok_or(WsusError::MissingElement(op.result_element()))?;
        leave_envelope(&mut cur)?;
        Ok(response)
    }
}

// ---- writing -------------------------------------------------------------------------------

fn write_auth_config(w: &mut XmlWriter, config: &AuthConfig) {
    w.text("LastChange", &config.last_change);
    w.list("AuthInfo", &config.plugins, write_plugin);
}

/// In the order WSUS writes them (exchange 000005).
fn write_config_data(w: &mut XmlWriter, c: &ConfigData) {
    w.bool("CatalogOnlySync", c.catalog_only_sync);
    w.bool("LazySync", c.lazy_sync);
    w.bool("ServerHostsPsfFiles", c.server_hosts_psf_files);
    w.int("MaxNumberOfComputerIdsInRequest", c.max_computer_ids_in_request);
    w.int("MaxNumberOfDriverSetsPerRequest", c.max_driver_sets_per_request);
    w.int("MaxNumberOfPnpHardwareIdsInRequest", c.max_pnp_hardware_ids_in_request);
    w.int("MaxNumberOfUpdatesPerRequest", c.max_updates_per_request);
    w.opt_text("NewConfigAnchor", c.new_config_anchor.as_deref());
    w.opt_text("ProtocolVersion", c.protocol_version.as_deref());
    w.list("LanguageUpdateList", &c.languages, |w, lang| {
        w.start("ServerSyncLanguageData");
        w.int("LanguageID", lang.language_id);
        w.text("ShortLanguage", &lang.short_language);
        w.text("LongLanguage", &lang.long_language);
        w.bool("Enabled", lang.enabled);
        w.end("ServerSyncLanguageData");
    });
    w.int(
        "MaxUpdatesPerRequestInGetUpdateDecryptionData",
        c.max_updates_per_request_in_get_update_decryption_data,
    );
}

/// `ServerSyncUpdateData` children in the schema's order: `Id`, `XmlUpdateBlob`,
/// `FileDigestList` (left out when empty, as WSUS does), `XmlUpdateBlobCompressed`; one of
/// the two blobs, as exchanges 000014 and 000015 show.
fn write_update_data(w: &mut XmlWriter, data: &UpdateData) {
    w.list("updates", &data.updates, |w, update: &ServerSyncUpdateData| {
        w.start("ServerSyncUpdateData");
        write_identity(w, "Id", &update.id);
        if update.compressed.is_none() {
            w.text("XmlUpdateBlob", &update.xml);
        }
        w.list_if_any("FileDigestList", &update.file_digests, |w, digest| {
            w.text("base64Binary", digest)
        });
        if let Some(compressed) = &update.compressed {
            w.text("XmlUpdateBlobCompressed", compressed);
        }
        w.end("ServerSyncUpdateData");
    });
    w.list("fileUrls", &data.file_urls, |w, url| {
        w.start("ServerSyncUrlData");
        w.text("FileDigest", &url.digest);
        w.text("MUUrl", &url.mu_url);
        w.text("UssUrl", &url.uss_url);
        w.end("ServerSyncUrlData");
    });
}

// ---- reading -------------------------------------------------------------------------------

/// The content of `<op>Result`, consumed whole.
fn read_result(cur: &mut XmlCursor, op: Operation) -> Result<Response, WsusError> {
    Ok(match op {
        Operation::GetAuthConfig => Response::AuthConfig(read_auth_config(cur)?),
        Operation::GetAuthorizationCookie => Response::AuthorizationCookie(read_authorization_cookie(cur)?),
        // The result element is the `Cookie` itself.
        Operation::GetCookie => Response::Cookie(read_cookie_fields(cur, COOKIE_EXPIRATION)?),
        Operation::GetConfigData => Response::ConfigData(read_config_data(cur)?),
        Operation::GetRevisionIdList => Response::RevisionIdList(read_revision_id_list(cur)?),
        Operation::GetUpdateData => Response::UpdateData(read_update_data_result(cur)?),
    })
}

fn read_auth_config(cur: &mut XmlCursor) -> Result<AuthConfig, WsusError> {
    let mut last_change = None;
    let mut plugins = Vec::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "LastChange" => last_change = Some(cur.read_text()?),
            "AuthInfo" => plugins = read_list(cur, "AuthPlugInInfo", read_plugin)?,
            _ => cur.skip()?,
        }
    }
    Ok(AuthConfig {
        last_change: last_change.ok_or(WsusError::MissingElement("GetAuthConfigResult/LastChange"))?,
        plugins,
    })
}

fn read_config_data(cur: &mut XmlCursor) -> Result<ConfigData, WsusError> {
    let mut catalog_only_sync = None;
    let mut lazy_sync = None;
    let mut server_hosts_psf_files = None;
    let mut max_computer_ids = None;
    let mut max_driver_sets = None;
    let mut max_pnp_ids = None;
    let mut max_updates = None;
    let mut new_config_anchor = None;
    let mut protocol_version = None;
    let mut languages = Vec::new();
    let mut max_decryption = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "CatalogOnlySync" => catalog_only_sync = Some(read_bool(cur, "ConfigData/CatalogOnlySync")?),
            "LazySync" => lazy_sync = Some(read_bool(cur, "ConfigData/LazySync")?),
            "ServerHostsPsfFiles" => server_hosts_psf_files = Some(read_bool(cur, "ConfigData/ServerHostsPsfFiles")?),
            "MaxNumberOfComputerIdsInRequest" => {
                max_computer_ids = Some(read_num(cur, "ConfigData/MaxNumberOfComputerIdsInRequest")?)
            }
            "MaxNumberOfDriverSetsPerRequest" => {
                max_driver_sets = Some(read_num(cur, "ConfigData/MaxNumberOfDriverSetsPerRequest")?)
            }
            "MaxNumberOfPnpHardwareIdsInRequest" => {
                max_pnp_ids = Some(read_num(cur, "ConfigData/MaxNumberOfPnpHardwareIdsInRequest")?)
            }
            "MaxNumberOfUpdatesPerRequest" => {
                max_updates = Some(read_num(cur, "ConfigData/MaxNumberOfUpdatesPerRequest")?)
            }
            "NewConfigAnchor" => new_config_anchor = read_opt_text(cur)?,
            "ProtocolVersion" => protocol_version = read_opt_text(cur)?,
            "LanguageUpdateList" => languages = read_list(cur, "ServerSyncLanguageData", read_language)?,
            "MaxUpdatesPerRequestInGetUpdateDecryptionData" => {
                max_decryption = Some(read_num(
                    cur,
                    "ConfigData/MaxUpdatesPerRequestInGetUpdateDecryptionData",
                )?)
            }
            _ => cur.skip()?,
        }
    }
    let missing = WsusError::MissingElement;
    Ok(ConfigData {
        catalog_only_sync: catalog_only_sync.ok_or(missing("ConfigData/CatalogOnlySync"))?,
        lazy_sync: lazy_sync.ok_or(missing("ConfigData/LazySync"))?,
        server_hosts_psf_files: server_hosts_psf_files.ok_or(missing("ConfigData/ServerHostsPsfFiles"))?,
        max_computer_ids_in_request: max_computer_ids.ok_or(missing("ConfigData/MaxNumberOfComputerIdsInRequest"))?,
        max_driver_sets_per_request: max_driver_sets.ok_or(missing("ConfigData/MaxNumberOfDriverSetsPerRequest"))?,
        max_pnp_hardware_ids_in_request: max_pnp_ids.ok_or(missing("ConfigData/MaxNumberOfPnpHardwareIdsInRequest"))?,
        max_updates_per_request: max_updates.ok_or(missing("ConfigData/MaxNumberOfUpdatesPerRequest"))?,
        new_config_anchor,
        protocol_version,
        languages,
        max_updates_per_request_in_get_update_decryption_data: max_decryption
            .ok_or(missing("ConfigData/MaxUpdatesPerRequestInGetUpdateDecryptionData"))?,
    })
}

fn read_language(cur: &mut XmlCursor) -> Result<LanguageData, WsusError> {
    let mut language_id = None;
    let mut short_language = String::new();
    let mut long_language = String::new();
    let mut enabled = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "LanguageID" => language_id = Some(read_num(cur, "ServerSyncLanguageData/LanguageID")?),
            "ShortLanguage" => short_language = cur.read_text()?,
            "LongLanguage" => long_language = cur.read_text()?,
            "Enabled" => enabled = Some(read_bool(cur, "ServerSyncLanguageData/Enabled")?),
            _ => cur.skip()?,
        }
    }
    Ok(LanguageData {
        language_id: language_id.ok_or(WsusError::MissingElement("ServerSyncLanguageData/LanguageID"))?,
        short_language,
        long_language,
        enabled: enabled.ok_or(WsusError::MissingElement("ServerSyncLanguageData/Enabled"))?,
    })
}

fn read_revision_id_list(cur: &mut XmlCursor) -> Result<RevisionIdList, WsusError> {
    let mut list = RevisionIdList {
        anchor: None,
        new_revisions: Vec::new(),
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Anchor" => list.anchor = read_opt_text(cur)?,
            "NewRevisions" => list.new_revisions = read_identities(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(list)
}

fn read_update_data_result(cur: &mut XmlCursor) -> Result<UpdateData, WsusError> {
    let mut data = UpdateData {
        updates: Vec::new(),
        file_urls: Vec::new(),
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "updates" => data.updates = read_list(cur, "ServerSyncUpdateData", read_update_data)?,
            "fileUrls" => data.file_urls = read_list(cur, "ServerSyncUrlData", read_file_url)?,
            _ => cur.skip()?,
        }
    }
    Ok(data)
}

fn read_file_url(cur: &mut XmlCursor) -> Result<FileUrl, WsusError> {
    let mut url = FileUrl {
        digest: String::new(),
        mu_url: String::new(),
        uss_url: String::new(),
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "FileDigest" => url.digest = cur.read_text()?,
            "MUUrl" => url.mu_url = cur.read_text()?,
            "UssUrl" => url.uss_url = cur.read_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(url)
}
