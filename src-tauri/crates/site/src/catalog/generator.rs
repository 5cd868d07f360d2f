//! Synthetic update documents in the real schema, for scale tests and benchmarks.
//!
//! Modeled on the captured documents (`shared/fixtures/wsusss/updates`): the same
//! elements, namespaces and attribute forms; a category tree (company → product family →
//! product, plus classifications); a mix of classifications and severities; bundles whose
//! leaves are separate hidden documents; supersedence chains per product; several
//! languages; files with real SHA-1/SHA-256 digests of deterministic content. The same
//! `(count, seed)` always gives the same documents. Correctness tests use the real
//! fixtures; this only adds volume.

use base64::Engine;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha1::Digest;

const NS: &str = r#"xmlns:pub="http://schemas.microsoft.com/msus/2002/12/Publishing" xmlns:upd="http://schemas.microsoft.com/msus/2002/12/Update""#;

/// Microsoft's published classification ids (the same ones a real upstream sends).
const CLASSIFICATIONS: &[(&str, &str, u32)] = &[
    ("0fa1201d-4330-4fa8-8ae9-b877473b6441", "Security Updates", 30),
    ("e6cf1350-c01b-414d-a61f-263d14d133b4", "Critical Updates", 10),
    ("e0789628-ce08-4437-be74-2495b842f43b", "Definition Updates", 15),
    ("cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83", "Updates", 25),
    ("28bc880e-0592-4cbf-8f95-c79b17911d5f", "Update Rollups", 6),
    ("68c5b0a3-d1a6-4553-ae49-01d3a7827828", "Service Packs", 2),
    ("b54e7d24-7add-428f-8b75-90a396fa584f", "Feature Packs", 2),
    ("b4832bd8-e735-4761-8daf-37f882276dab", "Tools", 2),
    ("3689bdc8-b205-4af4-8d4a-a63924c5e9d5", "Upgrades", 3),
    ("ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0", "Drivers", 5),
];

const FAMILIES: &[(&str, &[&str])] = &[
    (
        "Windows",
        &[
            "Windows 11",
            "Windows 10, version 1903 and later",
            "Windows Server 2022",
            "Windows Server 2025",
            "Windows Server 2019",
        ],
    ),
    ("Office", &["Microsoft 365 Apps/Office 2019/Office LTSC", "Office 2016"]),
    (
        "SQL Server",
        &["Microsoft SQL Server 2019", "Microsoft SQL Server 2022"],
    ),
    (
        "Developer Tools, Runtimes, and Redistributables",
        &[".NET 8.0", ".NET Framework"],
    ),
    ("Microsoft Defender Antivirus", &["Microsoft Defender Antivirus"]),
    ("Microsoft Edge", &["Microsoft Edge"]),
];

const LANGS: &[(&str, &str)] = &[
    ("de", "Update für"),
    ("fr", "Mise à jour pour"),
    ("ja", "更新プログラム"),
    ("es", "Actualización para"),
    ("it", "Aggiornamento per"),
];
const SEVERITIES: &[&str] = &["Critical", "Important", "Moderate", "Low"];
const ARCHS: &[&str] = &["x64-based Systems", "ARM64-based Systems", "x86-based Systems"];

/// One generated document: a file name (`<UpdateID>-r<revision>.xml`) and its XML.
pub struct GeneratedDoc {
    pub file_name: String,
    pub xml: String,
}

/// Generates the category documents, then `count` deployable updates (bundles add their
/// leaves as extra documents).
pub fn generate(count: usize, seed: u64) -> impl Iterator<Item = GeneratedDoc> {
    Generator::new(count, seed)
}

struct Product {
    id: String,
    title: String,
    last_by_class: Vec<Option<String>>,
}

struct Generator {
    rng: ChaCha8Rng,
    remaining: usize,
    pending: Vec<GeneratedDoc>,
    products: Vec<Product>,
    next_kb: u64,
    serial: u64,
}

impl Generator {
    fn new(count: usize, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut pending = Vec::new();
        let company = guid(&mut rng);
        pending.push(category_doc(
            &company,
            "Company",
            "Microsoft Corporation",
            None,
            "2005-09-22T00:05:11.471Z",
        ));
        let mut products = Vec::new();
        for (family, names) in FAMILIES {
            let fid = guid(&mut rng);
            pending.push(category_doc(
                &fid,
                "ProductFamily",
                family,
                Some(&company),
                "2006-03-01T10:00:00.000Z",
            ));
            for name in *names {
                let pid = guid(&mut rng);
                pending.push(category_doc(
                    &pid,
                    "Product",
                    name,
                    Some(&fid),
                    "2015-08-25T20:09:50.002Z",
                ));
                products.push(Product {
                    id: pid,
                    title: name.to_string(),
                    last_by_class: vec![None; CLASSIFICATIONS.len()],
                });
            }
        }
        for (id, title, _) in CLASSIFICATIONS {
            pending.push(category_doc(
                id,
                "UpdateClassification",
                title,
                None,
                "2004-05-15T05:50:01.611Z",
            ));
        }
        pending.reverse();
        Self {
            rng,
            remaining: count,
            pending,
            products,
            next_kb: 5_000_000 + seed % 1000 * 1000,
            serial: 0,
        }
    }

