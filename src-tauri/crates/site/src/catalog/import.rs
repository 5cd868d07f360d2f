//! Loading update documents into the catalog.
//!
//! A batch is one transaction: it lands whole or not at all. A document that does not
//! parse is refused with its reason and changes nothing; the others of the batch still land.
//! Derived columns (classification, products, superseded, bundle membership, listed) are
//! known before a row is written (`derived`), and derived again after the batch for every
//! update another document touched, in either direction, so import order does not matter.

use std::collections::BTreeSet;
use std::io::Write;

use rusqlite::{params, OptionalExtension, Transaction};
use wsus::{CategoryKind, PublicationState, UpdateDoc, UpdateType};

use super::derived::{self, Facts};
use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ErrorCode, ImportReport, ImportXmlArgs, SiteEvent};
use crate::{audit, clock};

/// An import of at least this many documents empties the write-ahead log when it commits.
const BIG_IMPORT: usize = 2000;

/// One document to import: its XML text and where it came from (for error messages).
pub struct Document {
    pub origin: String,
    pub xml: String,
}

/// The console command: documents sent as text.
pub fn import_xml_command(site: &Site, actor: &Actor, args: ImportXmlArgs) -> Result<ImportReport, ApiError> {
    if args.documents.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "No update documents were given to import.",
        ));
    }
    let docs = args
        .documents
        .into_iter()
        .enumerate()
        .map(|(i, xml)| Document {
            origin: format!("document {}", i + 1),
            xml,
        })
        .collect();
    import_documents(site, actor, docs)
}

/// Expands one input (an update document, or a GetUpdateData SOAP answer holding several
/// compressed or plain blobs) into update documents.
pub fn expand_input(origin: &str, text: &str) -> Result<Vec<Document>, String> {
    if text.contains("GetUpdateDataResponse") {
        let items = wsus::parse_get_update_data_response(text).map_err(|e| format!("{origin}: {e}"))?;
        Ok(items
            .into_iter()
            .map(|item| Document {
                origin: format!("{origin} ({} r{})", item.id.update_id, item.id.revision),
                xml: item.xml,
            })
            .collect())
    } else {
        Ok(vec![Document {
            origin: origin.to_string(),
            xml: text.to_string(),
        }])
    }
}

/// Parses and stores documents; one transaction for the whole call.
pub fn import_documents(site: &Site, actor: &Actor, docs: Vec<Document>) -> Result<ImportReport, ApiError> {
    import_documents_then(site, actor, docs, |_, _| Ok(()))
}

/// As [`import_documents`], with `then` run in the same transaction before it commits: an
/// error from it (a caller's own rows, or a refusal of what the report says) rolls the
/// whole import back.
pub fn import_documents_then(
    site: &Site,
    actor: &Actor,
    docs: Vec<Document>,
    then: impl FnOnce(&Transaction, &ImportReport) -> Result<(), ApiError>,
) -> Result<ImportReport, ApiError> {
    let mut report = ImportReport::default();
    let mut parsed = Vec::with_capacity(docs.len());
    for d in docs {
        match wsus::parse_update(&d.xml) {
            Ok(doc) => parsed.push((doc, d.xml)),
            Err(e) => report.errors.push(format!("{}: {e}", d.origin)),
        }
    }
    // Categories first, so updates in the same batch link to them at once.
    parsed.sort_by_key(|(doc, _)| !doc.is_category());
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let mut batch = Batch {
            tx: &tx,
            now: clock::now_utc(),
            deflate: flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast()),
            report: &mut report,
            touched: Touched::default(),
        };
        for (doc, xml) in &parsed {
            batch.store_document(doc, xml)?;
        }
        let touched = std::mem::take(&mut batch.touched);
        drop(batch);
        touched.refresh(&tx)?;
        if report.new_revisions > 0 {
            tx.execute(
                "INSERT INTO site_meta (key, value) VALUES ('catalog_changed_utc', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [clock::now_utc()],
            )?;
        }
        audit::record(
            &tx,
            actor,
            "catalog.import",
            "All Software Updates",
            &format!(
                "{} new updates, {} new revisions, {} unchanged, {} refused",
                report.new_updates,
                report.new_revisions,
                report.unchanged,
                report.errors.len()
            ),
        )?;
        then(&tx, &report)?;
        tx.commit()?;
    }
    site.state::<crate::catalog::list_cache::ListCache>().invalidate();
    if parsed.len() >= BIG_IMPORT {
        site.store().checkpoint();
    }
    for e in &report.errors {
        tracing::warn!(error = %e, "update document refused");
    }
    if report.new_revisions > 0 {
        site.emit(SiteEvent::CatalogChanged {
            new_updates: report.new_updates,
            new_revisions: report.new_revisions,
        });
    }
    Ok(report)
}

