//! Compressed update blobs: the `XmlUpdateBlobCompressed` of a `GetUpdateData` answer.
//!
//! The text is base64 of an MS-CAB cabinet whose member `blob` holds the update XML in
//! UTF-16LE (LZX-compressed by real servers). An upstream is not trusted: sizes are checked
//! before anything is decompressed, and a crafted cabinet yields an error, never a crash.
//!
//! This site writes them too, as an upstream: MSZIP (the `cab` crate has no LZX encoder;
//! every cabinet reader, WSUS's and cabextract included, reads both), for documents over
//! the size at which WSUS compresses.

use std::io::{Cursor, Read, Write};

use base64::Engine as _;

use crate::error::WsusError;

/// The largest decompressed `blob` member accepted. Real update XML stays under 1 MiB (the
/// largest bundle seen is about 75 KiB as UTF-16); this leaves room without letting a
/// hostile cabinet claim gigabytes.
pub const MAX_BLOB_BYTES: u64 = 64 * 1024 * 1024;

/// The cabinet member that holds the update XML.
const MEMBER: &str = "blob";

/// WSUS sends `XmlUpdateBlobCompressed` when the document is larger than this many bytes
/// as UTF-16 ([MS-WSUSSS] 3.1.4.6, note 36), plain `XmlUpdateBlob` otherwise.
pub const COMPRESS_OVER_BYTES: usize = 5120;

/// True when WSUS would send `xml` compressed.
pub fn worth_compressing(xml: &str) -> bool {
    xml.encode_utf16().count() * 2 > COMPRESS_OVER_BYTES
}

/// The `XmlUpdateBlobCompressed` text of `xml`: base64 of a cabinet with one MSZIP member
/// `blob` holding the XML in UTF-16LE without a byte-order mark, so that
/// [`decode_compressed_blob`] gives back `xml` exactly.
pub fn encode_compressed_blob(xml: &str) -> Result<String, WsusError> {
    let utf16: Vec<u8> = xml.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let cabinet = write_cabinet(MEMBER, &utf16)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(cabinet))
}

/// A one-member MSZIP cabinet. The member's date is fixed so that the same document always
/// gives the same bytes (answers stay comparable and cacheable).
pub(crate) fn write_cabinet(member: &str, data: &[u8]) -> Result<Vec<u8>, WsusError> {
    let fixed = time::PrimitiveDateTime::new(
        time::Date::from_calendar_date(2000, time::Month::January, 1).map_err(|e| WsusError::Cabinet(e.to_string()))?,
        time::Time::MIDNIGHT,
    );
    let mut builder = cab::CabinetBuilder::new();
    builder
        .add_folder(cab::CompressionType::MsZip)
        .add_file(member)
        .set_datetime(fixed);
    let mut writer = builder.build(Cursor::new(Vec::new())).map_err(cab_error)?;
    while let Some(mut file) = writer.next_file().map_err(cab_error)? {
        file.write_all(data).map_err(cab_error)?;
    }
    Ok(writer.finish().map_err(cab_error)?.into_inner())
}

/// Decodes `XmlUpdateBlobCompressed` text into the update XML.
pub fn decode_compressed_blob(base64_text: &str) -> Result<String, WsusError> {
    let cabinet = decode_base64(base64_text)?;
    let utf16 = read_member_guarded(cabinet)?;
    decode_utf16le(&utf16)
}

/// Whitespace is dropped first: SOAP stacks may wrap long base64 text over several lines.
fn decode_base64(text: &str) -> Result<Vec<u8>, WsusError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let decoded_len = (compact.len() as u64 / 4) * 3;
    if decoded_len > MAX_BLOB_BYTES {
        return Err(WsusError::BlobTooLarge {
            what: "compressed update cabinet",
            size: decoded_len,
            limit: MAX_BLOB_BYTES,
        });
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| WsusError::Base64(e.to_string()))
}

