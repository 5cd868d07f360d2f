//! The Upload Update wizard's pages checked by the site: each problem with the field it
//! belongs to (`files.path`, `description.title`, `detection.productCode`...), so the
//! wizard shows it there. Publishing runs every page's checks again.

use rusqlite::OptionalExtension;

use super::upload;
use crate::handle::{Actor, Site};
use crate::wire::{
    ApiError, FieldIssue, PrerequisiteKind, RuleKind, RuleSpec, ThirdPartySpec, UploadPage, ValidateUploadArgs,
};

/// The classifications a third-party update may have, with Microsoft's ids for them.
pub const CLASSIFICATIONS: [(&str, &str); 5] = [
    ("Updates", "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83"),
    ("Critical Updates", "e6cf1350-c01b-414d-a61f-263d14d133b4"),
    ("Security Updates", "0fa1201d-4330-4fa8-8ae9-b877473b6441"),
    ("Update Rollups", "28bc880e-0592-4cbf-8f95-c79b17911d5f"),
    ("Service Packs", "68c5b0a3-d1a6-4553-ae49-01d3a7827828"),
];

const REGISTRY_ROOTS: [&str; 4] = [
    "HKEY_LOCAL_MACHINE",
    "HKEY_CURRENT_USER",
    "HKEY_CLASSES_ROOT",
    "HKEY_USERS",
];

pub fn validate(site: &Site, _actor: &Actor, args: ValidateUploadArgs) -> Result<Vec<FieldIssue>, ApiError> {
    check(site, args.page, &args.spec)
}

/// The problems of one page (every page for `Summary`).
pub(crate) fn check(site: &Site, page: UploadPage, spec: &ThirdPartySpec) -> Result<Vec<FieldIssue>, ApiError> {
    let mut out = Issues(Vec::new());
    let pages: &[UploadPage] = if page == UploadPage::Summary {
        &[
            UploadPage::Files,
            UploadPage::Description,
            UploadPage::Requirements,
            UploadPage::Detection,
            UploadPage::Prerequisites,
            UploadPage::Arguments,
            UploadPage::ReturnCodes,
        ]
    } else {
        std::slice::from_ref(&page)
    };
    let executable = is_executable(&spec.files.path);
    for page in pages {
        match page {
            UploadPage::Files => {
                if let Err(e) = upload::gather(&spec.files) {
                    out.add("files.path", e.message);
                }
            }
            UploadPage::Description => description(&mut out, spec),
            UploadPage::Requirements => requirements(site, &mut out, spec)?,
            UploadPage::Detection => {
                // A Windows Installer file's ProductCode is its rule: the page is skipped.
                if executable {
                    rule(&mut out, "detection", &spec.detection);
                }
            }
            UploadPage::Prerequisites => prerequisites(site, &mut out, spec)?,
            UploadPage::Arguments => arguments(&mut out, spec, executable),
            UploadPage::ReturnCodes => {
                if executable {
                    return_codes(&mut out, spec);
                }
            }
            UploadPage::Summary => {}
        }
    }
    Ok(out.0)
}

/// Whether the chosen installer is a program (its own detection, arguments and return
/// codes) rather than a Windows Installer file.
pub(crate) fn is_executable(path: &str) -> bool {
    installer::Kind::from_name(path.trim()) == Some(installer::Kind::Executable)
}

pub(crate) fn classification_id(name: &str) -> Option<&'static str> {
    CLASSIFICATIONS.iter().find(|(n, _)| *n == name).map(|(_, id)| *id)
}

struct Issues(Vec<FieldIssue>);

impl Issues {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldIssue {
            field: field.into(),
            message: message.into(),
        });
    }

    fn text(&mut self, field: &str, label: &str, value: &str, required: bool, max: usize) {
        let value = value.trim();
        if required && value.is_empty() {
            self.add(field, format!("{label} is required."));
        } else if value.chars().count() > max {
            self.add(field, format!("{label} is longer than {max} characters: shorten it."));
        } else if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.add(field, format!("{label} holds control characters: remove them."));
        }
    }
}

fn description(out: &mut Issues, spec: &ThirdPartySpec) {
    let d = &spec.description;
    out.text("description.title", "The update's name", &d.title, true, 200);
    out.text(
        "description.description",
        "The description",
        &d.description,
        false,
        1500,
    );
    out.text("description.vendor", "The vendor", &d.vendor, true, 100);
    out.text("description.product", "The product", &d.product, true, 100);
    let url = d.support_url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        out.add(
            "description.supportUrl",
            format!("The support address '{url}' is not a web address: start it with https://."),
        );
    } else {
        out.text("description.supportUrl", "The support address", url, false, 500);
    }
    if classification_id(&spec.classification).is_none() {
        let names: Vec<&str> = CLASSIFICATIONS.iter().map(|(n, _)| *n).collect();
        out.add(
            "classification",
            format!(
                "Choose the classification among {}{}.",
                names.join(", "),
                if spec.classification.trim().is_empty() {
                    String::new()
                } else {
                    format!(" ('{}' is not one)", spec.classification)
                }
            ),
        );
    }
}