/// Updates whose derived columns another document may have changed: derived again at the
/// end of the batch.
#[derive(Default)]
struct Touched {
    upd_pks: BTreeSet<i64>,
    update_ids: BTreeSet<String>,
}

/// One import transaction and what its documents share.
struct Batch<'t, 'c, 'r> {
    tx: &'t Transaction<'c>,
    /// One arrival time per batch: the batch is one transaction.
    now: String,
    /// One compressor for the batch: a new one per document allocated and cleared its
    /// tables every time.
    deflate: flate2::write::DeflateEncoder<Vec<u8>>,
    report: &'r mut ImportReport,
    touched: Touched,
}

impl Batch<'_, '_, '_> {
    fn deflate(&mut self, xml: &str) -> std::io::Result<Vec<u8>> {
        self.deflate.write_all(xml.as_bytes())?;
        // `reset` finishes the stream into the old buffer and hands it back.
        self.deflate.reset(Vec::with_capacity(xml.len() / 4))
    }

    fn store_document(&mut self, doc: &UpdateDoc, xml: &str) -> rusqlite::Result<()> {
        let tx = self.tx;
        let id = &doc.id.update_id;
        let compressed = self
            .deflate(xml)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let inserted = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO revisions (update_id, revision, xml_deflate, received_utc) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, doc.id.revision, compressed, self.now])?;
        if inserted == 0 {
            self.report.unchanged += 1;
            return Ok(());
        }
        self.report.new_revisions += 1;
        if doc.is_category() {
            self.report.categories += 1;
        }

        let existing: Option<(i64, i64, bool, Option<String>)> = tx
            .prepare_cached("SELECT upd_pk, revision, declined, declined_reason FROM updates WHERE update_id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        if let Some((_, current, _, _)) = existing {
            if current > doc.id.revision {
                // An older revision arrived late: history only.
                return Ok(());
            }
        }

        let text = doc.text("en");
        let title = text.map(|t| t.title.clone()).unwrap_or_else(|| id.clone());
        let description = text.and_then(|t| t.description.clone());
        let more_info = text.and_then(|t| t.more_info_url.clone());
        let support = text
            .and_then(|t| t.support_url.clone())
            .or_else(|| doc.support_url.clone());
        let mut languages: Vec<&str> = doc.localized.iter().map(|t| t.language.as_str()).collect();
        languages.sort_unstable();
        languages.dedup();
        let file_sum: i64 = doc.files.iter().map(|f| f.size).sum();
        let size = doc.max_download_size.filter(|s| *s > 0).unwrap_or(file_sum);

        // The derived columns are known before the row is written, so the row and its list
        // index entries are written once: the links are the document's own prerequisites
        // that name known categories (categories come first in a batch), and what other
        // documents say of this update is already in the tables.
        let targets: BTreeSet<&str> = doc
            .prerequisites
            .iter()
            .flat_map(|g| g.update_ids.iter().map(String::as_str))
            .collect();
        let categories = derived::categories_named(tx, &targets)?;
        let (superseded, member) = derived::named_by_others(tx, id)?;
        let (declined, declined_reason) = existing
            .as_ref()
            .map(|(_, _, d, r)| (*d, r.clone()))
            .unwrap_or((false, None));
        let d = derived::derive(
            &Facts {
                update_type: type_name(doc.update_type),
                publication_state: state_name(doc.publication_state),
                explicitly_deployable: doc.explicitly_deployable,
                declined,
                declined_reason,
            },
            &categories,
            superseded,
            member,
        );

        let own = params![
            id,
            doc.id.revision,
            type_name(doc.update_type),
            state_name(doc.publication_state),
            title,
            description,
            doc.default_language,
            doc.kb_article_id.as_deref().unwrap_or(""),
            doc.security_bulletin_id.as_deref().unwrap_or(""),
            doc.msrc_severity.as_deref().unwrap_or(""),
            doc.cve_ids.join(","),
            more_info,
            support,
            doc.creation_date.as_deref().map(clock::normalize).unwrap_or_default(),
            size,
            doc.reboot_behavior,
            doc.install_impact,
            doc.explicitly_deployable,
            !doc.bundled.is_empty(),
            languages.join(","),
            self.now,
        ];
        let row = rusqlite::params_from_iter(own.iter().copied().chain(d.values()));
        let upd_pk = match existing {
            Some((pk, ..)) => {
                // The old revision's relations go; the new ones are written below.
                let old_targets: Vec<String> = collect_strings(
                    tx,
                    "SELECT superseded_id FROM supersedence WHERE superseding_pk = ?1",
                    pk,
                )?;
                self.touched.update_ids.extend(old_targets);
                let old_members: Vec<String> =
                    collect_strings(tx, "SELECT member_id FROM bundle_members WHERE bundle_pk = ?1", pk)?;
                self.touched.update_ids.extend(old_members);
                for (table, key) in [
                    ("localized_text", "upd_pk"),
                    ("prerequisites", "upd_pk"),
                    ("update_categories", "upd_pk"),
                    ("bundle_members", "bundle_pk"),
                    ("files", "upd_pk"),
                    ("supersedence", "superseding_pk"),
                    ("update_search", "rowid"),
                ] {
                    tx.prepare_cached(&format!("DELETE FROM {table} WHERE {key} = ?1"))?
                        .execute([pk])?;
                }
                tx.prepare_cached(
                    "UPDATE updates SET revision = ?2, update_type = ?3, publication_state = ?4, title = ?5, description = ?6,
                        default_language = ?7, kb_article_id = ?8, bulletin_id = ?9, severity = ?10, cve_ids = ?11,
                        more_info_url = ?12, support_url = ?13, creation_date = ?14, size = ?15, reboot_behavior = ?16,
                        install_impact = ?17, explicitly_deployable = ?18, is_bundle = ?19, languages = ?20, arrival_utc = ?21,
                        classification_id = ?22, classification = ?23, products = ?24, is_superseded = ?25,
                        bundled_only = ?26, listed = ?27, declined_reason = ?28
                     WHERE update_id = ?1",
                )?
                .execute(row)?;
                pk
            }
            None => {
                self.report.new_updates += 1;
                tx.prepare_cached(
                    "INSERT INTO updates (update_id, revision, update_type, publication_state, title, description,
                        default_language, kb_article_id, bulletin_id, severity, cve_ids, more_info_url, support_url,
                        creation_date, size, reboot_behavior, install_impact, explicitly_deployable, is_bundle, languages,
                        arrival_utc, classification_id, classification, products, is_superseded, bundled_only, listed,
                        declined_reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                        ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
                )?
                .execute(row)?;
                tx.last_insert_rowid()
            }
        };
        self.store_relations(doc, upd_pk)?;
        let mut link = tx.prepare_cached(
            "INSERT OR IGNORE INTO update_categories (upd_pk, category_id, listed) VALUES (?1, ?2, ?3)",
        )?;
        for c in &categories {
            link.execute(params![upd_pk, c.category_id, d.listed])?;
        }
        if doc.is_category() {
            self.store_category(doc, upd_pk, &title, existing.is_some())?;
        }
        Ok(())
    }

    /// Texts, prerequisites, bundle members, supersedence, files and the search entry.
    fn store_relations(&mut self, doc: &UpdateDoc, upd_pk: i64) -> rusqlite::Result<()> {
        let tx = self.tx;
        let mut loc = tx.prepare_cached(
            "INSERT OR REPLACE INTO localized_text (upd_pk, language, title, description, more_info_url, support_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for t in &doc.localized {
            loc.execute(params![
                upd_pk,
                t.language,
                t.title,
                t.description,
                t.more_info_url,
                t.support_url
            ])?;
        }
        let mut pre = tx.prepare_cached(
            "INSERT INTO prerequisites (upd_pk, grp, target_id, at_least_one, is_category) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (grp, g) in doc.prerequisites.iter().enumerate() {
            for target in &g.update_ids {
                pre.execute(params![upd_pk, grp as i64, target, g.at_least_one, g.is_category])?;
            }
        }
        let mut bun = tx.prepare_cached(
            "INSERT OR IGNORE INTO bundle_members (bundle_pk, member_id, member_revision) VALUES (?1, ?2, ?3)",
        )?;
        for m in &doc.bundled {
            bun.execute(params![upd_pk, m.update_id, m.revision])?;
            self.touched.update_ids.insert(m.update_id.clone());
        }
        let mut sup =
            tx.prepare_cached("INSERT OR IGNORE INTO supersedence (superseding_pk, superseded_id) VALUES (?1, ?2)")?;
        for s in &doc.supersedes {
            sup.execute(params![upd_pk, s])?;
            self.touched.update_ids.insert(s.clone());
        }
        let mut fil = tx.prepare_cached(
            "INSERT INTO files (upd_pk, file_name, size, modified, sha1, sha256, patching_type, languages)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for f in &doc.files {
            fil.execute(params![
                upd_pk,
                f.file_name,
                f.size,
                f.modified,
                f.digest,
                f.sha256,
                f.patching_type,
                f.languages.join(",")
            ])?;
        }
        tx.prepare_cached("INSERT INTO update_search (rowid, body) VALUES (?1, ?2)")?
            .execute(params![upd_pk, search_body(doc)])?;
        Ok(())
    }

    /// The category row, and the updates already held that name this category.
    fn store_category(&mut self, doc: &UpdateDoc, upd_pk: i64, title: &str, existed: bool) -> rusqlite::Result<()> {
        let tx = self.tx;
        let id = &doc.id.update_id;
        let kind = doc.category_kind.unwrap_or(CategoryKind::Other);
        let parent = doc
            .prerequisites
            .iter()
            .find(|g| g.is_category)
            .or_else(|| doc.prerequisites.first())
            .and_then(|g| g.update_ids.first().cloned());
        tx.prepare_cached(
            "INSERT INTO categories (category_id, kind, title, parent_id, synced, first_seen_utc)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)
             ON CONFLICT(category_id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
                parent_id = excluded.parent_id, synced = 1,
                first_seen_utc = coalesce(first_seen_utc, excluded.first_seen_utc)",
        )?
        .execute(params![id, category_kind_name(kind), title, parent, self.now])?;
        // A category's own row was derived before its category row existed.
        self.touched.upd_pks.insert(upd_pk);
        // The links copy the update's `listed`; a change made by the refresh reaches them
        // through the trigger of migration 0003.
        let linked = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO update_categories (upd_pk, category_id, listed)
                 SELECT DISTINCT p.upd_pk, p.target_id, u.listed FROM prerequisites p JOIN updates u USING (upd_pk)
                 WHERE p.target_id = ?1",
            )?
            .execute([id])?;
        if linked > 0 || existed {
            let pks = collect_i64(tx, "SELECT upd_pk FROM update_categories WHERE category_id = ?1", id)?;
            self.touched.upd_pks.extend(pks);
        }
        Ok(())
    }
}

