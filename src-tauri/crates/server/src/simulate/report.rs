//! The events a simulated computer reports, shaped as the native agent's
//! (`wusp/native/flow/000016-18`, `wusp/reports/native-install-events.json`): namespace 1,
//! source 101, sequence 0, a fresh `EventInstanceID` each, the update's id and revision, the
//! agent's `MiscData` keys in its order, and the computer's brand, model, architecture and OS.

use wsus::model::RevisionId;
use wsus::wusp::{BasicData, ExtendedData, OsVersion, ReportingEvent};

use super::profile::Identity;

/// Event ids of namespace 1 (SUSDB `tbEvent`, `wusp/reports/susdb-client-event-table.csv`).
pub mod ids {
    /// "Windows Update Client successfully detected %1 updates."
    pub const DETECTION_SUCCEEDED: i32 = 147;
    /// "Reporting client status." (`U=` needed, `V=` installed).
    pub const STATUS: i32 = 156;
    pub const DOWNLOAD_FAILED: i32 = 161;
    pub const DOWNLOAD_SUCCEEDED: i32 = 162;
    pub const DOWNLOAD_STARTED: i32 = 167;
    pub const INSTALL_STARTED: i32 = 181;
    pub const INSTALL_FAILED: i32 = 182;
    pub const INSTALL_SUCCEEDED: i32 = 183;
    pub const INSTALL_PENDING: i32 = 201;
    pub const UNINSTALL_SUCCEEDED: i32 = 222;
    pub const UNINSTALL_STARTED: i32 = 226;
}

/// HRESULTs the agent reports, as the signed 32-bit values the wire carries.
pub mod hresults {
    /// `0x00240005` WU_S_REBOOT_REQUIRED (event 201 of exchange 80).
    pub const REBOOT_REQUIRED: i32 = 0x0024_0005;
    /// `0x80246007` WU_E_DM_NOTDOWNLOADED (events 182 of flow/000018).
    pub const NOT_DOWNLOADED: i32 = 0x8024_6007_u32 as i32;
    /// `0x80246002` WU_E_DM_INCORRECTFILEHASH.
    pub const INCORRECT_FILE_HASH: i32 = 0x8024_6002_u32 as i32;
    /// `0x80240022` WU_E_ALL_UPDATES_FAILED: a simulated install failure.
    pub const INSTALL_FAILED: i32 = 0x8024_0022_u32 as i32;
}

/// The caller name the events carry (`AppName`).
pub const APP_NAME: &str = "Patchdeck fleet simulator";
const NO_UPDATE: &str = "00000000-0000-0000-0000-000000000000";
const CLIENT_VERSION: &str = "1507.2601.30012.0";

/// Builds one computer's events at one moment.
pub struct Reporter<'a> {
    pub identity: &'a Identity,
    pub time: String,
}