fn requirements(site: &Site, out: &mut Issues, spec: &ThirdPartySpec) -> Result<(), ApiError> {
    let c = site.store().reader();
    for id in &spec.requirements.operating_systems {
        let kind: Option<String> = c
            .query_row(
                "SELECT kind FROM categories WHERE category_id = ?1 COLLATE NOCASE",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if kind.as_deref() != Some("Product") {
            out.add(
                "requirements.operatingSystems",
                format!("{id} is not a product of this site: choose the operating systems from the list."),
            );
        } else if super::os_rules::rule_of_product(&c, id)?.is_none() {
            let title: String = c.query_row(
                "SELECT title FROM categories WHERE category_id = ?1 COLLATE NOCASE",
                [id],
                |r| r.get(0),
            )?;
            out.add(
                "requirements.operatingSystems",
                format!(
                    "'{title}' is not a Windows release the site can write a rule for: choose Windows products only."
                ),
            );
        }
    }
    Ok(())
}

fn rule(out: &mut Issues, prefix: &str, rule: &RuleSpec) {
    match rule.kind {
        RuleKind::Once => {}
        RuleKind::FileExists => {
            let path = rule.path.trim();
            let drive =
                path.as_bytes().get(1) == Some(&b':') && path.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
            if path.is_empty() {
                out.add(&format!("{prefix}.path"), "The file's path is required.");
            } else if !(drive || path.starts_with('%')) || path.split(['\\', '/']).any(|p| p == "..") {
                out.add(
                    &format!("{prefix}.path"),
                    format!("'{path}' is not a full Windows path: give it as C:\\Program Files\\Vendor\\app.exe or %ProgramFiles%\\Vendor\\app.exe."),
                );
            } else {
                out.text(&format!("{prefix}.path"), "The file's path", path, true, 260);
            }
        }
        RuleKind::MsiProductInstalled => {
            if !is_guid_in_braces(rule.product_code.trim()) {
                out.add(
                    &format!("{prefix}.productCode"),
                    format!(
                        "'{}' is not a product code: give it as {{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}}.",
                        rule.product_code.trim()
                    ),
                );
            }
        }
        RuleKind::RegistryKeyExists => {
            if !REGISTRY_ROOTS.contains(&rule.key.trim()) {
                out.add(
                    &format!("{prefix}.key"),
                    format!("Choose the registry root among {}.", REGISTRY_ROOTS.join(", ")),
                );
            }
            out.text(&format!("{prefix}.subkey"), "The registry key", &rule.subkey, true, 255);
        }
    }
}

pub(crate) fn is_guid_in_braces(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) else {
        return false;
    };
    let parts: Vec<&str> = inner.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn prerequisites(site: &Site, out: &mut Issues, spec: &ThirdPartySpec) -> Result<(), ApiError> {
    let p = &spec.prerequisites;
    match p.kind {
        PrerequisiteKind::None => {}
        PrerequisiteKind::Update => {
            let id = p.update_id.trim();
            let known: Option<String> = site
                .store()
                .reader()
                .query_row(
                    "SELECT title FROM updates WHERE update_id = ?1 COLLATE NOCASE",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            if id.is_empty() {
                out.add(
                    "prerequisites.updateId",
                    "Choose the update that must be installed first.",
                );
            } else if known.is_none() {
                out.add(
                    "prerequisites.updateId",
                    format!("{id} is not an update of this site: choose one from All Software Updates."),
                );
            }
        }
        PrerequisiteKind::Rule => {
            if p.rule.kind == RuleKind::Once {
                out.add(
                    "prerequisites.rule.kind",
                    "Choose what must hold: a file, an installed product or a registry key.",
                );
            }
            rule(out, "prerequisites.rule", &p.rule);
        }
    }
    Ok(())
}

fn arguments(out: &mut Issues, spec: &ThirdPartySpec, executable: bool) {
    let args = spec.arguments.trim();
    if executable && args.is_empty() {
        out.add(
            "arguments",
            "An executable must install silently: give the arguments that make it do so (e.g. /q or /S).",
        );
    } else if args.contains(['\n', '\r']) {
        out.add("arguments", "The arguments are one line: remove the line breaks.");
    } else {
        out.text("arguments", "The arguments", args, false, 1000);
    }
}

fn return_codes(out: &mut Issues, spec: &ThirdPartySpec) {
    if spec.return_codes.is_empty() {
        out.add(
            "returnCodes",
            "Give at least the code that means success (0): any other code reads as a failure.",
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for rc in &spec.return_codes {
        if !seen.insert(rc.code) {
            out.add(
                "returnCodes",
                format!("Return code {} is listed twice: keep one row for it.", rc.code),
            );
        }
    }
}

/// Every problem as one message, for a command that refuses them all at once.
pub(crate) fn refusal(issues: &[FieldIssue]) -> ApiError {
    let lines: Vec<String> = issues.iter().map(|i| format!("{}: {}", i.field, i.message)).collect();
    ApiError::new(
        crate::wire::ErrorCode::Validation,
        format!("The update was not published: {}", lines.join(" ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_codes_are_guids_in_braces() {
        assert!(is_guid_in_braces("{0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D}"));
        assert!(!is_guid_in_braces("0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D"));
        assert!(!is_guid_in_braces("{0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4}"));
        assert!(!is_guid_in_braces("{0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3CZZ}"));
    }
}
