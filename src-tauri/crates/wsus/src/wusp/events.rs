//! The events of a `ReportEventBatch` (reporting service), as a native client sends them
//! (flow/000016 to 000018; decoded summaries in `wusp/reports`):
//!
//! ```text
//! ReportingEvent
//!   BasicData     TargetID/Sid, SequenceNumber, TimeAtTarget, EventInstanceID, NamespaceID,
//!                 EventID, SourceID, UpdateID/{UpdateID, RevisionNumber}, Win32HResult,
//!                 AppName (not always: flow/000017 has it only as MiscData `AppName=`)
//!   ExtendedData  ReplacementStrings/string*, MiscData/string*, ComputerBrand, ComputerModel,
//!                 BiosRevision, ProcessorArchitecture, OSVersion/{Major, Minor, Build,
//!                 Revision, ServicePackMajor, ServicePackMinor}, OSLocaleID
//!   PrivateData   empty in every capture
//! ```

use serde::{Deserialize, Serialize};

use crate::error::WsusError;
use crate::model::RevisionId;
use crate::wusp::limits::MAX_ITEMS;
use crate::xml::XmlCursor;
use crate::xml_read::{read_guid, read_num, read_opt_num, read_opt_text, read_strings};
use crate::xml_write::XmlWriter;

/// One event a client reports: what happened (`EventID` in `NamespaceID`, e.g. 147, 156, 161,
/// 181, 182 of namespace 1), to which update, with which result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingEvent {
    pub basic: BasicData,
    /// `None` when the client sent no `ExtendedData`.
    pub extended: Option<ExtendedData>,
    /// Whether a `PrivateData` element was sent (always empty in the captures).
    pub private_data_present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicData {
    /// `TargetID/Sid`: the client id the client registered with (SimpleAuth `clientId`).
    pub target_sid: String,
    pub sequence_number: i64,
    /// `TimeAtTarget`, kept as sent (`2026-10-04T15:20:47.502Z`).
    pub time_at_target: String,
    /// `EventInstanceID`, lower-case: unique per event, so a batch sent twice can be told.
    pub event_instance_id: String,
    pub namespace_id: i32,
    pub event_id: i32,
    pub source_id: i32,
    /// `UpdateID`: the all-zero GUID, revision 0, for events about no update.
    pub update: RevisionId,
    /// `Win32HResult`, signed as sent (`-2145123272` is 0x80240438).
    pub win32_hresult: i32,
    pub app_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtendedData {
    pub replacement_strings: Vec<String>,
    /// `MiscData/string`: `key=value` texts, kept in order (event 156 carries the `U=` and
    /// `V=` update lists here).
    pub misc_data: Vec<String>,
    pub computer_brand: Option<String>,
    pub computer_model: Option<String>,
    pub bios_revision: Option<String>,
    /// E.g. `Amd64Compatible`.
    pub processor_architecture: Option<String>,
    pub os_version: Option<OsVersion>,
    /// `OSLocaleID`, an LCID (1033).
    pub os_locale_id: Option<i32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsVersion {
    pub major: i32,
    pub minor: i32,
    pub build: i32,
    pub revision: i32,
    pub service_pack_major: i32,
    pub service_pack_minor: i32,
}

impl ReportingEvent {
    /// `BasicData/AppName`, or else the `AppName=` entry of `MiscData` (flow/000017 sends it
    /// only there).
    pub fn app_name(&self) -> Option<&str> {
        self.basic.app_name.as_deref().or_else(|| self.misc("AppName"))
    }

    /// The value of the first `key=value` entry of `MiscData` with this key.
    pub fn misc(&self, key: &str) -> Option<&str> {
        let extended = self.extended.as_ref()?;
        extended
            .misc_data
            .iter()
            .find_map(|entry| entry.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
    }
}

/// One `ReportingEvent` element, as the native client writes it (flow/000016-18): optional
/// values left out when absent, an empty `ReplacementStrings` or `MiscData` left out.
pub(crate) fn write_event(w: &mut XmlWriter, event: &ReportingEvent) {
    w.start("ReportingEvent");
    let b = &event.basic;
    w.start("BasicData");
    w.start("TargetID");
    w.text("Sid", &b.target_sid);
    w.end("TargetID");
    w.int("SequenceNumber", b.sequence_number);
    w.text("TimeAtTarget", &b.time_at_target);
    w.text("EventInstanceID", &b.event_instance_id);
    w.int("NamespaceID", b.namespace_id);
    w.int("EventID", b.event_id);
    w.int("SourceID", b.source_id);
    w.start("UpdateID");
    w.text("UpdateID", &b.update.update_id);
    w.int("RevisionNumber", b.update.revision);
    w.end("UpdateID");
    w.int("Win32HResult", b.win32_hresult);
    w.opt_text("AppName", b.app_name.as_deref());
    w.end("BasicData");
    if let Some(x) = &event.extended {
        w.start("ExtendedData");
        w.list_if_any("ReplacementStrings", &x.replacement_strings, |w, s| w.text("string", s));
        w.list_if_any("MiscData", &x.misc_data, |w, s| w.text("string", s));
        w.opt_text("ComputerBrand", x.computer_brand.as_deref());
        w.opt_text("ComputerModel", x.computer_model.as_deref());
        w.opt_text("BiosRevision", x.bios_revision.as_deref());
        w.opt_text("ProcessorArchitecture", x.processor_architecture.as_deref());
        if let Some(v) = &x.os_version {
            w.start("OSVersion");
            w.int("Major", v.major);
            w.int("Minor", v.minor);
            w.int("Build", v.build);
            w.int("Revision", v.revision);
            w.int("ServicePackMajor", v.service_pack_major);
            w.int("ServicePackMinor", v.service_pack_minor);
            w.end("OSVersion");
        }
        if let Some(lcid) = x.os_locale_id {
            w.int("OSLocaleID", lcid);
        }
        w.end("ExtendedData");
    }
    if event.private_data_present {
        w.empty("PrivateData");
    }
    w.end("ReportingEvent");
}

/// The content of one `ReportingEvent`, consuming the element.
pub(crate) fn read_event(cur: &mut XmlCursor) -> Result<ReportingEvent, WsusError> {
    let mut basic = None;
    let mut extended = None;
    let mut private_data_present = false;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "BasicData" => basic = Some(read_basic(cur)?),
            "ExtendedData" if !child.is_nil() => extended = Some(read_extended(cur)?),
            "PrivateData" => {
                private_data_present = !child.is_nil();
                cur.skip()?;
            }
            _ => cur.skip()?,
        }
    }
    Ok(ReportingEvent {
        basic: basic.ok_or(WsusError::MissingElement("ReportingEvent/BasicData"))?,
        extended,
        private_data_present,
    })
}

fn read_basic(cur: &mut XmlCursor) -> Result<BasicData, WsusError> {
    let mut target_sid = String::new();
    let mut sequence_number = 0;
    let mut time_at_target = None;
    let mut event_instance_id = None;
    let mut namespace_id = None;
    let mut event_id = None;
    let mut source_id = None;
    let mut update = None;
    let mut win32_hresult = 0;
    let mut app_name = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "TargetID" => {
                while let Some(id) = cur.next_child()? {
                    if id.is("Sid") {
                        target_sid = cur.read_text()?;
                    } else {
                        cur.skip()?;
                    }
                }
            }
            "SequenceNumber" => sequence_number = read_num(cur, "BasicData/SequenceNumber")?,
            "TimeAtTarget" => time_at_target = Some(cur.read_text()?),
            "EventInstanceID" => event_instance_id = Some(read_guid(cur, "BasicData/EventInstanceID")?),
            "NamespaceID" => namespace_id = Some(read_num(cur, "BasicData/NamespaceID")?),
            "EventID" => event_id = Some(read_num(cur, "BasicData/EventID")?),
            "SourceID" => source_id = Some(read_num(cur, "BasicData/SourceID")?),
            "UpdateID" => update = Some(read_event_update(cur)?),
            "Win32HResult" => win32_hresult = read_num(cur, "BasicData/Win32HResult")?,
            "AppName" => app_name = read_opt_text(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(BasicData {
        target_sid,
        sequence_number,
        time_at_target: time_at_target.ok_or(WsusError::MissingElement("BasicData/TimeAtTarget"))?,
        event_instance_id: event_instance_id.ok_or(WsusError::MissingElement("BasicData/EventInstanceID"))?,
        namespace_id: namespace_id.ok_or(WsusError::MissingElement("BasicData/NamespaceID"))?,
        event_id: event_id.ok_or(WsusError::MissingElement("BasicData/EventID"))?,
        source_id: source_id.ok_or(WsusError::MissingElement("BasicData/SourceID"))?,
        update: update.ok_or(WsusError::MissingElement("BasicData/UpdateID"))?,
        win32_hresult,
        app_name,
    })
}

fn read_event_update(cur: &mut XmlCursor) -> Result<RevisionId, WsusError> {
    let mut update_id = None;
    let mut revision = 0;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "UpdateID" => update_id = Some(read_guid(cur, "BasicData/UpdateID/UpdateID")?),
            "RevisionNumber" => revision = read_num(cur, "BasicData/UpdateID/RevisionNumber")?,
            _ => cur.skip()?,
        }
    }
    Ok(RevisionId {
        update_id: update_id.ok_or(WsusError::MissingElement("BasicData/UpdateID/UpdateID"))?,
        revision,
    })
}

