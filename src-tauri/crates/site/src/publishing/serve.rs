//! What `patchdeck serve` asks before it hands out a file of the content library: a signed
//! cabinet of a third-party update is served only while it still verifies against the
//! site's publishing certificate (issue 16, point 4). Other files are the library's own
//! business (their digests were checked when they were stored).

use rusqlite::OptionalExtension;

use super::publish::site_certificate;
use super::{cabinet, PublishError};
use crate::content::{b64, library_root};
use crate::handle::Site;

/// `relative` is the path under `/Content/` (`XX/<SHA1HEX>.cab`). Ok when the file is not a
/// published cabinet, or is one that verifies.
pub fn check_served(site: &Site, relative: &str) -> Result<(), PublishError> {
    let relative = relative.trim_start_matches('/');
    let Some((dir, file)) = relative.split_once('/') else {
        return Ok(());
    };
    let Some(hex) = file
        .strip_suffix(".cab")
        .or_else(|| file.strip_suffix(".CAB"))
        .filter(|h| h.len() == 40 && dir.len() == 2)
    else {
        return Ok(());
    };
    let Some(bytes) = (0..20)
        .map(|i| u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()
    else {
        return Ok(());
    };
    let sha1 = b64(&bytes);
    let published: Option<String> = site
        .store()
        .reader()
        .query_row(
            "SELECT update_id FROM third_party_updates WHERE cab_sha1 = ?1",
            [&sha1],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| PublishError::NotSigned {
            file: relative.to_string(),
            detail: format!("the site's database could not say whose cabinet it is: {e}"),
        })?;
    if published.is_none() {
        return Ok(());
    }
    let cert = site_certificate(site)?;
    cabinet::verify(&cert, &library_root(site).join(dir).join(file))
}
