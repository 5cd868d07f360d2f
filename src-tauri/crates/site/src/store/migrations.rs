//! Embedded, append-only migrations, applied in one transaction at open.

use std::path::Path;

use rusqlite::Connection;

use super::{StoreError, APPLICATION_ID};

const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_catalog_and_admin",
        include_str!("../../migrations/0001_catalog_and_admin.sql"),
    ),
    (
        "0002_known_classifications",
        include_str!("../../migrations/0002_known_classifications.sql"),
    ),
    ("0003_admin", include_str!("../../migrations/0003_admin.sql")),
    ("0004_content", include_str!("../../migrations/0004_content.sql")),
    (
        "0005_file_languages",
        include_str!("../../migrations/0005_file_languages.sql"),
    ),
    ("0006_automation", include_str!("../../migrations/0006_automation.sql")),
    ("0007_clients", include_str!("../../migrations/0007_clients.sql")),
    (
        "0008_client_states",
        include_str!("../../migrations/0008_client_states.sql"),
    ),
    (
        "0009_computer_compliance",
        include_str!("../../migrations/0009_computer_compliance.sql"),
    ),
    (
        "0010_list_counts",
        include_str!("../../migrations/0010_list_counts.sql"),
    ),
    ("0011_security", include_str!("../../migrations/0011_security.sql")),
    (
        "0012_third_party",
        include_str!("../../migrations/0012_third_party.sql"),
    ),
    ("0013_os_images", include_str!("../../migrations/0013_os_images.sql")),
    (
        "0014_os_image_servicing",
        include_str!("../../migrations/0014_os_image_servicing.sql"),
    ),
    (
        "0015_os_image_distribution",
        include_str!("../../migrations/0015_os_image_distribution.sql"),
    ),
    (
        "0016_once_installs",
        include_str!("../../migrations/0016_once_installs.sql"),
    ),
    (
        "0017_os_upgrade_package_files",
        include_str!("../../migrations/0017_os_upgrade_package_files.sql"),
    ),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn apply(c: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let current: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.into(),
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = c.transaction()?;
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tracing::info!(migration = name, "applying migration");
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}
