// The details pane under a node's grid: tabs (Summary, later Deployment, Update Status…)
// over the focused row. Its top edge is a splitter: dragged (or moved with the arrow keys)
// it trades the pane's height for the grid's, and the node remembers the height.
import { useRef, useState, type ReactNode, type RefObject } from "react";
import { Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { useLayoutKey } from "../app/navigate";
import { MutedText } from "./MutedText";
import { dragHandleStyle, useDragHandle } from "./useDragHandle";
import { useStoredState } from "./useStoredState";

export interface DetailsTab {
  id: string;
  label: string;
  render(): ReactNode;
}

/** The pane never hides its tab list; the grid keeps its header and a few rows. */
const MIN_PANE = 96;
const MIN_GRID = 160;
const SPLITTER_STEP = 24;

const isHeight = (v: unknown): v is number | null => v === null || (typeof v === "number" && Number.isFinite(v) && v >= 0);

const useStyles = makeStyles({
  root: {
    position: "relative",
    display: "flex",
    flexDirection: "column",
    flexShrink: 0,
    minHeight: "96px",
    borderTopWidth: tokens.strokeWidthThick,
    borderTopStyle: "solid",
    borderTopColor: tokens.colorNeutralStroke2,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  splitter: { ...dragHandleStyle, top: "-5px", left: 0, right: 0, zIndex: 2, height: "8px", cursor: "row-resize" },
  tabs: { paddingLeft: tokens.spacingHorizontalS, flexShrink: 0 },
  body: { overflow: "auto", padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`, flexGrow: 1 },
});

export const splitterLabel = "Resize the details pane";

/**
 * The pane's height in pixels once the splitter moved (null: the page's `height`), remembered
 * for the node in view, and the splitter's handlers.
 */
function useSplitter(pane: RefObject<HTMLElement | null>) {
  const [stored, setStored] = useStoredState<number | null>(useLayoutKey("details"), null, isHeight);
  const [dragged, setDragged] = useState<number | null>(null);
  const handlers = useDragHandle({
    axis: "y",
    direction: -1,
    size: () => pane.current?.getBoundingClientRect().height ?? MIN_PANE,
    clamp: (h) => {
      const room = pane.current?.parentElement?.clientHeight ?? Number.POSITIVE_INFINITY;
      return Math.round(Math.max(MIN_PANE, Math.min(h, room - MIN_GRID)));
    },
    step: SPLITTER_STEP,
    onDrag: setDragged,
    onDone: (h) => {
      setDragged(null);
      setStored(h);
    },
  });
  return { height: dragged ?? stored, handlers };
}

export function DetailsPane({ tabs, ariaLabel, height }: { tabs: readonly DetailsTab[]; ariaLabel: string; height: string }) {
  const styles = useStyles();
  const [selected, setSelected] = useState(tabs[0]?.id ?? "");
  const tab = tabs.find((t) => t.id === selected) ?? tabs[0];
  const ref = useRef<HTMLElement>(null);
  const splitter = useSplitter(ref);
  return (
    <section
      ref={ref}
      className={styles.root}
      // A window made smaller later must still leave the grid its rows.
      style={{ height: splitter.height ?? height, maxHeight: `max(${MIN_PANE}px, calc(100% - ${MIN_GRID}px))` }}
      aria-label={ariaLabel}
    >
      <div
        role="separator"
        aria-orientation="horizontal"
        aria-label={splitterLabel}
        aria-valuenow={splitter.height ?? undefined}
        tabIndex={0}
        className={styles.splitter}
        {...splitter.handlers}
      />
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

/** A details pane over one item (the focused row); with none, or several selected, each tab says so. */
export function ItemDetailsPane<T>(props: {
  item: T | null | undefined;
  nothingSelected: string;
  /** Said by every tab when several rows are selected ("3 rules selected"), rather than one row's details. */
  several?: string;
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
        render: () =>
          props.several !== undefined ? (
            <MutedText>{props.several}</MutedText>
          ) : item !== null && item !== undefined ? (
            t.render(item)
          ) : (
            <MutedText>{t.nothingSelected ?? props.nothingSelected}</MutedText>
          ),
      }))}
    />
  );
}