    fn pick_class(&mut self) -> usize {
        let total: u32 = CLASSIFICATIONS.iter().map(|c| c.2).sum();
        let mut roll = self.rng.gen_range(0..total);
        for (i, c) in CLASSIFICATIONS.iter().enumerate() {
            if roll < c.2 {
                return i;
            }
            roll -= c.2;
        }
        0
    }

    fn next_update(&mut self) {
        self.serial += 1;
        let class = self.pick_class();
        let p = self.rng.gen_range(0..self.products.len());
        let id = guid(&mut self.rng);
        let kb = self.next_kb;
        self.next_kb += 1 + self.rng.gen_range(0..3);
        let (class_id, class_title, _) = CLASSIFICATIONS[class];
        let product_title = self.products[p].title.clone();
        let product_id = self.products[p].id.clone();
        let year = 2015 + (self.serial * 11 / 7 % 12) as i32;
        // The newest documents are from October 2026, like the captures.
        let month = 1 + self.rng.gen_range(0..if year == 2026 { 10 } else { 12 });
        let day = 1 + self.rng.gen_range(0..28);
        let date = format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
            self.rng.gen_range(0..24),
            self.rng.gen_range(0..60),
            self.rng.gen_range(0..60),
            self.rng.gen_range(0..1000)
        );
        let arch = ARCHS[self.rng.gen_range(0..ARCHS.len())];
        let kind_word = match class_title {
            "Security Updates" => "Security Update",
            "Critical Updates" => "Critical Update",
            "Definition Updates" => "Security Intelligence Update",
            "Update Rollups" => "Cumulative Update",
            "Service Packs" => "Service Pack",
            "Feature Packs" => "Feature Pack",
            "Tools" => "Tool",
            "Upgrades" => "Feature update",
            "Drivers" => "Driver Update",
            _ => "Update",
        };
        let title = format!("{year}-{month:02} {kind_word} for {product_title} for {arch} (KB{kb})");
        let severity = (class_title == "Security Updates").then(|| SEVERITIES[self.rng.gen_range(0..SEVERITIES.len())]);
        let expired = self.rng.gen_ratio(1, 50);
        let supersedes = match self.products[p].last_by_class[class].take() {
            Some(prev) if self.rng.gen_ratio(3, 5) => vec![prev],
            other => {
                self.products[p].last_by_class[class] = other;
                Vec::new()
            }
        };
        if !expired {
            self.products[p].last_by_class[class] = Some(id.clone());
        }
        let mut langs = vec![("en", title.clone())];
        for (lang, prefix) in LANGS {
            if self.rng.gen_ratio(1, 3) {
                langs.push((lang, format!("{prefix} {product_title} (KB{kb})")));
            }
        }
        let is_bundle = self.rng.gen_ratio(1, 8);
        let driver = class_title == "Drivers";
        let mut leaves = Vec::new();
        let mut files = Vec::new();
        if is_bundle {
            for n in 0..self.rng.gen_range(1..=3) {
                let leaf_id = guid(&mut self.rng);
                let leaf_files = self.files(kb, n + 1);
                let leaf_title = format!("HIDDEN: {product_title} component {} (KB{kb})", n + 1);
                self.pending.push(GeneratedDoc {
                    file_name: format!("{leaf_id}-r200.xml"),
                    xml: update_doc(&UpdateSpec {
                        id: &leaf_id,
                        update_type: "Software",
                        date: &date,
                        kb: None,
                        severity: None,
                        expired,
                        explicitly_deployable: None,
                        langs: &[("en", leaf_title)],
                        class_id,
                        product_id: &product_id,
                        bundled: &[],
                        supersedes: &[],
                        files: &leaf_files,
                    }),
                });
                leaves.push(leaf_id);
            }
        } else {
            let n = self.rng.gen_range(1..=2);
            files = self.files(kb, n);
        }
        let xml = update_doc(&UpdateSpec {
            id: &id,
            update_type: if driver { "Driver" } else { "Software" },
            date: &date,
            kb: Some(kb),
            severity,
            expired,
            explicitly_deployable: Some(true),
            langs: &langs,
            class_id,
            product_id: &product_id,
            bundled: &leaves,
            supersedes: &supersedes,
            files: &files,
        });
        self.pending.push(GeneratedDoc {
            file_name: format!("{id}-r200.xml"),
            xml,
        });
    }

    fn files(&mut self, kb: u64, n: u32) -> Vec<FileSpec> {
        (0..n)
            .map(|i| {
                // Sizes spread from ~50 KB to ~1 GB, most in the tens of MB.
                let exp: f64 = self.rng.gen_range(15.5..30.0);
                let size = 2f64.powf(exp) as u64;
                let name = format!("windows-kb{kb}-{}.{}", i + 1, if i == 0 { "msu" } else { "cab" });
                let content = format!("patchdeck generated content {kb} {i} {size}");
                FileSpec {
                    sha1: b64(&sha1::Sha1::digest(content.as_bytes())),
                    sha256: b64(&sha2::Sha256::digest(content.as_bytes())),
                    name,
                    size,
                }
            })
            .collect()
    }
}

