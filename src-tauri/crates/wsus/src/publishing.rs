//! Update documents for locally published (third-party) updates, written in Microsoft's
//! schema as the captures show it, so the rest of the system (catalog import, child sites'
//! sync, exports, the fragments a Windows Update Agent is sent) treats them like any other
//! update. Read back by [`crate::update_xml::parse_update`].
//!
//! Shapes: the update document's envelope, properties, prerequisites, files and the
//! command-line handler as in `wsusss/updates/ff36f0b5…` (a CommandLineInstallation update);
//! the Windows Installer handler's `MsiData` as a real WSUS serves a locally published .msi
//! (`msp:WindowsInstallerApp`, ProductCode and MsiFile); categories as in
//! `wsusss/updates/dd78b8a1…` (`AtLeastOne IsCategory="true"`, `cat:CategoryInformation`).

use crate::model::RevisionId;
use crate::xml_write::{escape_attr, escape_text};

const UPD: &str = "http://schemas.microsoft.com/msus/2002/12/Update";
const BAR: &str = "http://schemas.microsoft.com/msus/2002/12/BaseApplicabilityRules";
const LAR: &str = "http://schemas.microsoft.com/msus/2002/12/LogicalApplicabilityRules";
const MSIAR: &str = "http://schemas.microsoft.com/msus/2002/12/MsiApplicabilityRules";
const CMD: &str = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/CommandLineInstallation";
const MSP: &str = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/WindowsInstaller";
const CAT: &str = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One revision of a locally published update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub id: RevisionId,
    /// The publishing site's own id, in `Properties/@PublisherID`.
    pub publisher_id: String,
    /// RFC 3339, UTC.
    pub creation_date: String,
    pub language: String,
    pub title: String,
    pub description: String,
    pub support_url: Option<String>,
    /// The classification's category id (Updates, Critical Updates, Security Updates...).
    pub classification_id: String,
    /// The vendor's and the product's category ids.
    pub categories: Vec<String>,
    /// Updates that must be installed first.
    pub prerequisites: Vec<String>,
    pub is_installed: Rule,
    pub is_installable: Rule,
    pub installer: Installer,
    pub files: Vec<PublishedFile>,
    pub reboot: RebootBehavior,
}

/// A file of the update, as `Files/File` lists it: digests base64, as in the XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFile {
    pub name: String,
    pub size: u64,
    pub sha1: String,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub modified: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebootBehavior {
    NeverReboots,
    CanRequestReboot,
    AlwaysRequiresReboot,
}

/// How a client installs the update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installer {
    /// Windows Installer installs the package itself; its ProductCode is the detection.
    WindowsInstaller {
        product_code: String,
        msi_file: String,
        /// Extra properties for msiexec (`REBOOT=ReallySuppress`...), if any.
        command_line: Option<String>,
    },
    /// A program run with its arguments; its exit code says what happened.
    CommandLine {
        program: String,
        arguments: String,
        return_codes: Vec<ReturnCode>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnCode {
    pub code: i32,
    pub result: InstallResult,
    pub reboot: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallResult {
    Succeeded,
    Failed,
    Cancelled,
}

/// An applicability rule: the logical operators and the base rules the Upload Update
/// wizard offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    /// Windows Installer knows this ProductCode as installed.
    MsiProductInstalled {
        product_code: String,
    },
    /// A file exists; `csidl` names a known folder (38 = Program Files) the path is under.
    FileExists {
        path: String,
        csidl: Option<u32>,
    },
    /// A registry key exists.
    RegKeyExists {
        key: String,
        subkey: String,
    },
    /// The computer's processor: 0 = x86, 9 = x64, 12 = ARM64 (PROCESSOR_ARCHITECTURE_*).
    Processor {
        architecture: u32,
    },
    /// The Windows version (and workstation or server) the computer runs.
    WindowsVersion(WindowsVersion),
    /// `lar:True` / `lar:False`, as Microsoft's categories and the strict sample write them.
    True,
    False,
    /// A rule [`crate::rules::read_applicability`] found but does not read further (a registry
    /// value, a file version, WMI...): its element's local name. Written back as a
    /// `bar:` element of that name without attributes, so never publish one.
    Other(String),
}

/// `bar:WindowsVersion`: `Comparison` applies to the version given (major, minor, build);
/// `ProductType` 1 is a workstation, 2 a domain controller, 3 a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowsVersion {
    /// `EqualTo`, `LessThan`, `LessThanOrEqualTo`, `GreaterThan`, `GreaterThanOrEqualTo`.
    pub comparison: String,
    pub major: Option<u32>,
    pub minor: Option<u32>,
    pub build: Option<u32>,
    pub product_type: Option<u32>,
}

