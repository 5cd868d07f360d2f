//! MS-WSUSSS protocol library: the server-to-server sync messages in both directions
//! ([`protocol`]), the MS-WUSP client-server messages ([`wusp`]), compressed update blobs
//! ([`blob`]) and the update-XML parser ([`update_xml`]).
//!
//! **API boundary:** this crate turns bytes from an upstream into typed values and back. It
//! knows nothing of the site database, of HTTP servers or of the UI.

pub mod blob;
pub mod error;
pub mod model;
pub mod protocol;
pub mod publishing;
pub mod rules;
pub mod soap;
pub mod update_xml;
pub mod wusp;
mod xml;
mod xml_read;
mod xml_write;

#[cfg(test)]
mod test_support;

pub use blob::{decode_compressed_blob, encode_compressed_blob, worth_compressing, MAX_BLOB_BYTES};
pub use error::{SoapFault, WsusError};
pub use model::*;
pub use protocol::{fault_xml, Operation, Request, Response};
pub use soap::{parse_fault, parse_get_update_data_response, ServerSyncUpdateData};
pub use update_xml::parse_update;
