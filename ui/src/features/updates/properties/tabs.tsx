// The tabs of the Properties dialog (LIB-3): General, Supersedence, Bundles & Prerequisites,
// Files, Languages. Each is a view of one UpdateDetails.
import type { ReactNode } from "react";
import {
  Link,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { FileInfo, UpdateDetails } from "../../../api";
import { formatBytes, formatUtc } from "../../../components/format";
import { PropertyList } from "../../../components/PropertyList";
import { strings } from "../strings";
import { UpdateRefList } from "./UpdateRefList";

const p = strings.properties;
const g = p.general;
const yesNo = (v: boolean) => (v ? strings.yes : strings.no);

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, marginBottom: tokens.spacingVerticalL },
  heading: { fontSize: tokens.fontSizeBase300 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  muted: { color: tokens.colorNeutralForeground3 },
  group: { marginLeft: tokens.spacingHorizontalM },
  small: { fontSize: tokens.fontSizeBase200 },
});

function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <Subtitle2 as="h3" className={styles.heading}>
        {title}
      </Subtitle2>
      {children}
    </section>
  );
}

function UrlValue({ url }: { url: string | null }) {
  if (!url) return <>{g.notStated}</>;
  return (
    <Link href={url} target="_blank" rel="noreferrer">
      {url}
    </Link>
  );
}

export function GeneralTab({ details }: { details: UpdateDetails }) {
  const styles = useStyles();
  const r = details.row;
  const opt = (v: string | null) => v ?? g.notStated;
  const named = (v: string | null) => (v === null ? g.notStated : (g.values[v] ?? v));
  return (
    <PropertyList
      ariaLabel={p.tabs.general}
      items={[
        { label: g.title, value: r.title },
        { label: g.updateId, value: <span className={styles.mono}>{r.updateId}</span> },
        { label: g.revision, value: String(r.revision) },
        { label: g.revisions, value: details.revisions.join(", ") },
        { label: g.articleId, value: r.articleId ? strings.kb(r.articleId) : g.notStated },
        { label: g.bulletinId, value: opt(r.bulletinId) },
        { label: g.classification, value: opt(r.classification) },
        { label: g.products, value: opt(r.products) },
        { label: g.severity, value: opt(r.severity) },
        { label: g.updateType, value: named(details.updateType) },
        { label: g.publicationState, value: named(details.publicationState) },
        { label: g.releaseDate, value: formatUtc(r.releaseDate) || g.notStated },
        { label: g.arrival, value: formatUtc(details.arrivalUtc) },
        { label: g.size, value: formatBytes(r.size) },
        { label: g.bundle, value: yesNo(r.isBundle) },
        { label: g.superseded, value: yesNo(r.superseded) },
        { label: g.expired, value: yesNo(r.expired) },
        { label: g.declined, value: yesNo(r.declined) },
        {
          label: g.explicitlyDeployable,
          value: details.explicitlyDeployable === null ? g.notStated : yesNo(details.explicitlyDeployable),
        },
        { label: g.rebootBehavior, value: named(details.rebootBehavior) },
        { label: g.installImpact, value: named(details.installImpact) },
        { label: g.cves, value: details.cveIds.length ? details.cveIds.join(", ") : strings.none },
        { label: g.moreInfoUrl, value: <UrlValue url={details.moreInfoUrl} /> },
        { label: g.supportUrl, value: <UrlValue url={details.supportUrl} /> },
        { label: g.languages, value: r.languages || g.notStated },
        {
          label: g.categories,
          value: details.categories.length ? details.categories.map((c) => `${c.title} (${g.kinds[c.kind]})`).join("; ") : strings.none,
        },
        { label: g.description, value: opt(details.description) },
      ]}
    />
  );
}