fn read_extended(cur: &mut XmlCursor) -> Result<ExtendedData, WsusError> {
    let mut data = ExtendedData::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "ReplacementStrings" => {
                data.replacement_strings = read_strings(cur, "string", "ExtendedData/ReplacementStrings", MAX_ITEMS)?
            }
            "MiscData" => data.misc_data = read_strings(cur, "string", "ExtendedData/MiscData", MAX_ITEMS)?,
            "ComputerBrand" => data.computer_brand = read_opt_text(cur)?,
            "ComputerModel" => data.computer_model = read_opt_text(cur)?,
            "BiosRevision" => data.bios_revision = read_opt_text(cur)?,
            "ProcessorArchitecture" => data.processor_architecture = read_opt_text(cur)?,
            "OSVersion" if !child.is_nil() => data.os_version = Some(read_os_version(cur)?),
            "OSLocaleID" => data.os_locale_id = read_opt_num(cur, "ExtendedData/OSLocaleID")?,
            _ => cur.skip()?,
        }
    }
    Ok(data)
}

fn read_os_version(cur: &mut XmlCursor) -> Result<OsVersion, WsusError> {
    let mut v = OsVersion::default();
    while let Some(child) = cur.next_child()? {
        let (slot, field) = match child.name.as_str() {
            "Major" => (&mut v.major, "OSVersion/Major"),
            "Minor" => (&mut v.minor, "OSVersion/Minor"),
            "Build" => (&mut v.build, "OSVersion/Build"),
            "Revision" => (&mut v.revision, "OSVersion/Revision"),
            "ServicePackMajor" => (&mut v.service_pack_major, "OSVersion/ServicePackMajor"),
            "ServicePackMinor" => (&mut v.service_pack_minor, "OSVersion/ServicePackMinor"),
            _ => {
                cur.skip()?;
                continue;
            }
        };
        *slot = read_num(cur, field)?;
    }
    Ok(v)
}
