//! Third-party updates (issue 16): what the Upload Update wizard's first page learns from
//! the files an administrator chose.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct InspectInstallerArgs {
    /// The installer (.msi, .msp or .exe), an absolute path on the site's machine.
    pub path: String,
    /// Files or folders that go with it, absolute paths.
    #[serde(default)]
    pub extra_paths: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct InstallerDetails {
    /// Package, Patch or Executable.
    pub kind: String,
    pub product_name: Option<String>,
    pub product_version: Option<String>,
    pub manufacturer: Option<String>,
    pub product_code: Option<String>,
    pub upgrade_code: Option<String>,
    pub description: Option<String>,
    /// x86, x64, ARM64 or Unknown.
    pub platform: String,
    /// Windows language ids.
    pub languages: Vec<u16>,
    /// The ProductCodes a patch applies to.
    pub targets: Vec<String>,
    /// Every file that would be uploaded: the installer first, then the extra files (a
    /// folder's files with their path under it).
    pub files: Vec<UploadFile>,
    #[ts(type = "number")]
    pub total_size: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UploadFile {
    pub name: String,
    #[ts(type = "number")]
    pub size: i64,
}

/// Everything the Upload Update wizard says of one third-party update, page by page.
/// Every part has a default, so a page can be validated before the later ones are filled.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct ThirdPartySpec {
    /// Update files: the installer and what goes with it.
    pub files: InspectInstallerArgs,
    /// Update description.
    pub description: UpdateDescriptionSpec,
    /// Updates, Critical Updates, Security Updates, Update Rollups or Service Packs.
    pub classification: String,
    pub requirements: RequirementsSpec,
    /// How a computer knows the update is installed (executables only: a Windows
    /// Installer file's ProductCode is its rule).
    pub detection: RuleSpec,
    pub prerequisites: PrerequisiteSpec,
    /// Command-line arguments: an executable must install silently with them (e.g. /q);
    /// for a Windows Installer file, extra msiexec properties.
    pub arguments: String,
    /// What the executable's exit codes mean.
    pub return_codes: Vec<ReturnCodeSpec>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateDescriptionSpec {
    pub title: String,
    pub description: String,
    /// The vendor (company category) and product the update is listed under.
    pub vendor: String,
    pub product: String,
    pub support_url: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Architecture {
    X86,
    X64,
    #[default]
    Both,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct RequirementsSpec {
    pub architecture: Architecture,
    /// Operating-system product categories of this site (empty: any).
    pub operating_systems: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum RuleKind {
    /// Installed once per computer: the agent's own history says it is installed.
    #[default]
    Once,
    FileExists,
    MsiProductInstalled,
    RegistryKeyExists,
}

/// A detection (or prerequisite) rule as the wizard asks for it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct RuleSpec {
    pub kind: RuleKind,
    /// FileExists: the file's full path (C:\Program Files\...).
    pub path: String,
    /// MsiProductInstalled: {GUID}.
    pub product_code: String,
    /// RegistryKeyExists: HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER... and the key below it.
    pub key: String,
    pub subkey: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum PrerequisiteKind {
    #[default]
    None,
    /// Another update of this site must be installed first.
    Update,
    /// A rule must hold.
    Rule,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct PrerequisiteSpec {
    pub kind: PrerequisiteKind,
    pub update_id: String,
    pub rule: RuleSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ReturnCodeResult {
    Succeeded,
    Failed,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ReturnCodeSpec {
    pub code: i32,
    pub result: ReturnCodeResult,
    /// The computer must restart to finish.
    #[serde(default)]
    pub reboot: bool,
}

/// The wizard's pages, each validated by the site before the next one opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum UploadPage {
    Files,
    Description,
    Requirements,
    Detection,
    Prerequisites,
    Arguments,
    ReturnCodes,
    /// Every page: what publishing would refuse.
    Summary,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ValidateUploadArgs {
    pub page: UploadPage,
    pub spec: ThirdPartySpec,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EditThirdPartyArgs {
    pub update_id: String,
    pub spec: ThirdPartySpec,
    /// Keep the files of the current revision (the site takes them out of its signed
    /// cabinet) instead of `spec.files`: an update uploaded from a browser is edited so.
    #[serde(default)]
    pub keep_files: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ThirdPartyIdArgs {
    pub update_id: String,
}

/// A third-party update published at this site, as the Third-party Updates node lists it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ThirdPartyUpdate {
    pub update_id: String,
    pub revision: i64,
    pub title: String,
    pub vendor: String,
    pub product: String,
    pub classification: String,
    /// Package, Patch or Executable.
    pub installer_kind: String,
    pub installer_file: String,
    /// The signed cabinet's size in bytes.
    #[ts(type = "number")]
    pub size: i64,
    pub published_utc: String,
    pub published_by: String,
    /// Approvals and deployments naming it (it cannot be deleted while any does).
    pub assignments: i64,
    /// What the wizard was given, to edit it.
    pub spec: ThirdPartySpec,
}

/// Third-party storage (TPU-2).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PublishingSettings {
    /// Largest total size of third-party content, in MB.
    #[ts(type = "number")]
    pub storage_quota_mb: i64,
}

/// How much of the quota is used, with the settings.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PublishingStorage {
    pub settings: PublishingSettings,
    #[ts(type = "number")]
    pub used_bytes: i64,
    /// Free space of the disk holding the site folder, when known.
    #[ts(type = "number | null")]
    pub free_bytes: Option<i64>,
}

/// The publishing certificate, for clients' Trusted Publishers and Trusted Root stores.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PublishingCertificateExport {
    pub subject: String,
    pub pem: String,
    /// The .cer file's bytes (DER), base64.
    pub cer_base64: String,
}

/// What a browser console's upload is for: it decides which files are accepted and how
/// much room they need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum UploadPurpose {
    /// The Upload Update wizard: the installer first, then the files that go with it.
    #[default]
    ThirdPartyUpdate,
    /// The Add Operating System Image wizard: one .wim or .esd file.
    OsImage,
}

/// The files a browser console is about to upload, by name and size, and what for: the
/// site checks them (and, for an update, the quota) and its free disk space against them
/// before it accepts any byte.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct BeginUploadArgs {
    pub purpose: UploadPurpose,
    pub files: Vec<UploadFile>,
}

/// An upload accepted: where to send each file (`PUT /api/v1/publishing/uploads/{uploadId}/{name}`)
/// and the paths on the site's machine the wizard then goes on from (publishes, or adds the
/// image), in the order declared.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UploadSession {
    pub upload_id: String,
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UploadIdArgs {
    pub upload_id: String,
}

/// A .pfx to become the site's publishing certificate, with the password it was exported with.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportCertificateArgs {
    /// The file's name, to name it in a refusal.
    #[serde(default)]
    pub file_name: String,
    pub pfx_base64: String,
    #[serde(default)]
    pub password: String,
}