/// A vendor or a product category, the parents locally published updates name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryPublication {
    pub id: RevisionId,
    pub publisher_id: String,
    pub creation_date: String,
    pub title: String,
    pub description: String,
    pub kind: PublishedCategory,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishedCategory {
    Company,
    Product,
}

/// Builds one element at a time: names are this module's constants, every value escaped.
struct Doc(String);

impl Doc {
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.0.push('>');
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.0.push_str(" />");
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.0.push('<');
        self.0.push_str(name);
        for (k, v) in attrs {
            self.0.push(' ');
            self.0.push_str(k);
            self.0.push_str("=\"");
            self.0.push_str(&escape_attr(v));
            self.0.push('"');
        }
    }

    fn close(&mut self, name: &str) {
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
    }

    fn text(&mut self, name: &str, text: &str) {
        self.open(name, &[]);
        self.0.push_str(&escape_text(text));
        self.close(name);
    }

    fn identity(&mut self, id: &RevisionId) {
        let revision = id.revision.to_string();
        self.empty(
            "upd:UpdateIdentity",
            &[("UpdateID", &id.update_id), ("RevisionNumber", &revision)],
        );
    }

    fn localized(&mut self, language: &str, title: &str, description: &str) {
        self.open("upd:LocalizedPropertiesCollection", &[]);
        self.open("upd:LocalizedProperties", &[]);
        self.text("upd:Language", language);
        self.text("upd:Title", title);
        if !description.is_empty() {
            self.text("upd:Description", description);
        }
        self.close("upd:LocalizedProperties");
        self.close("upd:LocalizedPropertiesCollection");
    }

    fn category_group(&mut self, id: &str) {
        self.open("upd:AtLeastOne", &[("IsCategory", "true")]);
        self.empty("upd:UpdateIdentity", &[("UpdateID", id)]);
        self.close("upd:AtLeastOne");
    }

    fn rule(&mut self, rule: &Rule) {
        match rule {
            Rule::And(rules) | Rule::Or(rules) => {
                let name = if matches!(rule, Rule::And(_)) {
                    "lar:And"
                } else {
                    "lar:Or"
                };
                self.open(name, &[]);
                for r in rules {
                    self.rule(r);
                }
                self.close(name);
            }
            Rule::Not(inner) => {
                self.open("lar:Not", &[]);
                self.rule(inner);
                self.close("lar:Not");
            }
            Rule::MsiProductInstalled { product_code } => {
                self.empty(
                    "msiar:MsiProductInstalled",
                    &[("ProductCode", product_code), ("xmlns:msiar", MSIAR)],
                );
            }
            Rule::FileExists { path, csidl } => {
                let csidl = csidl.map(|c| c.to_string());
                let mut attrs = vec![("Path", path.as_str())];
                if let Some(c) = &csidl {
                    attrs.insert(0, ("Csidl", c));
                }
                attrs.push(("xmlns:bar", BAR));
                self.empty("bar:FileExists", &attrs);
            }
            Rule::RegKeyExists { key, subkey } => {
                self.empty(
                    "bar:RegKeyExists",
                    &[("Key", key), ("Subkey", subkey), ("xmlns:bar", BAR)],
                );
            }
            Rule::Processor { architecture } => {
                let a = architecture.to_string();
                self.empty("bar:Processor", &[("Architecture", &a), ("xmlns:bar", BAR)]);
            }
            Rule::WindowsVersion(v) => {
                let numbers = [
                    ("MajorVersion", v.major),
                    ("MinorVersion", v.minor),
                    ("BuildNumber", v.build),
                    ("ProductType", v.product_type),
                ]
                .map(|(name, n)| (name, n.map(|n| n.to_string())));
                let mut attrs = vec![("Comparison", v.comparison.as_str())];
                attrs.extend(numbers.iter().filter_map(|(name, n)| n.as_deref().map(|n| (*name, n))));
                attrs.push(("xmlns:bar", BAR));
                self.empty("bar:WindowsVersion", &attrs);
            }
            Rule::True => self.empty("lar:True", &[]),
            Rule::False => self.empty("lar:False", &[]),
            Rule::Other(name) => self.empty(&format!("bar:{name}"), &[("xmlns:bar", BAR)]),
        }
    }

    /// A rule under IsInstalled / IsInstallable: logical operators declare `lar` where the
    /// captures do, on the outermost one.
    fn rule_root(&mut self, element: &str, rule: &Rule) {
        self.open(element, &[]);
        let start = self.0.len();
        self.rule(rule);
        if let Some(first) = ["<lar:And", "<lar:Or", "<lar:Not", "<lar:True", "<lar:False"]
            .iter()
            .find(|p| self.0[start..].starts_with(**p))
        {
            self.0.insert_str(start + first.len(), &format!(" xmlns:lar=\"{LAR}\""));
        }
        self.close(element);
    }
}

