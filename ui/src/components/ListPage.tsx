// The frame of a list page: its command bar, a heading with the item count (a status region
// the tests and screen readers read), the page's message bars (a load failure offering Retry,
// an action failure offering Dismiss, then the page's own), the grid, and below it the details
// pane or whatever else the page shows. Dialogs the page opens go in `overlays`.
import type { ReactNode } from "react";
import { Subtitle2, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { CommandBar, type Command } from "./CommandBar/CommandBar";
import { ErrorBar } from "./ErrorBar";

export interface LoadFailure {
  title: string;
  message: string;
  onRetry(): void;
  retryLabel: string;
}

export interface ActionFailure {
  title: string;
  message: string;
  onDismiss(): void;
  dismissLabel: string;
}

export interface ListPageProps {
  commandsLabel: string;
  commands: readonly Command[];
  title: string;
  /** "12 items", or the loading text until the first answer. */
  count: string;
  /** Shown at the end of the heading row (a filter, say). */
  headingExtra?: ReactNode;
  /** Bars shown before the failures (progress of work the page started). */
  barsBefore?: ReactNode;
  loadFailure?: LoadFailure | null;
  actionFailure?: ActionFailure | null;
  /** Bars shown after the failures (the result of an action). */
  bars?: ReactNode;
  /** A fixed grid height: the page then scrolls as a whole instead of the grid filling it. */
  gridHeight?: string;
  gridMinHeight?: string;
  /** The grid. */
  children: ReactNode;
  /** What follows the grid: the details pane, usually. */
  details?: ReactNode;
  /** Dialogs and wizards the page opens. */
  overlays?: ReactNode;
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", height: "100%", minHeight: 0 },
  scrolls: { overflowY: "auto" },
  heading: {
    display: "flex",
    alignItems: "baseline",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
  count: { color: tokens.colorNeutralForeground3 },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, padding: `0 ${tokens.spacingHorizontalM}` },
  grow: { flexGrow: 1, flexShrink: 1, flexBasis: 0, minHeight: "96px" },
  fixed: { flexShrink: 0 },
});

export function ListPage(props: ListPageProps) {
  const styles = useStyles();
  const { loadFailure, actionFailure, gridHeight, gridMinHeight } = props;
  return (
    <div className={mergeClasses(styles.root, gridHeight !== undefined && styles.scrolls)}>
      <CommandBar ariaLabel={props.commandsLabel} commands={props.commands} />
      <div className={styles.heading}>
        <Subtitle2 as="h1">{props.title}</Subtitle2>
        <Text className={styles.count} role="status" data-testid="item-count">
          {props.count}
        </Text>
        {props.headingExtra}
      </div>
      <div className={styles.bars}>
        {props.barsBefore}
        {loadFailure && (
          <ErrorBar title={loadFailure.title} message={loadFailure.message} onRetry={loadFailure.onRetry} retryLabel={loadFailure.retryLabel} />
        )}
        {actionFailure && (
          <ErrorBar
            title={actionFailure.title}
            message={actionFailure.message}
            onDismiss={actionFailure.onDismiss}
            dismissLabel={actionFailure.dismissLabel}
          />
        )}
        {props.bars}
      </div>
      <div
        className={gridHeight !== undefined ? styles.fixed : styles.grow}
        style={gridHeight !== undefined ? { height: gridHeight } : gridMinHeight !== undefined ? { minHeight: gridMinHeight } : undefined}
      >
        {props.children}
      </div>
      {props.details}
      {props.overlays}
    </div>
  );
}