export function SupersedenceTab({ details, onOpen }: { details: UpdateDetails; onOpen(id: string): void }) {
  const s = p.supersedence;
  return (
    <>
      <Section title={s.supersedes(details.supersedes.length)}>
        <UpdateRefList refs={details.supersedes} onOpen={onOpen} label={s.supersedes(details.supersedes.length)} />
      </Section>
      <Section title={s.supersededBy(details.supersededBy.length)}>
        <UpdateRefList refs={details.supersededBy} onOpen={onOpen} label={s.supersededBy(details.supersededBy.length)} />
      </Section>
    </>
  );
}

export function BundlesTab({ details, onOpen }: { details: UpdateDetails; onOpen(id: string): void }) {
  const styles = useStyles();
  const b = p.bundles;
  return (
    <>
      <Section title={b.bundled(details.bundledUpdates.length)}>
        <UpdateRefList refs={details.bundledUpdates} onOpen={onOpen} label={b.bundled(details.bundledUpdates.length)} />
      </Section>
      <Section title={b.bundledBy(details.bundledBy.length)}>
        <UpdateRefList refs={details.bundledBy} onOpen={onOpen} label={b.bundledBy(details.bundledBy.length)} />
      </Section>
      <Section title={b.prerequisites(details.prerequisites.length)}>
        {details.prerequisites.length === 0 && <Text className={styles.muted}>{strings.none}</Text>}
        {details.prerequisites.map((group, i) => {
          const label = `${group.atLeastOne ? b.anyOf : b.allOf}${group.isCategory ? ` (${b.categories})` : ""}`;
          return (
            <div key={i} className={styles.group}>
              <Text className={styles.small} weight="semibold">
                {label}
              </Text>
              <UpdateRefList refs={group.updates} onOpen={onOpen} label={label} />
            </div>
          );
        })}
      </Section>
    </>
  );
}

function FileTable({ files, label, showSource }: { files: readonly FileInfo[]; label: string; showSource?: boolean }) {
  const styles = useStyles();
  const f = p.files;
  if (files.length === 0) return <Text className={styles.muted}>{strings.none}</Text>;
  return (
    <Table size="small" aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{f.name}</TableHeaderCell>
          {showSource && <TableHeaderCell>{f.from}</TableHeaderCell>}
          <TableHeaderCell style={{ width: 90 }}>{f.size}</TableHeaderCell>
          <TableHeaderCell style={{ width: 140 }}>{f.modified}</TableHeaderCell>
          <TableHeaderCell>{f.sha1}</TableHeaderCell>
          <TableHeaderCell>{f.sha256}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {files.map((file, i) => (
          <TableRow key={`${file.sha1}-${i}`}>
            <TableCell>{file.fileName}</TableCell>
            {showSource && <TableCell>{file.updateTitle}</TableCell>}
            <TableCell>{formatBytes(file.size)}</TableCell>
            <TableCell>{formatUtc(file.modified)}</TableCell>
            <TableCell className={styles.mono}>{file.sha1}</TableCell>
            <TableCell className={styles.mono}>{file.sha256 ?? ""}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function FilesTab({ details }: { details: UpdateDetails }) {
  const f = p.files;
  return (
    <>
      <Section title={f.own(details.files.length)}>
        <FileTable files={details.files} label={f.own(details.files.length)} />
      </Section>
      {details.row.isBundle && (
        <Section title={f.ofBundled}>
          <FileTable files={details.bundledFiles} label={f.ofBundled} showSource />
        </Section>
      )}
    </>
  );
}

export function LanguagesTab({ details }: { details: UpdateDetails }) {
  const l = p.languages;
  return (
    <Section title={l.count(details.localized.length)}>
      <Table size="small" aria-label={l.count(details.localized.length)}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: 100 }}>{l.language}</TableHeaderCell>
            <TableHeaderCell>{l.title}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {details.localized.map((loc) => (
            <TableRow key={loc.language}>
              <TableCell>{loc.language}</TableCell>
              <TableCell title={loc.description ?? undefined}>{loc.title}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}