fn reboot_name(r: RebootBehavior) -> &'static str {
    match r {
        RebootBehavior::NeverReboots => "NeverReboots",
        RebootBehavior::CanRequestReboot => "CanRequestReboot",
        RebootBehavior::AlwaysRequiresReboot => "AlwaysRequiresReboot",
    }
}

impl Publication {
    /// The update document, as an upstream would send it in GetUpdateData.
    pub fn to_xml(&self) -> String {
        let handler = match self.installer {
            Installer::WindowsInstaller { .. } => MSP,
            Installer::CommandLine { .. } => CMD,
        };
        let size = self.files.iter().map(|f| f.size).sum::<u64>().to_string();
        let mut d = Doc(String::with_capacity(4096));
        d.open(
            "upd:Update",
            &[
                ("xmlns:bar", BAR),
                ("xmlns:lar", LAR),
                ("xmlns:cmd", CMD),
                ("xmlns:msp", MSP),
                ("xmlns:upd", UPD),
            ],
        );
        d.identity(&self.id);
        d.open(
            "upd:Properties",
            &[
                ("UpdateType", "Software"),
                ("DefaultPropertiesLanguage", &self.language),
                ("Handler", handler),
                ("MaxDownloadSize", &size),
                ("MinDownloadSize", "0"),
                ("PublicationState", "Published"),
                ("CreationDate", &self.creation_date),
                ("PublisherID", &self.publisher_id),
                ("IsLocallyPublished", "true"),
            ],
        );
        if let Some(url) = &self.support_url {
            d.text("upd:SupportUrl", url);
        }
        d.empty(
            "upd:InstallationBehavior",
            &[("Impact", "Normal"), ("RebootBehavior", reboot_name(self.reboot))],
        );
        d.close("upd:Properties");
        d.localized(&self.language, &self.title, &self.description);
        d.open("upd:Relationships", &[]);
        d.open("upd:Prerequisites", &[]);
        for id in &self.prerequisites {
            d.empty("upd:UpdateIdentity", &[("UpdateID", id)]);
        }
        d.category_group(&self.classification_id);
        for id in &self.categories {
            d.category_group(id);
        }
        d.close("upd:Prerequisites");
        d.close("upd:Relationships");
        d.open("upd:ApplicabilityRules", &[]);
        d.rule_root("upd:IsInstalled", &self.is_installed);
        d.rule_root("upd:IsInstallable", &self.is_installable);
        d.close("upd:ApplicabilityRules");
        d.open("upd:Files", &[]);
        for f in &self.files {
            let size = f.size.to_string();
            d.open(
                "upd:File",
                &[
                    ("Digest", &f.sha1),
                    ("DigestAlgorithm", "SHA1"),
                    ("FileName", &f.name),
                    ("Size", &size),
                    ("Modified", &f.modified),
                ],
            );
            d.text_attr_sha256(&f.sha256);
            d.close("upd:File");
        }
        d.close("upd:Files");
        match &self.installer {
            Installer::CommandLine {
                program,
                arguments,
                return_codes,
            } => {
                d.open(
                    "upd:HandlerSpecificData",
                    &[("xsi:type", "cmd:CommandLineInstallation"), ("xmlns:xsi", XSI)],
                );
                let mut attrs = vec![("Program", program.as_str())];
                if !arguments.is_empty() {
                    attrs.push(("Arguments", arguments));
                }
                attrs.push(("DefaultResult", "Failed"));
                attrs.push(("RebootByDefault", "false"));
                attrs.push(("xmlns:cmd", CMD));
                d.open("cmd:InstallCommand", &attrs);
                for rc in return_codes {
                    let code = rc.code.to_string();
                    let result = match rc.result {
                        InstallResult::Succeeded => "Succeeded",
                        InstallResult::Failed => "Failed",
                        InstallResult::Cancelled => "Cancelled",
                    };
                    let mut attrs = vec![("Code", code.as_str()), ("Result", result)];
                    if rc.reboot {
                        attrs.insert(0, ("Reboot", "true"));
                    }
                    d.empty("cmd:ReturnCode", &attrs);
                }
                d.close("cmd:InstallCommand");
            }
            Installer::WindowsInstaller {
                product_code,
                msi_file,
                command_line,
            } => {
                d.open(
                    "upd:HandlerSpecificData",
                    &[("xsi:type", "msp:WindowsInstallerApp"), ("xmlns:xsi", XSI)],
                );
                let mut attrs = vec![("ProductCode", product_code.as_str()), ("MsiFile", msi_file)];
                if let Some(c) = command_line.as_deref().filter(|c| !c.is_empty()) {
                    attrs.push(("CommandLine", c));
                }
                attrs.push(("xmlns:msp", MSP));
                d.empty("msp:MsiData", &attrs);
            }
        }
        d.close("upd:HandlerSpecificData");
        d.close("upd:Update");
        d.0
    }
}

