//! Why an installer could not be read, named so the administrator knows what to choose.

/// Every error names the file as the administrator chose it.
#[derive(Debug, thiserror::Error)]
pub enum InstallerError {
    #[error("{name} is not an installer the Upload Update wizard takes: choose a .msi, .msp or .exe file")]
    UnknownKind { name: String },
    #[error(
        "{name} is not {expected}: it is {found}. Choose the installer itself, with the extension \
         that says what it is."
    )]
    NotWhatItSays {
        name: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("{name} is a damaged {}: {detail}", strip_article(what))]
    Damaged {
        name: String,
        what: &'static str,
        detail: String,
    },
    #[error("{name} is {bytes} bytes, more than the {limit} bytes an installer may have")]
    TooLarge { name: String, bytes: u64, limit: u64 },
    #[error("{name} could not be read: {source}")]
    Io {
        name: String,
        #[source]
        source: std::io::Error,
    },
}

/// "a Windows program" → "Windows program", for "a damaged …".
fn strip_article(what: &str) -> &str {
    what.strip_prefix("a ").unwrap_or(what)
}
