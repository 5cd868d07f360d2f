//! The XML document a WIM carries about its images (what `wimlib-imagex info --xml` prints).

use quick_xml::events::Event;
use quick_xml::Reader;

/// The processor architecture of an image (`WINDOWS/ARCH`, the values of
/// `PROCESSOR_ARCHITECTURE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    X86,
    Arm,
    Ia64,
    X64,
    Arm64,
    Other(u32),
}

impl Architecture {
    pub fn from_code(code: u32) -> Self {
        match code {
            0 => Architecture::X86,
            5 => Architecture::Arm,
            6 => Architecture::Ia64,
            9 => Architecture::X64,
            12 => Architecture::Arm64,
            n => Architecture::Other(n),
        }
    }

    /// As the console shows it: x86, x64, ARM, IA64, ARM64.
    pub fn label(&self) -> String {
        match self {
            Architecture::X86 => "x86".into(),
            Architecture::Arm => "ARM".into(),
            Architecture::Ia64 => "IA64".into(),
            Architecture::X64 => "x64".into(),
            Architecture::Arm64 => "ARM64".into(),
            Architecture::Other(n) => format!("architecture {n}"),
        }
    }
}

/// One image of a WIM file, as its XML document describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageInfo {
    /// 1-based, as DISM and wimlib number them.
    pub index: u32,
    pub name: String,
    pub description: String,
    /// `FLAGS`: the edition as setup names it (e.g. `Professional`).
    pub flags: Option<String>,
    /// `WINDOWS/EDITIONID`.
    pub edition_id: Option<String>,
    pub product_name: Option<String>,
    pub architecture: Option<Architecture>,
    pub major: Option<u32>,
    pub minor: Option<u32>,
    pub build: Option<u32>,
    pub sp_build: Option<u32>,
    /// `WINDOWS/LANGUAGES/LANGUAGE`, in document order.
    pub languages: Vec<String>,
    pub default_language: Option<String>,
    /// `TOTALBYTES`: the size of the image's files.
    pub total_bytes: u64,
    pub dir_count: u64,
    pub file_count: u64,
}

impl ImageInfo {
    /// The edition: `WINDOWS/EDITIONID`, else `FLAGS`.
    pub fn edition(&self) -> Option<&str> {
        self.edition_id.as_deref().or(self.flags.as_deref())
    }

    /// `major.minor.build.spbuild` (e.g. `10.0.22631.2861`), when the image says its build.
    pub fn version(&self) -> Option<String> {
        let build = self.build?;
        Some(format!(
            "{}.{}.{}.{}",
            self.major.unwrap_or(0),
            self.minor.unwrap_or(0),
            build,
            self.sp_build.unwrap_or(0)
        ))
    }
}

/// Reads the images of a WIM's XML document; the error says what is wrong with it.
pub fn parse_info_xml(xml: &str) -> Result<Vec<ImageInfo>, String> {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.trim_text(true);
    config.check_end_names = true;
    let mut path: Vec<String> = Vec::new();
    let mut images: Vec<ImageInfo> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "its XML document is malformed at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::DocType(_) => return Err("its XML document declares a DTD, which is not allowed".into()),
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.len() == 1 && name == "IMAGE" {
                    let index = e
                        .try_get_attribute("INDEX")
                        .map_err(|e| format!("an IMAGE element has a malformed attribute: {e}"))?
                        .ok_or("an IMAGE element has no INDEX")?;
                    let index = String::from_utf8_lossy(&index.value);
                    let index: u32 = index
                        .trim()
                        .parse()
                        .map_err(|_| format!("an IMAGE element has the index '{index}', not a number"))?;
                    images.push(ImageInfo {
                        index,
                        ..ImageInfo::default()
                    });
                }
                path.push(name);
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => {
                let text = t
                    .unescape()
                    .map_err(|e| format!("its XML document has malformed text: {e}"))?
                    .trim()
                    .to_string();
                if path.len() >= 3 && path[1] == "IMAGE" {
                    if let Some(image) = images.last_mut() {
                        let rest: Vec<&str> = path[2..].iter().map(String::as_str).collect();
                        set_field(image, &rest, text)?;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !path.is_empty() {
        return Err("its XML document ends with elements still open".into());
    }
    images.sort_by_key(|i| i.index);
    Ok(images)
}

fn number<T: std::str::FromStr>(field: &str, text: &str) -> Result<T, String> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16)
            .ok()
            .and_then(|n| n.to_string().parse().ok()),
        None => t.parse().ok(),
    };
    parsed.ok_or_else(|| format!("its {field} is '{text}', not a number"))
}