impl Reporter<'_> {
    fn event(
        &self,
        event_id: i32,
        update: Option<&RevisionId>,
        hresult: i32,
        replacement_strings: Vec<String>,
        extra_misc: Vec<String>,
    ) -> ReportingEvent {
        // The agent's keys, in its order (native-156-lists.json `misc_keys_in_order`); the
        // event's own keys (B, C, D, F, U, V) go where the agent puts them, before G or after T.
        let (before, after): (Vec<String>, Vec<String>) = extra_misc
            .into_iter()
            .partition(|m| !(m.starts_with("U=") || m.starts_with("V=")));
        let mut misc = before;
        misc.extend(
            [
                format!("G={CLIENT_VERSION}"),
                "J=297".into(),
                "K=unknown".into(),
                "L=2022-02-02T00:00:00".into(),
                format!("Q={}", if update.is_some() { 2 } else { 1 }),
                "T=Patchdeck".into(),
            ]
            .into_iter()
            .chain(after)
            .chain([
                format!("AppName={APP_NAME}"),
                "CsiErrorType=0".into(),
                "c=48".into(),
                "m=0".into(),
                "n=1".into(),
                "o=0".into(),
                "p=0".into(),
                "q=0".into(),
                "r=0".into(),
                "w=0".into(),
                "x=1".into(),
                "dd=0".into(),
                "ff=0".into(),
                "WUfBOn=0".into(),
                "WUfBDS=0".into(),
                "DisableDS=1".into(),
                "PauseQU=0".into(),
                "PauseFU=0".into(),
            ]),
        );
        let os = self.identity.os;
        ReportingEvent {
            basic: BasicData {
                target_sid: self.identity.client_id.clone(),
                sequence_number: 0,
                time_at_target: self.time.clone(),
                event_instance_id: random_guid(),
                namespace_id: 1,
                event_id,
                source_id: 101,
                update: update.cloned().unwrap_or(RevisionId {
                    update_id: NO_UPDATE.into(),
                    revision: 0,
                }),
                win32_hresult: hresult,
                app_name: Some(APP_NAME.into()),
            },
            extended: Some(ExtendedData {
                replacement_strings,
                misc_data: misc,
                computer_brand: Some("Patchdeck".into()),
                computer_model: Some("Simulated PC".into()),
                bios_revision: Some("unknown".into()),
                processor_architecture: Some(self.identity.architecture.1.into()),
                os_version: Some(OsVersion {
                    major: os.major,
                    minor: os.minor,
                    build: os.build,
                    revision: 0,
                    service_pack_major: 0,
                    service_pack_minor: 0,
                }),
                os_locale_id: Some(1033),
            }),
            private_data_present: true,
        }
    }

    /// 147: the scan succeeded and found `needed` updates.
    pub fn detection_succeeded(&self, needed: usize) -> ReportingEvent {
        self.event(
            ids::DETECTION_SUCCEEDED,
            None,
            0,
            vec![needed.to_string()],
            vec!["C=1".into()],
        )
    }

    /// 156: the needed (`U`) and installed (`V`) software update ids, upper case, `;`-joined.
    pub fn status(&self, needed: &[String], installed: &[String]) -> ReportingEvent {
        let list = |ids: &[String]| ids.iter().map(|i| i.to_ascii_uppercase()).collect::<Vec<_>>().join(";");
        self.event(
            ids::STATUS,
            None,
            0,
            Vec::new(),
            vec![format!("U={}", list(needed)), format!("V={}", list(installed))],
        )
    }

    /// An event about one update, with its title as the agent's replacement string.
    pub fn about(
        &self,
        event_id: i32,
        update: &RevisionId,
        title: &str,
        hresult: i32,
        misc: Vec<String>,
    ) -> ReportingEvent {
        let mut strings = Vec::new();
        if event_id == ids::INSTALL_FAILED {
            strings.push(format!("0x{:08X}", hresult as u32));
        }
        strings.push(title.to_owned());
        self.event(event_id, Some(update), hresult, strings, misc)
    }
}

/// A version 4 GUID: every event is unique, also across runs against the same site (the
/// server keeps one copy per `EventInstanceID`).
fn random_guid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    super::profile::guid(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lists_are_upper_case_and_placed_after_t() {
        let identity = super::super::profile::identity(1, 1);
        let r = Reporter {
            identity: &identity,
            time: "2026-10-04T15:20:47.397Z".into(),
        };
        let e = r.status(&["ab-c".into(), "d".into()], &[]);
        assert_eq!(e.misc("U"), Some("AB-C;D"));
        assert_eq!(e.misc("V"), Some(""));
        let misc = &e.extended.as_ref().expect("extended").misc_data;
        let t = misc.iter().position(|m| m.starts_with("T=")).expect("T");
        assert!(misc[t + 1].starts_with("U=") && misc[t + 2].starts_with("V="));
        assert_eq!(e.basic.target_sid, identity.client_id);
        let other = r.detection_succeeded(3);
        assert_ne!(other.basic.event_instance_id, e.basic.event_instance_id);
        assert_eq!(
            other.extended.as_ref().map(|x| x.replacement_strings.clone()),
            Some(vec!["3".to_string()])
        );
        // What the agent would send reads back the same.
        let request = wsus::wusp::ClientRequest::ReportEventBatch {
            cookie: None,
            client_time: Some(r.time.clone()),
            events: vec![e, other],
        };
        assert_eq!(
            wsus::wusp::ClientRequest::parse(None, &request.to_xml()).ok(),
            Some(request)
        );
    }
}
