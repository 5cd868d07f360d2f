//! Windows Installer packages and patches: the summary information stream and, for a
//! package, the Property table.

use std::io::Cursor;

use msi::{Expr, Package, PackageType, Select, Value};

use crate::{InstallerError, InstallerInfo, Kind, Platform};

pub(crate) fn read(name: &str, kind: Kind, bytes: &[u8]) -> Result<InstallerInfo, InstallerError> {
    let damaged = |detail: String| InstallerError::Damaged {
        name: name.into(),
        what: kind.describe(),
        detail,
    };
    let mut package = Package::open(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let found = match package.package_type() {
        PackageType::Installer => Kind::Package,
        PackageType::Patch => Kind::Patch,
        PackageType::Transform => {
            return Err(InstallerError::NotWhatItSays {
                name: name.into(),
                expected: kind.describe(),
                found: "a Windows Installer transform (.mst), which only changes a package",
            })
        }
    };
    if found != kind {
        return Err(InstallerError::NotWhatItSays {
            name: name.into(),
            expected: kind.describe(),
            found: found.describe(),
        });
    }
    let summary = package.summary_info();
    let text = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let mut info = InstallerInfo {
        kind,
        product_name: None,
        product_version: None,
        manufacturer: text(summary.author()),
        product_code: None,
        upgrade_code: None,
        description: text(summary.subject()),
        platform: Platform::Unknown,
        languages: Vec::new(),
        targets: Vec::new(),
    };
    match kind {
        Kind::Patch => {
            // A patch's Revision Number holds its own code; its Template the ProductCodes it
            // targets, separated by semicolons (where a package keeps platform;languages).
            // The msi crate gives the template's first part only: the first target.
            info.product_code = summary.uuid().map(|u| braced(&u.to_string()));
            info.product_name = text(summary.title());
            info.targets = summary.arch().map(product_codes).unwrap_or_default();
            if package.has_table("MsiPatchMetadata") {
                let rows = package
                    .select_rows(Select::table("MsiPatchMetadata"))
                    .map_err(|e| damaged(e.to_string()))?;
                for row in rows {
                    if let Some((key, value)) = pair(&row) {
                        match key {
                            "DisplayName" => info.product_name = Some(value.into()),
                            "ManufacturerName" => info.manufacturer = Some(value.into()),
                            "Description" => info.description = Some(value.into()),
                            _ => {}
                        }
                    }
                }
            }
        }
        _ => {
            info.platform = match summary.arch().map(str::to_ascii_lowercase).as_deref() {
                Some("intel") | None => Platform::X86,
                Some("x64") | Some("amd64") => Platform::X64,
                Some("arm64") => Platform::Arm64,
                Some(_) => Platform::Unknown,
            };
            info.languages = summary.languages().iter().map(|l| l.code()).collect();
            if !package.has_table("Property") {
                return Err(damaged("it has no Property table, which every package has".into()));
            }
            let wanted = [
                "ProductName",
                "ProductVersion",
                "Manufacturer",
                "ProductCode",
                "UpgradeCode",
                "ProductLanguage",
            ];
            let query = Select::table("Property").with(
                wanted
                    .iter()
                    .map(|p| Expr::col("Property").eq(Expr::string(*p)))
                    .reduce(Expr::or)
                    .unwrap_or_else(|| Expr::col("Property").eq(Expr::string("ProductName"))),
            );
            let rows = package.select_rows(query).map_err(|e| damaged(e.to_string()))?;
            for row in rows {
                let Some((key, value)) = pair(&row) else {
                    continue;
                };
                if key == "ProductLanguage" {
                    // The language the package installs in leads; the template lists what
                    // its user interface offers.
                    if let Ok(lang) = value.trim().parse::<u16>() {
                        info.languages.retain(|&l| l != lang);
                        info.languages.insert(0, lang);
                    }
                    continue;
                }
                let slot = match key {
                    "ProductName" => &mut info.product_name,
                    "ProductVersion" => &mut info.product_version,
                    "Manufacturer" => &mut info.manufacturer,
                    "ProductCode" => &mut info.product_code,
                    "UpgradeCode" => &mut info.upgrade_code,
                    _ => continue,
                };
                *slot = Some(value.into());
            }
            if info.product_code.is_none() {
                return Err(damaged(
                    "its Property table has no ProductCode, which Windows Installer needs to install it".into(),
                ));
            }
        }
    }
    Ok(info)
}

/// A Property / Value row's two texts; a table with other columns has none.
fn pair(row: &msi::Row) -> Option<(&str, &str)> {
    if !(row.has_column("Property") && row.has_column("Value")) {
        return None;
    }
    match (&row["Property"], &row["Value"]) {
        (Value::Str(key), Value::Str(value)) => Some((key, value)),
        _ => None,
    }
}

fn product_codes(template: &str) -> Vec<String> {
    template
        .split(';')
        .map(str::trim)
        .filter(|c| c.starts_with('{') && c.ends_with('}'))
        .map(str::to_string)
        .collect()
}

fn braced(uuid: &str) -> String {
    format!("{{{}}}", uuid.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A patch written by the msi crate, as a patch tool would: summary and metadata.
    fn patch() -> Vec<u8> {
        let mut package = Package::create(PackageType::Patch, Cursor::new(Vec::new())).expect("create");
        let summary = package.summary_info_mut();
        summary.set_title("Contoso Reader 24.3.2 security fix");
        summary.set_author("Contoso Ltd.");
        summary.set_subject("Contoso Reader");
        summary.set_arch("{6B3A1D42-8C1E-4F5B-9A77-2D4E51C0A9F3}");
        summary.set_uuid(uuid::Uuid::parse_str("8d1f0a52-3c4e-4b6f-9a1d-2e3f4a5b6c7d").expect("uuid"));
        package
            .create_table(
                "MsiPatchMetadata",
                vec![
                    msi::Column::build("Company").primary_key().nullable().string(72),
                    msi::Column::build("Property").primary_key().string(72),
                    msi::Column::build("Value").nullable().text_string(0),
                ],
            )
            .expect("table");
        package
            .insert_rows(msi::Insert::into("MsiPatchMetadata").rows(vec![
                vec![Value::Null, Value::from("DisplayName"), Value::from("Reader 24.3.2")],
                vec![Value::Null, Value::from("ManufacturerName"), Value::from("Contoso")],
            ]))
            .expect("rows");
        package.into_inner().expect("close").into_inner()
    }

    #[test]
    fn a_patch_says_its_code_its_target_and_its_metadata_names() {
        let info = crate::read_bytes("fix.msp", &patch()).expect("a patch");
        assert_eq!(info.kind, Kind::Patch);
        assert_eq!(
            info.product_code.as_deref(),
            Some("{8D1F0A52-3C4E-4B6F-9A1D-2E3F4A5B6C7D}")
        );
        assert_eq!(info.targets, ["{6B3A1D42-8C1E-4F5B-9A77-2D4E51C0A9F3}"]);
        assert_eq!(info.product_name.as_deref(), Some("Reader 24.3.2"));
        assert_eq!(info.manufacturer.as_deref(), Some("Contoso"));
        assert_eq!(info.platform, Platform::Unknown);
        let as_package = crate::read_bytes("fix.msi", &patch()).expect_err("a patch named .msi");
        assert!(
            as_package
                .to_string()
                .contains("it is a Windows Installer patch (.msp)"),
            "{as_package}"
        );
    }
}
