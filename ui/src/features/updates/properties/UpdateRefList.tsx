// A list of other updates named by this one. Entries the site holds open their own
// Properties; the others say they are not in this site's catalog and show the GUID.
import { Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { UpdateRef } from "../../../api";
import { strings } from "../strings";

const s = strings.properties.refs;

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  item: { fontSize: tokens.fontSizeBase200 },
  missing: { color: tokens.colorNeutralForeground3 },
  id: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground3, marginLeft: tokens.spacingHorizontalS },
});

export function UpdateRefList({ refs, onOpen, label }: { refs: readonly UpdateRef[]; onOpen(updateId: string): void; label: string }) {
  const styles = useStyles();
  if (refs.length === 0) return <Text className={styles.missing}>{s.none}</Text>;
  return (
    <ul className={styles.list} aria-label={label}>
      {refs.map((r, i) => (
        <li key={`${r.updateId}-${i}`} className={styles.item}>
          {r.title !== null ? (
            <Link as="button" onClick={() => onOpen(r.updateId)} aria-label={s.open(r.title)}>
              {r.title}
            </Link>
          ) : (
            <span className={styles.missing}>{s.notInCatalog}</span>
          )}
          <span className={styles.id}>
            {r.updateId}
            {r.revision !== null ? ` (${s.revision(r.revision)})` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