impl Doc {
    fn text_attr_sha256(&mut self, sha256: &str) {
        self.open("upd:AdditionalDigest", &[("Algorithm", "SHA256")]);
        self.0.push_str(&escape_text(sha256));
        self.close("upd:AdditionalDigest");
    }
}

impl CategoryPublication {
    /// The category document: a company (vendor) or a product under it.
    pub fn to_xml(&self) -> String {
        let mut d = Doc(String::with_capacity(1024));
        d.open("upd:Update", &[("xmlns:cat", CAT), ("xmlns:upd", UPD)]);
        d.identity(&self.id);
        d.empty(
            "upd:Properties",
            &[
                ("DefaultPropertiesLanguage", "en"),
                ("UpdateType", "Category"),
                ("ExplicitlyDeployable", "false"),
                ("Handler", CAT),
                ("PublicationState", "Published"),
                ("CreationDate", &self.creation_date),
                ("PublisherID", &self.publisher_id),
                ("IsLocallyPublished", "true"),
            ],
        );
        d.localized("en", &self.title, &self.description);
        if let Some(parent) = &self.parent {
            d.open("upd:Relationships", &[]);
            d.open("upd:Prerequisites", &[]);
            d.category_group(parent);
            d.close("upd:Prerequisites");
            d.close("upd:Relationships");
        }
        d.open(
            "upd:HandlerSpecificData",
            &[("xsi:type", "cat:Category"), ("xmlns:xsi", XSI)],
        );
        let kind = match self.kind {
            PublishedCategory::Company => "Company",
            PublishedCategory::Product => "Product",
        };
        d.empty(
            "cat:CategoryInformation",
            &[
                ("CategoryType", kind),
                ("ProhibitsSubcategories", "false"),
                ("xmlns:cat", CAT),
            ],
        );
        d.close("upd:HandlerSpecificData");
        d.close("upd:Update");
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CategoryKind, UpdateType};
    use crate::update_xml::parse_update;

