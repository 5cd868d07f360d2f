// Label / value pairs, as in a details pane or the General tab of a Properties dialog.
import { makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

export interface Property {
  label: string;
  value: ReactNode;
}

const useStyles = makeStyles({
  list: {
    display: "grid",
    gridTemplateColumns: "minmax(120px, max-content) 1fr",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    fontSize: tokens.fontSizeBase200,
  },
  term: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, color: tokens.colorNeutralForeground1, overflowWrap: "anywhere", minWidth: 0 },
});

export function PropertyList({ items, ariaLabel }: { items: readonly Property[]; ariaLabel?: string }) {
  const styles = useStyles();
  return (
    <dl className={styles.list} aria-label={ariaLabel}>
      {items.map((p) => (
        <div key={p.label} style={{ display: "contents" }}>
          <dt className={styles.term}>{p.label}</dt>
          <dd className={styles.value}>{p.value}</dd>
        </div>
      ))}
    </dl>
  );
}
