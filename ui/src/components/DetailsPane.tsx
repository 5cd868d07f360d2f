// The details pane under a node's grid: tabs (Summary, later Deployment, Update Status…)
// over the focused row.
import { useState, type ReactNode } from "react";
import { Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { MutedText } from "./MutedText";

export interface DetailsTab {
  id: string;
  label: string;
  render(): ReactNode;
}

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    flexShrink: 0,
    minHeight: "96px",
    borderTopWidth: tokens.strokeWidthThick,
    borderTopStyle: "solid",
    borderTopColor: tokens.colorNeutralStroke2,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  tabs: { paddingLeft: tokens.spacingHorizontalS, flexShrink: 0 },
  body: { overflow: "auto", padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`, flexGrow: 1 },
});

export function DetailsPane({ tabs, ariaLabel, height }: { tabs: readonly DetailsTab[]; ariaLabel: string; height: string }) {
  const styles = useStyles();
  const [selected, setSelected] = useState(tabs[0]?.id ?? "");
  const tab = tabs.find((t) => t.id === selected) ?? tabs[0];
  return (
    <section className={styles.root} style={{ height }} aria-label={ariaLabel}>
      <TabList
        className={styles.tabs}
        size="small"
        selectedValue={tab?.id}
        onTabSelect={(_, d) => setSelected(String(d.value))}
      >
        {tabs.map((t) => (
          <Tab key={t.id} value={t.id}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      <div className={styles.body} role="tabpanel" aria-label={tab?.label}>
        {tab?.render()}
      </div>
    </section>
  );
}

export interface ItemDetailsTab<T> {
  id: string;
  label: string;
  render(item: T): ReactNode;
  /** What the tab says with no row focused, when not the pane's `nothingSelected`. */
  nothingSelected?: string;
}

/** A details pane over one item (the focused row); with none, each tab says so. */
export function ItemDetailsPane<T>(props: {
  item: T | null | undefined;
  nothingSelected: string;
  tabs: readonly ItemDetailsTab<T>[];
  ariaLabel: string;
  height: string;
}) {
  const { item } = props;
  return (
    <DetailsPane
      ariaLabel={props.ariaLabel}
      height={props.height}
      tabs={props.tabs.map((t) => ({
        id: t.id,
        label: t.label,
        render: () => (item !== null && item !== undefined ? t.render(item) : <MutedText>{t.nothingSelected ?? props.nothingSelected}</MutedText>),
      }))}
    />
  );
}