/// The `cab` crate indexes its block table without bounds checks on some crafted offsets;
/// containing a panic here keeps one hostile answer from taking the whole sync down.
fn read_member_guarded(cabinet: Vec<u8>) -> Result<Vec<u8>, WsusError> {
    std::panic::catch_unwind(move || read_member(cabinet))
        .unwrap_or_else(|_| Err(WsusError::Cabinet("the cabinet's data blocks are inconsistent".into())))
}

fn read_member(cabinet: Vec<u8>) -> Result<Vec<u8>, WsusError> {
    let mut cab = cab::Cabinet::new(Cursor::new(cabinet)).map_err(cab_error)?;
    let declared = member_size(&cab)?;
    let reader = cab.read_file(MEMBER).map_err(cab_error)?;
    let mut out = Vec::new();
    // The declared size was checked, but the reader is bounded too in case the two disagree.
    reader
        .take(MAX_BLOB_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(cab_error)?;
    if out.len() as u64 != declared {
        return Err(WsusError::Cabinet(format!(
            "member {MEMBER:?} holds {} bytes but declares {declared}",
            out.len()
        )));
    }
    Ok(out)
}

/// The declared size of the member, refused before decompression when over the limit.
fn member_size<R>(cab: &cab::Cabinet<R>) -> Result<u64, WsusError>
where
    R: Read + std::io::Seek,
{
    let Some(entry) = cab.get_file_entry(MEMBER) else {
        let names: Vec<String> = cab
            .folder_entries()
            .flat_map(|folder| folder.file_entries())
            .map(|file| file.name().to_owned())
            .collect();
        return Err(WsusError::Cabinet(format!(
            "no member named {MEMBER:?} (members: {names:?})"
        )));
    };
    let size = u64::from(entry.uncompressed_size());
    if size > MAX_BLOB_BYTES {
        return Err(WsusError::BlobTooLarge {
            what: "decompressed update blob",
            size,
            limit: MAX_BLOB_BYTES,
        });
    }
    Ok(size)
}

fn cab_error(e: std::io::Error) -> WsusError {
    WsusError::Cabinet(e.to_string())
}

/// UTF-16LE with an optional byte-order mark, as Windows writes it.
fn decode_utf16le(bytes: &[u8]) -> Result<String, WsusError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(WsusError::Utf16(format!("odd length of {} bytes", bytes.len())));
    }
    // `chunks_exact(2)` yields only whole pairs, so the indexing below cannot fail.
    let units = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (index, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok('\u{feff}') if index == 0 => {}
            Ok(c) => text.push(c),
            Err(e) => {
                return Err(WsusError::Utf16(format!(
                    "unpaired surrogate {:#06x} at character {index}",
                    e.unpaired_surrogate()
                )))
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_support::{fixture_text, update_files};

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let bom = bom.then_some(0xfeffu16);
        bom.into_iter()
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    /// A real cabinet written by the `cab` crate (MSZIP: its writer has no LZX encoder).
    pub(crate) fn cabinet_with(member: &str, data: &[u8]) -> Vec<u8> {
        write_cabinet(member, data).expect("cabinet")
    }

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// A cabinet header, one folder and one file entry, with no data behind them: enough
    /// to lie about sizes and offsets.
    fn handmade_cabinet(member: &str, size: u32, offset: u32, blocks: u16) -> Vec<u8> {
        let files_at = 36u32 + 8;
        let mut c = Vec::new();
        c.extend_from_slice(b"MSCF");
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&1000u32.to_le_bytes()); // cbCabinet
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&files_at.to_le_bytes()); // coffFiles
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&[3, 1]); // version 1.3
        c.extend_from_slice(&1u16.to_le_bytes()); // folders
        c.extend_from_slice(&1u16.to_le_bytes()); // files
        c.extend_from_slice(&[0; 6]); // flags, set id, index
        c.extend_from_slice(&(files_at + 16 + member.len() as u32 + 1).to_le_bytes());
        c.extend_from_slice(&blocks.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes()); // stored
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(&[0; 8]); // folder index, date, time, attributes
        c.extend_from_slice(member.as_bytes());
        c.push(0);
        c
    }

    #[test]
    fn round_trip_of_a_fixture_document() {
        let path = update_files().into_iter().next().expect("an update fixture");
        let xml = fixture_text(&path);
        for bom in [false, true] {
            let cab = cabinet_with(MEMBER, &utf16le(&xml, bom));
            assert_eq!(decode_compressed_blob(&b64(&cab)).as_deref(), Ok(xml.as_str()));
        }
    }

    #[test]
    fn every_fixture_document_encodes_and_decodes_to_itself() {
        for path in update_files() {
            let xml = fixture_text(&path);
            let text = encode_compressed_blob(&xml).expect("encode");
            assert_eq!(decode_compressed_blob(&text).as_deref(), Ok(xml.as_str()), "{path:?}");
            assert!(
                text.len() < xml.len() || !worth_compressing(&xml),
                "{path:?} got smaller"
            );
        }
    }

    #[test]
    fn the_threshold_counts_utf16_bytes() {
        let at = "a".repeat(COMPRESS_OVER_BYTES / 2);
        assert!(!worth_compressing(&at));
        assert!(worth_compressing(&format!("{at}a")));
    }

    #[test]
    fn wrapped_base64_is_accepted() {
        let path = update_files().into_iter().next().expect("an update fixture");
        let xml = fixture_text(&path);
        let text = b64(&cabinet_with(MEMBER, &utf16le(&xml, false)));
        let wrapped: Vec<String> = text
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        assert_eq!(
            decode_compressed_blob(&wrapped.join("\r\n")).as_deref(),
            Ok(xml.as_str())
        );
    }

    #[test]
    fn a_cabinet_without_the_blob_member_names_what_it_has() {
        let cab = cabinet_with("other", &utf16le("<x/>", false));
        let err = decode_compressed_blob(&b64(&cab)).expect_err("no blob member");
        assert!(matches!(&err, WsusError::Cabinet(m) if m.contains("other")), "{err}");
    }

    #[test]
    fn not_base64_and_not_a_cabinet_are_errors() {
        assert!(matches!(decode_compressed_blob("***"), Err(WsusError::Base64(_))));
        assert!(matches!(
            decode_compressed_blob(&b64(b"plain text")),
            Err(WsusError::Cabinet(_))
        ));
        assert!(matches!(decode_compressed_blob(""), Err(WsusError::Cabinet(_))));
    }

    #[test]
    fn an_oversized_member_is_refused_before_decompression() {
        let size = u32::try_from(MAX_BLOB_BYTES + 1).expect("limit fits a cabinet size");
        let err = decode_compressed_blob(&b64(&handmade_cabinet(MEMBER, size, 0, 1)));
        assert!(matches!(err, Err(WsusError::BlobTooLarge { .. })), "{err:?}");
    }

    #[test]
    fn an_offset_past_the_data_is_an_error_not_a_panic() {
        let err = decode_compressed_blob(&b64(&handmade_cabinet(MEMBER, 10, 100, 0)));
        assert!(matches!(err, Err(WsusError::Cabinet(_))), "{err:?}");
    }

    #[test]
    fn a_member_shorter_than_declared_is_an_error() {
        let err = decode_compressed_blob(&b64(&handmade_cabinet(MEMBER, 10, 0, 0)));
        assert!(matches!(err, Err(WsusError::Cabinet(_))), "{err:?}");
    }

    #[test]
    fn utf16_errors() {
        assert!(matches!(decode_utf16le(&[0x3c]), Err(WsusError::Utf16(_))));
        assert!(matches!(
            decode_utf16le(&0xd800u16.to_le_bytes()),
            Err(WsusError::Utf16(_))
        ));
        assert_eq!(decode_utf16le(&[]).as_deref(), Ok(""));
    }
}