fn set_field(image: &mut ImageInfo, path: &[&str], text: String) -> Result<(), String> {
    match path {
        ["NAME"] => image.name = text,
        ["DESCRIPTION"] => image.description = text,
        ["FLAGS"] => image.flags = Some(text),
        ["TOTALBYTES"] => image.total_bytes = number("TOTALBYTES", &text)?,
        ["DIRCOUNT"] => image.dir_count = number("DIRCOUNT", &text)?,
        ["FILECOUNT"] => image.file_count = number("FILECOUNT", &text)?,
        ["WINDOWS", "ARCH"] => image.architecture = Some(Architecture::from_code(number("WINDOWS/ARCH", &text)?)),
        ["WINDOWS", "EDITIONID"] => image.edition_id = Some(text),
        ["WINDOWS", "PRODUCTNAME"] => image.product_name = Some(text),
        ["WINDOWS", "VERSION", "MAJOR"] => image.major = Some(number("VERSION/MAJOR", &text)?),
        ["WINDOWS", "VERSION", "MINOR"] => image.minor = Some(number("VERSION/MINOR", &text)?),
        ["WINDOWS", "VERSION", "BUILD"] => image.build = Some(number("VERSION/BUILD", &text)?),
        ["WINDOWS", "VERSION", "SPBUILD"] => image.sp_build = Some(number("VERSION/SPBUILD", &text)?),
        ["WINDOWS", "LANGUAGES", "LANGUAGE"] => image.languages.push(text),
        ["WINDOWS", "LANGUAGES", "DEFAULT"] => image.default_language = Some(text),
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field_of_an_image() {
        let xml = "\u{feff}<WIM><TOTALBYTES>9</TOTALBYTES><IMAGE INDEX=\"2\"><NAME>B</NAME><TOTALBYTES>5</TOTALBYTES></IMAGE>\
            <IMAGE INDEX=\"1\"><NAME>Windows 11 Pro</NAME><DESCRIPTION>d &amp; e</DESCRIPTION><FLAGS>Professional</FLAGS>\
            <TOTALBYTES>391</TOTALBYTES><WINDOWS><ARCH>12</ARCH><VERSION><MAJOR>10</MAJOR><MINOR>0</MINOR><BUILD>22631</BUILD>\
            <SPBUILD>2861</SPBUILD></VERSION><EDITIONID>Enterprise</EDITIONID><LANGUAGES><LANGUAGE>en-US</LANGUAGE>\
            <LANGUAGE>fr-FR</LANGUAGE><DEFAULT>en-US</DEFAULT></LANGUAGES></WINDOWS></IMAGE></WIM>";
        let images = parse_info_xml(xml).expect("parses");
        assert_eq!(images.len(), 2);
        let a = &images[0];
        assert_eq!(
            (a.index, a.name.as_str(), a.description.as_str()),
            (1, "Windows 11 Pro", "d & e")
        );
        assert_eq!(a.edition(), Some("Enterprise"));
        assert_eq!(a.architecture, Some(Architecture::Arm64));
        assert_eq!(a.version().as_deref(), Some("10.0.22631.2861"));
        assert_eq!(a.languages, ["en-US", "fr-FR"]);
        assert_eq!(a.total_bytes, 391);
        assert_eq!(
            (images[1].index, images[1].total_bytes, images[1].edition()),
            (2, 5, None)
        );
    }

    #[test]
    fn refuses_malformed_documents() {
        for bad in [
            "<WIM><IMAGE><NAME>x</NAME></IMAGE></WIM>",
            "<WIM><IMAGE INDEX=\"one\"></IMAGE></WIM>",
            "<WIM><IMAGE INDEX=\"1\"><TOTALBYTES>lots</TOTALBYTES></IMAGE></WIM>",
            "<WIM><IMAGE INDEX=\"1\"></WIM>",
            "<!DOCTYPE x [<!ENTITY a \"b\">]><WIM></WIM>",
            "<WIM><IMAGE INDEX=\"1\">",
        ] {
            assert!(parse_info_xml(bad).is_err(), "{bad} was accepted");
        }
    }
}