    fn id(u: &str, r: i64) -> RevisionId {
        RevisionId {
            update_id: u.into(),
            revision: r,
        }
    }

    fn reader(installer: Installer, detection: Rule) -> Publication {
        Publication {
            id: id("3f1c2b9e-7d41-4e8a-b3c5-91a2e4d7f608", 1),
            publisher_id: "0b5d9c1e-5a77-4d0a-8f7e-6f1f4b2a9c3d".into(),
            creation_date: "2026-12-03T09:00:00Z".into(),
            language: "en".into(),
            title: "Contoso Reader 24.3 <x64> & \"friends\"".into(),
            description: "Fixes the reader's PDF parser.".into(),
            support_url: Some("https://contoso.example/support?a=1&b=2".into()),
            classification_id: "0fa1201d-4330-4fa8-8ae9-b877473b6441".into(),
            categories: vec![
                "11111111-2222-4333-8444-555555555555".into(),
                "66666666-7777-4888-9999-aaaaaaaaaaaa".into(),
            ],
            prerequisites: vec!["ccb78947-6453-4ecc-9de8-bc0305c98f2d".into()],
            is_installed: detection.clone(),
            is_installable: Rule::Not(Box::new(detection)),
            installer,
            files: vec![PublishedFile {
                name: "reader.msi".into(),
                size: 11551,
                sha1: "br8eaMSqh4RzvhmfbQA546QF5ZM=".into(),
                sha256: "XSVHYC1Z1ZjQVWyXCXjKcIT6EHtgckWLBFV9KIrHH9k=".into(),
                modified: "2026-12-03T08:59:00Z".into(),
            }],
            reboot: RebootBehavior::CanRequestReboot,
        }
    }

    #[test]
    fn a_published_package_reads_back_with_the_sites_own_parser() {
        let code = "{6B3A1D42-8C1E-4F5B-9A77-2D4E51C0A9F3}";
        let p = reader(
            Installer::WindowsInstaller {
                product_code: code.into(),
                msi_file: "reader.msi".into(),
                command_line: None,
            },
            Rule::MsiProductInstalled {
                product_code: code.into(),
            },
        );
        let xml = p.to_xml();
        let doc = parse_update(&xml).expect("our own document parses");
        assert_eq!(doc.id, p.id);
        assert_eq!(doc.update_type, UpdateType::Software);
        assert_eq!(doc.handler.as_deref(), Some(MSP));
        let text = doc.text("en").expect("English text");
        assert_eq!(text.title, p.title);
        assert_eq!(text.description.as_deref(), Some(p.description.as_str()));
        assert_eq!(doc.support_url, p.support_url);
        assert_eq!(doc.reboot_behavior.as_deref(), Some("CanRequestReboot"));
        assert_eq!(doc.max_download_size, Some(11551));
        let categories: Vec<&str> = doc
            .prerequisites
            .iter()
            .filter(|g| g.is_category)
            .flat_map(|g| g.update_ids.iter().map(String::as_str))
            .collect();
        assert_eq!(
            categories,
            [
                p.classification_id.as_str(),
                p.categories[0].as_str(),
                p.categories[1].as_str()
            ]
        );
        assert!(doc
            .prerequisites
            .iter()
            .any(|g| !g.is_category && g.update_ids == p.prerequisites));
        assert_eq!(doc.files.len(), 1);
        assert_eq!(doc.files[0].file_name, "reader.msi");
        assert_eq!(doc.files[0].digest, p.files[0].sha1);
        // The detection the wizard chose is the rule a client evaluates.
        assert!(
            xml.contains(&format!(
                "<upd:IsInstalled><msiar:MsiProductInstalled ProductCode=\"{code}\" xmlns:msiar=\"{MSIAR}\" /></upd:IsInstalled>"
            )),
            "{xml}"
        );
        assert!(xml.contains(&format!(
            "<msp:MsiData ProductCode=\"{code}\" MsiFile=\"reader.msi\" xmlns:msp=\"{MSP}\" />"
        )));
    }

