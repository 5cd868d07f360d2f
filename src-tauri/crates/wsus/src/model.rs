//! The catalog model of one update revision, as the update XML states it.
//!
//! These types hold what the parser read and nothing the site adds (declined state,
//! arrival dates, counts). They are plain data: no I/O, no database.

use serde::{Deserialize, Serialize};

/// `UpdateID` + `RevisionNumber`. The GUID is kept lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RevisionId {
    pub update_id: String,
    pub revision: i64,
}

/// `Properties/@UpdateType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UpdateType {
    Software,
    Driver,
    Category,
    Detectoid,
    /// Anything else the upstream may send; kept so a new type never fails a sync.
    Other,
}

/// `CategoryInformation/@CategoryType`, for updates whose type is Category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CategoryKind {
    Company,
    ProductFamily,
    Product,
    UpdateClassification,
    Other,
}

/// `Properties/@PublicationState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicationState {
    Published,
    Expired,
    Other,
}

/// One `LocalizedProperties` element.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalizedText {
    pub language: String,
    pub title: String,
    pub description: Option<String>,
    pub more_info_url: Option<String>,
    pub support_url: Option<String>,
}

/// One `Prerequisites` entry: either a single `UpdateIdentity` (must be installed) or an
/// `AtLeastOne` group. `is_category` is the group's `IsCategory` attribute when present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrerequisiteGroup {
    pub update_ids: Vec<String>,
    pub at_least_one: bool,
    pub is_category: bool,
}

/// `Files/File`. Digests are base64 as in the XML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateFile {
    pub file_name: String,
    pub size: i64,
    pub modified: Option<String>,
    /// `@Digest` with `@DigestAlgorithm` (SHA1 in every real document seen).
    pub digest: String,
    pub digest_algorithm: String,
    /// `AdditionalDigest[@Algorithm="SHA256"]`, base64.
    pub sha256: Option<String>,
    pub patching_type: Option<String>,
    /// `File/Language` children, lower case: the languages of a language-specific payload.
    /// Empty for a language-neutral file (most of them).
    #[serde(default)]
    pub languages: Vec<String>,
}

/// One update revision, parsed from its update XML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateDoc {
    pub id: RevisionId,
    pub update_type: UpdateType,
    /// Set when `update_type` is Category.
    pub category_kind: Option<CategoryKind>,
    pub publication_state: PublicationState,
    /// `Properties/@CreationDate`, RFC 3339 text as sent.
    pub creation_date: Option<String>,
    pub default_language: Option<String>,
    pub kb_article_id: Option<String>,
    pub security_bulletin_id: Option<String>,
    pub msrc_severity: Option<String>,
    pub cve_ids: Vec<String>,
    pub support_url: Option<String>,
    pub is_public: Option<bool>,
    pub explicitly_deployable: Option<bool>,
    pub max_download_size: Option<i64>,
    pub min_download_size: Option<i64>,
    /// `InstallationBehavior/@RebootBehavior` and `@Impact`, when present.
    pub reboot_behavior: Option<String>,
    pub install_impact: Option<String>,
    pub handler: Option<String>,
    pub localized: Vec<LocalizedText>,
    pub prerequisites: Vec<PrerequisiteGroup>,
    /// `BundledUpdates`: the leaves this bundle installs (with their revisions).
    pub bundled: Vec<RevisionId>,
    /// `SupersededUpdates`: update ids this revision supersedes.
    pub supersedes: Vec<String>,
    pub files: Vec<UpdateFile>,
}

impl UpdateDoc {
    /// The text in `lang`, else the default language's, else the first one.
    pub fn text(&self, lang: &str) -> Option<&LocalizedText> {
        self.localized
            .iter()
            .find(|t| t.language.eq_ignore_ascii_case(lang))
            .or_else(|| {
                let def = self.default_language.as_deref()?;
                self.localized.iter().find(|t| t.language.eq_ignore_ascii_case(def))
            })
            .or_else(|| self.localized.first())
    }

    pub fn is_category(&self) -> bool {
        self.update_type == UpdateType::Category
    }
}