impl Iterator for Generator {
    type Item = GeneratedDoc;

    fn next(&mut self) -> Option<GeneratedDoc> {
        if self.pending.is_empty() && self.remaining > 0 {
            self.remaining -= 1;
            self.next_update();
            // Leaves were pushed before their bundle; emit leaves first.
            self.pending.reverse();
        }
        self.pending.pop()
    }
}

struct FileSpec {
    name: String,
    size: u64,
    sha1: String,
    sha256: String,
}

struct UpdateSpec<'a> {
    id: &'a str,
    update_type: &'a str,
    date: &'a str,
    kb: Option<u64>,
    severity: Option<&'a str>,
    expired: bool,
    explicitly_deployable: Option<bool>,
    langs: &'a [(&'a str, String)],
    class_id: &'a str,
    product_id: &'a str,
    bundled: &'a [String],
    supersedes: &'a [String],
    files: &'a [FileSpec],
}

fn update_doc(s: &UpdateSpec<'_>) -> String {
    let mut x = String::with_capacity(2048);
    x.push_str(&format!(
        "<upd:Update {NS}><upd:UpdateIdentity UpdateID=\"{}\" RevisionNumber=\"200\" />",
        s.id
    ));
    let max: u64 = s.files.iter().map(|f| f.size).sum();
    x.push_str(&format!(
        "<upd:Properties UpdateType=\"{}\" DefaultPropertiesLanguage=\"en\"{} MaxDownloadSize=\"{max}\" MinDownloadSize=\"0\" PublicationState=\"{}\" CreationDate=\"{}\" PublisherID=\"bccf8ca0-2819-4598-8d15-c1506e363e92\">",
        s.update_type,
        s.explicitly_deployable.map(|e| format!(" ExplicitlyDeployable=\"{e}\"")).unwrap_or_default(),
        if s.expired { "Expired" } else { "Published" },
        s.date
    ));
    x.push_str("<upd:InstallationBehavior RebootBehavior=\"CanRequestReboot\" />");
    if let Some(kb) = s.kb {
        x.push_str(&format!("<upd:KBArticleID>{kb}</upd:KBArticleID>"));
    }
    if let Some(sev) = s.severity {
        x.push_str(&format!(
            "<upd:MsrcSeverity>{sev}</upd:MsrcSeverity><upd:CveID>CVE-{}-{:05}</upd:CveID>",
            &s.date[..4],
            s.kb.unwrap_or(0) % 100_000
        ));
    }
    x.push_str("</upd:Properties><upd:LocalizedPropertiesCollection>");
    for (lang, title) in s.langs {
        x.push_str(&format!(
            "<upd:LocalizedProperties><upd:Language>{lang}</upd:Language><upd:Title>{}</upd:Title><upd:Description>{}</upd:Description></upd:LocalizedProperties>",
            escape(title),
            escape(&format!("Install this update to resolve issues in {title}. After you install this item, you may have to restart your computer."))
        ));
    }
    x.push_str("</upd:LocalizedPropertiesCollection><upd:Relationships><upd:Prerequisites>");
    x.push_str(&format!(
        "<upd:AtLeastOne IsCategory=\"true\"><upd:UpdateIdentity UpdateID=\"{}\" /></upd:AtLeastOne>",
        s.class_id
    ));
    x.push_str(&format!(
        "<upd:AtLeastOne IsCategory=\"true\"><upd:UpdateIdentity UpdateID=\"{}\" /></upd:AtLeastOne>",
        s.product_id
    ));
    x.push_str("</upd:Prerequisites>");
    if !s.bundled.is_empty() {
        x.push_str("<upd:BundledUpdates>");
        for b in s.bundled {
            x.push_str(&format!(
                "<upd:UpdateIdentity UpdateID=\"{b}\" RevisionNumber=\"200\" />"
            ));
        }
        x.push_str("</upd:BundledUpdates>");
    }
    if !s.supersedes.is_empty() {
        x.push_str("<upd:SupersededUpdates>");
        for u in s.supersedes {
            x.push_str(&format!("<upd:UpdateIdentity UpdateID=\"{u}\" />"));
        }
        x.push_str("</upd:SupersededUpdates>");
    }
    x.push_str("</upd:Relationships>");
    if !s.files.is_empty() {
        x.push_str("<upd:Files>");
        for f in s.files {
            x.push_str(&format!(
                "<upd:File Digest=\"{}\" DigestAlgorithm=\"SHA1\" FileName=\"{}\" Size=\"{}\" Modified=\"{}\"><upd:AdditionalDigest Algorithm=\"SHA256\">{}</upd:AdditionalDigest></upd:File>",
                f.sha1, escape(&f.name), f.size, &s.date[..19], f.sha256
            ));
        }
        x.push_str("</upd:Files>");
    }
    x.push_str("</upd:Update>");
    x
}