    #[test]
    fn a_published_program_carries_its_arguments_return_codes_and_rules() {
        let detection = Rule::And(vec![
            Rule::Processor { architecture: 9 },
            Rule::Or(vec![
                Rule::FileExists {
                    path: "Fabrikam\\viewer.exe".into(),
                    csidl: Some(38),
                },
                Rule::RegKeyExists {
                    key: "HKEY_LOCAL_MACHINE".into(),
                    subkey: "SOFTWARE\\Fabrikam\\Viewer".into(),
                },
            ]),
        ]);
        let p = reader(
            Installer::CommandLine {
                program: "setup.exe".into(),
                arguments: "/q /norestart".into(),
                return_codes: vec![
                    ReturnCode {
                        code: 0,
                        result: InstallResult::Succeeded,
                        reboot: false,
                    },
                    ReturnCode {
                        code: 3010,
                        result: InstallResult::Succeeded,
                        reboot: true,
                    },
                ],
            },
            detection,
        );
        let xml = p.to_xml();
        let doc = parse_update(&xml).expect("parses");
        assert_eq!(doc.handler.as_deref(), Some(CMD));
        assert!(xml.contains(&format!(
            "<cmd:InstallCommand Program=\"setup.exe\" Arguments=\"/q /norestart\" DefaultResult=\"Failed\" RebootByDefault=\"false\" xmlns:cmd=\"{CMD}\"><cmd:ReturnCode Code=\"0\" Result=\"Succeeded\" /><cmd:ReturnCode Reboot=\"true\" Code=\"3010\" Result=\"Succeeded\" /></cmd:InstallCommand>"
        )), "{xml}");
        assert!(xml.contains(&format!(
            "<upd:IsInstalled><lar:And xmlns:lar=\"{LAR}\"><bar:Processor Architecture=\"9\" xmlns:bar=\"{BAR}\" /><lar:Or><bar:FileExists Csidl=\"38\" Path=\"Fabrikam\\viewer.exe\" xmlns:bar=\"{BAR}\" />"
        )), "{xml}");
        assert!(xml.contains("<upd:IsInstallable><lar:Not xmlns:lar="), "{xml}");
        // Text that would break the markup is escaped, and reads back whole.
        assert!(xml.contains("Contoso Reader 24.3 &lt;x64&gt; &amp; \"friends\""));
        assert!(xml.contains("a=1&amp;b=2"));
    }

    #[test]
    fn vendor_and_product_categories_read_back_as_categories() {
        let vendor = CategoryPublication {
            id: id("11111111-2222-4333-8444-555555555555", 1),
            publisher_id: "0b5d9c1e-5a77-4d0a-8f7e-6f1f4b2a9c3d".into(),
            creation_date: "2026-12-03T09:00:00Z".into(),
            title: "Contoso Ltd.".into(),
            description: "Updates published by this site for Contoso Ltd.".into(),
            kind: PublishedCategory::Company,
            parent: None,
        };
        let product = CategoryPublication {
            id: id("66666666-7777-4888-9999-aaaaaaaaaaaa", 1),
            title: "Contoso Reader".into(),
            kind: PublishedCategory::Product,
            parent: Some(vendor.id.update_id.clone()),
            ..vendor.clone()
        };
        let v = parse_update(&vendor.to_xml()).expect("vendor parses");
        assert_eq!(v.update_type, UpdateType::Category);
        assert_eq!(v.category_kind, Some(CategoryKind::Company));
        let p = parse_update(&product.to_xml()).expect("product parses");
        assert_eq!(p.category_kind, Some(CategoryKind::Product));
        assert_eq!(
            p.prerequisites[0].update_ids,
            std::slice::from_ref(&vendor.id.update_id)
        );
        assert!(p.prerequisites[0].is_category);
    }
}
