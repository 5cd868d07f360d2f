//! Locally published (third-party) updates: the site's publishing certificate and the signed
//! cabinets their content travels in (issue 16, point 4). A client trusts a locally
//! published update only when its content is signed by a certificate in its Trusted
//! Publishers store, as WSUS asks; the site signs with its own certificate and checks the
//! signature again before it serves the cabinet.
//!
//! `upload`: what the wizard's first page learns from the files; `spec`: every page checked
//! by the site; `publish`: publish, edit, delete, list and the storage quota; `kept`: an
//! edit's files taken back out of the current cabinet; `serve`: the
//! check `patchdeck serve` runs before it serves a published cabinet. The documents are
//! written by `wsus::publishing` and imported through `catalog::import`; the cabinets are
//! stored in the `content` library (hence floor 7, above both).

pub mod cabinet;
pub mod certificate;
mod kept;
pub mod os_rules;
pub mod publish;
pub mod serve;
pub mod spec;
pub mod upload;

/// What went wrong while packing, signing or checking published content.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(
        "{tool} is needed to sign published content and was not found ({detail}); on Debian or \
         Ubuntu install it with 'apt-get install {package}'"
    )]
    ToolMissing {
        tool: &'static str,
        package: &'static str,
        detail: String,
    },
    #[error("signing {file} failed: {detail}")]
    SignFailed { file: String, detail: String },
    #[error(
        "{file} does not carry a valid signature of this site's publishing certificate \
         ({detail}); it is not served. Publish the update again to sign it anew."
    )]
    NotSigned { file: String, detail: String },
    #[error("the publishing certificate could not be made: {0}")]
    Certificate(String),
    #[error("packing {file} into a cabinet failed: {detail}")]
    Pack { file: String, detail: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl PublishError {
    pub(crate) fn io(what: &'static str, path: &std::path::Path) -> impl FnOnce(std::io::Error) -> PublishError {
        let path = path.display().to_string();
        move |source| PublishError::Io { what, path, source }
    }
}