fn category_doc(id: &str, kind: &str, title: &str, parent: Option<&str>, date: &str) -> GeneratedDoc {
    let mut x = format!(
        "<upd:Update xmlns:cat=\"http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category\" {NS}><upd:UpdateIdentity UpdateID=\"{id}\" RevisionNumber=\"100\" /><upd:Properties DefaultPropertiesLanguage=\"en\" IsPublic=\"true\" UpdateType=\"Category\" Handler=\"http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category\" PublicationState=\"Published\" CreationDate=\"{date}\" PublisherID=\"42f20e12-2856-447d-a8b2-68f06c2e9b45\"></upd:Properties><upd:LocalizedPropertiesCollection><upd:LocalizedProperties><upd:Language>en</upd:Language><upd:Title>{t}</upd:Title><upd:Description>{t}</upd:Description></upd:LocalizedProperties></upd:LocalizedPropertiesCollection>",
        t = escape(title)
    );
    if let Some(p) = parent {
        x.push_str(&format!("<upd:Relationships><upd:Prerequisites><upd:AtLeastOne IsCategory=\"true\"><upd:UpdateIdentity UpdateID=\"{p}\" /></upd:AtLeastOne></upd:Prerequisites></upd:Relationships>"));
    }
    x.push_str(&format!(
        "<upd:HandlerSpecificData xsi:type=\"cat:Category\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><cat:CategoryInformation CategoryType=\"{kind}\" ProhibitsSubcategories=\"false\" ExcludedByDefault=\"false\" /></upd:HandlerSpecificData></upd:Update>"
    ));
    GeneratedDoc {
        file_name: format!("{id}-r100.xml"),
        xml: x,
    }
}

fn guid(rng: &mut ChaCha8Rng) -> String {
    let b: [u8; 16] = rng.gen();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
        u16::from_be_bytes([b[6], b[7]]) & 0x0fff,
        (u16::from_be_bytes([b[8], b[9]]) & 0x3fff) | 0x8000,
        u64::from_be_bytes([0, 0, b[10], b[11], b[12], b[13], b[14], b[15]])
    )
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_documents() {
        let a: Vec<String> = generate(50, 7).map(|d| d.xml).collect();
        let b: Vec<String> = generate(50, 7).map(|d| d.xml).collect();
        let c: Vec<String> = generate(50, 8).map(|d| d.xml).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn documents_parse_in_the_real_schema() {
        let mut deployable = 0;
        let mut categories = 0;
        for d in generate(200, 1) {
            let doc = wsus::parse_update(&d.xml).unwrap_or_else(|e| panic!("{}: {e}", d.file_name));
            assert_eq!(d.file_name, format!("{}-r{}.xml", doc.id.update_id, doc.id.revision));
            if doc.is_category() {
                categories += 1;
            } else if doc.explicitly_deployable == Some(true) {
                deployable += 1;
                assert!(doc.kb_article_id.is_some());
                assert!(doc.prerequisites.iter().all(|g| g.is_category));
            }
        }
        assert_eq!(deployable, 200);
        assert_eq!(
            categories,
            1 + FAMILIES.len() + FAMILIES.iter().map(|f| f.1.len()).sum::<usize>() + CLASSIFICATIONS.len()
        );
    }
}
