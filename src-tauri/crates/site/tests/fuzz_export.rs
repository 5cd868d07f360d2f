//! Fuzzing of the catalog export reader (issue 13, point 6): damaged `tar.gz` files given to
//! `sync::export::import`, the function the Import Catalog dialog and `patchdeck import`
//! call. The property: every input is refused with an `ApiError` saying why, or imported;
//! none panics or hangs. The engine is the wsus crate's (`common/fuzz.rs`, included by path).
//!
//! Three layers are mutated, chosen by the input's first byte, because random bytes in a
//! gzip stream mostly stop at its checksum: the file's own bytes; the tar inside (gzipped
//! again before the import); and the manifest (put back in a well-formed archive before
//! the revisions it lists).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use serde_json::json;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use site::{Actor, Site};

mod common;

#[path = "../../wsus/tests/common/fuzz.rs"]
mod fuzz;

use fuzz::{run, Outcome};

const RAW: u8 = 0;
const TAR: u8 = 1;
const MANIFEST: u8 = 2;

/// Tokens of the archive format and of its manifest.
const DICT: [&[u8]; 14] = [
    b"manifest.json",
    b"revisions/",
    b"content/",
    b"../",
    b"patchdeck-catalog-export/1",
    b"patchdeck-catalog-export/2",
    b"\"documents\":{}",
    b"\"size\":18446744073709551615",
    b"\"sha256\":\"\"",
    b"ustar\x0000",
    b"ustar  \x00",
    b"\x1f\x8b\x08\x00",
    b"00000000000",
    b"77777777777",
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip to memory");
    gz.finish().expect("gzip to memory")
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("an export this test wrote");
    out
}

/// A tar of `entries` as the exporter lays them out (manifest first).
fn tar_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, &bytes[..]).expect("tar to memory");
    }
    tar.into_inner().expect("tar to memory")
}

/// The entries of a tar this test wrote, in order.
fn entries_of(tar_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(tar_bytes);
    let mut out = Vec::new();
    for entry in archive.entries().expect("tar") {
        let mut entry = entry.expect("entry");
        let name = entry.path().expect("path").to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        out.push((name, bytes));
    }
    out
}

/// The export of a site holding a few generated updates, and the same revisions with one
/// content file in format 2 (written here: the generated catalog has no content library).
fn seed_archives(dir: &Path) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
    let source = common::Fixture::new("fuzz", 4);
    let path = dir.join("seed.tar.gz");
    site::sync::export::export(&source.site, &Actor::new("fuzz"), &path, false).expect("export");
    let file = std::fs::read(&path).expect("read export");

    let mut entries = entries_of(&gunzip(&file));
    let content = b"fuzz content bytes".to_vec();
    let sha1 = hex(&Sha1::digest(&content)).to_ascii_uppercase();
    let name = format!("content/{}/{sha1}.cab", &sha1[38..]);
    let mut manifest: serde_json::Value = serde_json::from_slice(&entries[0].1).expect("manifest");
    manifest["format"] = json!("patchdeck-catalog-export/2");
    manifest["content"] = json!({ name.clone(): {
        "sha256": hex(&Sha256::digest(&content)), "size": content.len(), "file_name": "windows-kb1.cab" } });
    entries[0].1 = serde_json::to_vec(&manifest).expect("json");
    entries.push((name, content));
    (file, entries)
}

fn led(mode: u8, bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![mode];
    v.extend_from_slice(bytes);
    v
}

#[test]
fn fuzz_catalog_export_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (file, with_content) = seed_archives(dir.path());
    let catalog_entries = entries_of(&gunzip(&file));
    let with_content_tar = tar_of(&with_content);
    let seeds = vec![
        led(RAW, &file),
        led(RAW, &gzip(&with_content_tar)),
        led(TAR, &gunzip(&file)),
        led(TAR, &with_content_tar),
        led(MANIFEST, &catalog_entries[0].1),
        led(MANIFEST, &with_content[0].1),
    ];

    let target = Site::open(&dir.path().join("target")).expect("target site");
    let actor = Actor::new("fuzz");
    let input_path: PathBuf = dir.path().join("input.tar.gz");
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/catalog_export");
    run("catalog_export", &regressions, seeds, &DICT, |input| {
        let (mode, rest) = input.split_first().map_or((RAW, &[][..]), |(m, r)| (*m % 3, r));
        let bytes = match mode {
            RAW => rest.to_vec(),
            TAR => gzip(rest),
            _ => {
                // The mutated manifest leads the revisions (and content file) of format 2.
                let mut entries = with_content.clone();
                entries[0].1 = rest.to_vec();
                gzip(&tar_of(&entries))
            }
        };
        std::fs::write(&input_path, &bytes).expect("write the input file");
        match site::sync::export::import(&target, &actor, &input_path) {
            Ok(_) => Outcome::Accepted,
            Err(e) => Outcome::Refused(e.to_string()),
        }
    });
}
