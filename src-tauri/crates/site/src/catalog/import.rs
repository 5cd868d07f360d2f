//! Loading update documents into the catalog.
//!
//! A batch is one transaction: it lands whole or not at all. A document that does not
//! parse is refused with its reason and changes nothing; the others of the batch still land.
//! Derived columns (classification, products, superseded, bundle membership, listed) are
//! recomputed for every update a document touches, in either direction, so import order
//! does not matter.

use std::collections::BTreeSet;
use std::io::Write;

use rusqlite::{params, OptionalExtension, Transaction};
use wsus::{CategoryKind, PublicationState, UpdateDoc, UpdateType};

use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ErrorCode, ImportReport, ImportXmlArgs, SiteEvent};
use crate::{audit, clock};

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
        let mut touched = Touched::default();
        for (doc, xml) in &parsed {
            store_document(&tx, doc, xml, &mut report, &mut touched)?;
        }
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
        tx.commit()?;
    }
    site.state::<crate::catalog::list_cache::ListCache>().invalidate();
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

/// Updates whose derived columns must be recomputed at the end of the batch.
#[derive(Default)]
struct Touched {
    upd_pks: BTreeSet<i64>,
    update_ids: BTreeSet<String>,
}

fn store_document(
    tx: &Transaction<'_>,
    doc: &UpdateDoc,
    xml: &str,
    report: &mut ImportReport,
    touched: &mut Touched,
) -> rusqlite::Result<()> {
    let id = &doc.id.update_id;
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO revisions (update_id, revision, xml_deflate, received_utc) VALUES (?1, ?2, ?3, ?4)",
        params![id, doc.id.revision, deflate(xml), clock::now_utc()],
    )?;
    if inserted == 0 {
        report.unchanged += 1;
        return Ok(());
    }
    report.new_revisions += 1;
    if doc.is_category() {
        report.categories += 1;
    }

    let existing: Option<(i64, i64)> = tx
        .query_row("SELECT upd_pk, revision FROM updates WHERE update_id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((_, current)) = existing {
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
    let now = clock::now_utc();

    let upd_pk = match existing {
        Some((pk, _)) => {
            // The old revision's relations go; the new ones are written below.
            let old_targets: Vec<String> = collect_strings(
                tx,
                "SELECT superseded_id FROM supersedence WHERE superseding_pk = ?1",
                pk,
            )?;
            touched.update_ids.extend(old_targets);
            let old_members: Vec<String> =
                collect_strings(tx, "SELECT member_id FROM bundle_members WHERE bundle_pk = ?1", pk)?;
            touched.update_ids.extend(old_members);
            for table in [
                "localized_text",
                "prerequisites",
                "update_categories",
                "bundle_members",
                "files",
            ] {
                tx.execute(
                    &format!(
                        "DELETE FROM {table} WHERE {} = ?1",
                        if table == "bundle_members" {
                            "bundle_pk"
                        } else {
                            "upd_pk"
                        }
                    ),
                    [pk],
                )?;
            }
            tx.execute("DELETE FROM supersedence WHERE superseding_pk = ?1", [pk])?;
            tx.execute("DELETE FROM update_search WHERE rowid = ?1", [pk])?;
            tx.execute(
                "UPDATE updates SET revision = ?2, update_type = ?3, publication_state = ?4, title = ?5, description = ?6,
                    default_language = ?7, kb_article_id = ?8, bulletin_id = ?9, severity = ?10, cve_ids = ?11,
                    more_info_url = ?12, support_url = ?13, creation_date = ?14, size = ?15, reboot_behavior = ?16,
                    install_impact = ?17, explicitly_deployable = ?18, is_bundle = ?19, languages = ?20, arrival_utc = ?21
                 WHERE upd_pk = ?1",
                params![
                    pk, doc.id.revision, type_name(doc.update_type), state_name(doc.publication_state), title, description,
                    doc.default_language, doc.kb_article_id.as_deref().unwrap_or(""), doc.security_bulletin_id.as_deref().unwrap_or(""),
                    doc.msrc_severity.as_deref().unwrap_or(""), doc.cve_ids.join(","),
                    more_info, support, doc.creation_date.as_deref().map(clock::normalize).unwrap_or_default(), size, doc.reboot_behavior,
                    doc.install_impact, doc.explicitly_deployable, !doc.bundled.is_empty(), languages.join(","), now
                ],
            )?;
            pk
        }
        None => {
            report.new_updates += 1;
            tx.execute(
                "INSERT INTO updates (update_id, revision, update_type, publication_state, title, description,
                    default_language, kb_article_id, bulletin_id, severity, cve_ids, more_info_url, support_url,
                    creation_date, size, reboot_behavior, install_impact, explicitly_deployable, is_bundle, languages, arrival_utc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                params![
                    id, doc.id.revision, type_name(doc.update_type), state_name(doc.publication_state), title, description,
                    doc.default_language, doc.kb_article_id.as_deref().unwrap_or(""), doc.security_bulletin_id.as_deref().unwrap_or(""),
                    doc.msrc_severity.as_deref().unwrap_or(""), doc.cve_ids.join(","),
                    more_info, support, doc.creation_date.as_deref().map(clock::normalize).unwrap_or_default(), size, doc.reboot_behavior,
                    doc.install_impact, doc.explicitly_deployable, !doc.bundled.is_empty(), languages.join(","), now
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    touched.upd_pks.insert(upd_pk);
    touched.update_ids.insert(id.clone());

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
        touched.update_ids.insert(m.update_id.clone());
    }
    let mut sup =
        tx.prepare_cached("INSERT OR IGNORE INTO supersedence (superseding_pk, superseded_id) VALUES (?1, ?2)")?;
    for s in &doc.supersedes {
        sup.execute(params![upd_pk, s])?;
        touched.update_ids.insert(s.clone());
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

    if doc.is_category() {
        let kind = doc.category_kind.unwrap_or(CategoryKind::Other);
        let parent = doc
            .prerequisites
            .iter()
            .find(|g| g.is_category)
            .or_else(|| doc.prerequisites.first())
            .and_then(|g| g.update_ids.first().cloned());
        tx.execute(
            "INSERT INTO categories (category_id, kind, title, parent_id, synced, first_seen_utc)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)
             ON CONFLICT(category_id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
                parent_id = excluded.parent_id, synced = 1,
                first_seen_utc = coalesce(first_seen_utc, excluded.first_seen_utc)",
            params![id, category_kind_name(kind), title, parent, now],
        )?;
        // Updates already held that name this category now link to it.
        let linked = tx.execute(
            "INSERT OR IGNORE INTO update_categories (upd_pk, category_id)
             SELECT DISTINCT upd_pk, target_id FROM prerequisites WHERE target_id = ?1",
            [id],
        )?;
        if linked > 0 || existing.is_some() {
            let pks = collect_i64(tx, "SELECT upd_pk FROM update_categories WHERE category_id = ?1", id)?;
            touched.upd_pks.extend(pks);
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO update_categories (upd_pk, category_id)
         SELECT DISTINCT p.upd_pk, p.target_id FROM prerequisites p JOIN categories c ON c.category_id = p.target_id
         WHERE p.upd_pk = ?1",
        [upd_pk],
    )?;
    Ok(())
}

impl Touched {
    /// Recomputes the derived columns of every touched update, once each.
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
        // One statement for every derived column: each UPDATE that names a column of the ten
        // list indexes rewrites all ten entries, so `listed` is decided here too (from the new
        // bundle membership, repeated inline since SET expressions see the old row).
        let bundled_only = "(EXISTS (SELECT 1 FROM bundle_members b WHERE b.member_id = updates.update_id)
                               AND coalesce(explicitly_deployable, 0) = 0)";
        let mut refresh = tx.prepare_cached(&format!(
            "UPDATE updates SET
               classification_id = (SELECT c.category_id FROM update_categories uc JOIN categories c USING (category_id)
                                    WHERE uc.upd_pk = updates.upd_pk AND c.kind = 'UpdateClassification' ORDER BY c.title LIMIT 1),
               classification = coalesce((SELECT c.title FROM update_categories uc JOIN categories c USING (category_id)
                                 WHERE uc.upd_pk = updates.upd_pk AND c.kind = 'UpdateClassification' ORDER BY c.title LIMIT 1), ''),
               products = coalesce((SELECT group_concat(title, ', ') FROM (
                             SELECT c.title FROM update_categories uc JOIN categories c USING (category_id)
                             WHERE uc.upd_pk = updates.upd_pk AND c.kind = 'Product' ORDER BY c.title)), ''),
               is_superseded = EXISTS (SELECT 1 FROM supersedence s WHERE s.superseded_id = updates.update_id),
               bundled_only = {bundled_only},
               listed = CASE
                 WHEN update_type NOT IN ({types}) OR {bundled_only} THEN 0
                 WHEN declined = 1 THEN 3
                 WHEN publication_state = 'Expired' THEN 2
                 ELSE 1 END,
               -- A declined update that expired upstream can no longer be approved (LIB-4).
               declined_reason = CASE WHEN declined = 1 AND publication_state = 'Expired' THEN 'Expired'
                                      ELSE declined_reason END
             WHERE upd_pk = ?1",
            types = super::LISTED_TYPES
                .iter()
                .map(|t| format!("'{t}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let mut links = tx.prepare_cached(
            // The trigger on updates.listed (migration 0003) already copied a changed value; this
            // catches links written since, without rewriting rows that already agree.
            "UPDATE update_categories SET listed = (SELECT listed FROM updates WHERE upd_pk = ?1)
             WHERE upd_pk = ?1 AND listed IS NOT (SELECT listed FROM updates WHERE upd_pk = ?1)",
        )?;
        for pk in pks {
            refresh.execute([pk])?;
            links.execute([pk])?;
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

fn deflate(xml: &str) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::with_capacity(xml.len() / 4), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(xml.as_bytes());
    enc.finish().unwrap_or_default()
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
