//! Windows programs: the machine in the file header and the version resource's strings.
//!
//! The PE headers and the resource directory are read with `object`, which reads unaligned
//! little-endian fields through safe types; the version resource itself (VS_VERSIONINFO, a
//! small tree of length-prefixed nodes) is read here, every length checked against its
//! parent. pelite, which reads it whole, builds misaligned slices from crafted headers
//! (undefined behaviour, an abort in a debug build: seen with one flipped header byte).

use object::pe::{IMAGE_FILE_MACHINE_AMD64, IMAGE_FILE_MACHINE_ARM64, IMAGE_FILE_MACHINE_I386, RT_VERSION};
use object::read::pe::{ImageNtHeaders, PeFile, ResourceDirectoryEntryData, ResourceNameOrId};
use object::{FileKind, LittleEndian as LE};

use crate::{InstallerError, InstallerInfo, Kind, Platform};

pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<InstallerInfo, InstallerError> {
    let damaged = |detail: String| InstallerError::Damaged {
        name: name.into(),
        what: Kind::Executable.describe(),
        detail,
    };
    let headers = |e: object::read::Error| damaged(format!("its headers do not read ({e})"));
    match FileKind::parse(bytes).map_err(headers)? {
        FileKind::Pe32 => read_pe::<object::pe::ImageNtHeaders32>(bytes).map_err(headers),
        FileKind::Pe64 => read_pe::<object::pe::ImageNtHeaders64>(bytes).map_err(headers),
        other => Err(damaged(format!(
            "it starts as a program but its headers describe {other:?}, not a Windows program"
        ))),
    }
}

fn read_pe<Pe: ImageNtHeaders>(bytes: &[u8]) -> object::read::Result<InstallerInfo> {
    let file = PeFile::<Pe, &[u8]>::parse(bytes)?;
    let platform = match file.nt_headers().file_header().machine.get(LE) {
        IMAGE_FILE_MACHINE_I386 => Platform::X86,
        IMAGE_FILE_MACHINE_AMD64 => Platform::X64,
        IMAGE_FILE_MACHINE_ARM64 => Platform::Arm64,
        _ => Platform::Unknown,
    };
    let mut info = InstallerInfo {
        kind: Kind::Executable,
        product_name: None,
        product_version: None,
        manufacturer: None,
        product_code: None,
        upgrade_code: None,
        description: None,
        platform,
        languages: Vec::new(),
        targets: Vec::new(),
    };
    // A program without a version resource is still a program: the administrator types
    // what it does not say.
    if let Some(resource) = version_resource(&file, bytes) {
        read_version(resource, &mut info);
    }
    Ok(info)
}

/// The bytes of the first RT_VERSION resource, in any language.
fn version_resource<'a, Pe: ImageNtHeaders>(file: &PeFile<'a, Pe, &'a [u8]>, bytes: &'a [u8]) -> Option<&'a [u8]> {
    let sections = file.section_table();
    let directory = file.data_directories().resource_directory(bytes, &sections).ok()??;
    let root = directory.root().ok()?;
    let by_type = root
        .entries
        .iter()
        .find(|e| matches!(e.name_or_id(), ResourceNameOrId::Id(RT_VERSION)))?;
    let by_name = by_type.data(directory).ok()?.table()?;
    let by_lang = by_name.entries.first()?.data(directory).ok()?.table()?;
    let ResourceDirectoryEntryData::Data(entry) = by_lang.entries.first()?.data(directory).ok()? else {
        return None;
    };
    let data = sections.pe_data_at(bytes, entry.offset_to_data.get(LE))?;
    data.get(..usize::try_from(entry.size.get(LE)).ok()?)
}

fn read_version(resource: &[u8], info: &mut InstallerInfo) {
    let Some(root) = Node::at(resource, 0) else {
        return;
    };
    let mut strings: Vec<(String, String)> = Vec::new();
    for block in root.children() {
        match block.key.as_str() {
            "StringFileInfo" => {
                if let Some(table) = block.children().next() {
                    if info.languages.is_empty() {
                        info.languages
                            .extend(table.key.get(..4).and_then(|h| u16::from_str_radix(h, 16).ok()));
                    }
                    strings.extend(table.children().map(|s| (s.key.clone(), s.text())));
                }
            }
            "VarFileInfo" => {
                if let Some(translation) = block.children().find(|v| v.key == "Translation") {
                    info.languages = translation
                        .value
                        .chunks_exact(4)
                        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                        .filter(|&lang| lang != 0)
                        .collect();
                }
            }
            _ => {}
        }
    }
    let value = |key: &str| {
        strings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    info.product_name = value("ProductName");
    info.manufacturer = value("CompanyName");
    info.description = value("FileDescription");
    info.product_version = value("ProductVersion").or_else(|| fixed_product_version(root.value));
}

/// VS_FIXEDFILEINFO's product version, major.minor.build.revision.
fn fixed_product_version(fixed: &[u8]) -> Option<String> {
    let word = |at: usize| {
        fixed
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    if word(0)? != 0xFEEF_04BD {
        return None;
    }
    let (ms, ls) = (word(16)?, word(20)?);
    Some(format!("{}.{}.{}.{}", ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF))
}

/// One node of VS_VERSIONINFO: length, value length, type, key, value, children, each part
/// aligned to 32 bits from the start of the resource.
struct Node<'a> {
    resource: &'a [u8],
    key: String,
    value: &'a [u8],
    children_at: usize,
    end: usize,
}

impl<'a> Node<'a> {
    fn at(resource: &'a [u8], start: usize) -> Option<Node<'a>> {
        let word = |at: usize| resource.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let length = usize::from(word(start)?);
        let end = start.checked_add(length)?;
        if length < 6 || end > resource.len() {
            return None;
        }
        let (value_length, is_text) = (usize::from(word(start + 2)?), word(start + 4)? == 1);
        let mut at = start + 6;
        let mut key = Vec::new();
        loop {
            let unit = word(at).filter(|_| at + 2 <= end)?;
            at += 2;
            if unit == 0 {
                break;
            }
            key.push(unit);
        }
        let value_at = align4(at);
        let value_bytes = if is_text { value_length * 2 } else { value_length };
        let value = resource.get(value_at.min(end)..(value_at + value_bytes).min(end))?;
        Some(Node {
            resource,
            key: String::from_utf16_lossy(&key),
            value,
            children_at: align4(value_at + value_bytes),
            end,
        })
    }

    fn children(&self) -> impl Iterator<Item = Node<'a>> + '_ {
        let mut at = self.children_at;
        std::iter::from_fn(move || {
            let child = Node::at(self.resource.get(..self.end)?, at)?;
            at = align4(child.end);
            Some(child)
        })
    }

    /// A text value up to its terminating NUL.
    fn text(&self) -> String {
        let units: Vec<u16> = self
            .value
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]]))
            .take_while(|&u| u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    }
}

fn align4(n: usize) -> usize {
    n.saturating_add(3) & !3
}