impl Touched {
    /// Derives again every update another document touched, once each, writing only the
    /// rows whose values changed.
    fn refresh(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let mut pks = self.upd_pks;
        {
            let mut by_id = tx.prepare_cached("SELECT upd_pk FROM updates WHERE update_id = ?1")?;
            for id in &self.update_ids {
                if let Some(pk) = by_id.query_row([id], |r| r.get::<_, i64>(0)).optional()? {
                    pks.insert(pk);
                }
            }
        }
        for pk in pks {
            derived::refresh_row(tx, pk)?;
        }
        Ok(())
    }
}

fn collect_strings(tx: &Transaction<'_>, sql: &str, pk: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map([pk], |r| r.get(0))?.collect();
    rows
}

fn collect_i64(tx: &Transaction<'_>, sql: &str, id: &str) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?.collect();
    rows
}

/// What free-text search matches: titles in every language, the description in the
/// default language (descriptions are long and mostly the same across languages, and would
/// swell every word's posting list), KB (with and without its prefix), bulletin, CVE ids.
fn search_body(doc: &UpdateDoc) -> String {
    let mut body = String::new();
    for t in &doc.localized {
        body.push_str(&t.title);
        body.push('\n');
    }
    if let Some(d) = doc.text("en").and_then(|t| t.description.as_deref()) {
        body.push_str(d);
        body.push('\n');
    }
    if let Some(kb) = &doc.kb_article_id {
        body.push_str(&format!("KB{kb} {kb}\n"));
    }
    for extra in doc.security_bulletin_id.iter().chain(doc.cve_ids.iter()) {
        body.push_str(extra);
        body.push('\n');
    }
    body.push_str(&doc.id.update_id);
    body
}

/// The stored XML of one revision, as it was received.
pub fn inflate(bytes: &[u8]) -> std::io::Result<String> {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::DeflateDecoder::new(bytes).read_to_string(&mut out)?;
    Ok(out)
}

pub(crate) fn type_name(t: UpdateType) -> &'static str {
    match t {
        UpdateType::Software => "Software",
        UpdateType::Driver => "Driver",
        UpdateType::Category => "Category",
        UpdateType::Detectoid => "Detectoid",
        UpdateType::Other => "Other",
    }
}

fn state_name(s: PublicationState) -> &'static str {
    match s {
        PublicationState::Published => "Published",
        PublicationState::Expired => "Expired",
        PublicationState::Other => "Other",
    }
}

pub(crate) fn category_kind_name(k: CategoryKind) -> &'static str {
    match k {
        CategoryKind::Company => "Company",
        CategoryKind::ProductFamily => "ProductFamily",
        CategoryKind::Product => "Product",
        CategoryKind::UpdateClassification => "UpdateClassification",
        CategoryKind::Other => "Other",
    }
}
