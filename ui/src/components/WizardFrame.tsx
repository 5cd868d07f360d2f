// The frame of a Configuration Manager-style wizard: a list of pages on the left (the current
// one marked, the ones already passed plain, the ones ahead dimmed), the page's heading and
// body on the right, and Previous / Next / Finish / Summary / Cancel (Close once complete)
// below. Every wizard of the console uses it (Deploy, Download, Approve); which page comes
// next, and whether it may, is the owner's business.
import type { ReactNode } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";

export interface WizardPage {
  id: string;
  label: string;
}

export interface WizardFrameProps {
  title: string;
  pages: readonly WizardPage[];
  current: string;
  heading: string;
  children: ReactNode;
  /** Working (checking a page, running the change): buttons wait. */
  busy?: boolean;
  busyLabel?: string;
  /** Absent: the button is not shown. */
  onPrevious?(): void;
  onNext?(): void;
  /** A Finish button beside Next (wizards that may finish from several pages). */
  onFinish?(): void;
  onSummary?(): void;
  onCancel?(): void;
  onClose?(): void;
  nextLabel?: string;
  /** Shown but not usable (e.g. Previous on the first page); busy disables every button anyway. */
  previousDisabled?: boolean;
  nextDisabled?: boolean;
  finishDisabled?: boolean;
  /** The button Enter-like emphasis goes to; Next unless said otherwise. */
  primary?: "next" | "finish";
  labels: { pages: string; previous: string; next: string; summary?: string; cancel: string; close: string; finish?: string };
  testId?: string;
}

const useStyles = makeStyles({
  surface: { width: "min(920px, 96vw)", maxWidth: "96vw", height: "min(680px, 92vh)", padding: 0 },
  body: { height: "100%", gridTemplateRows: "auto minmax(0, 1fr) auto", gap: 0 },
  title: {
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderBottomWidth: tokens.strokeWidthThin,
    borderBottomStyle: "solid",
    borderBottomColor: tokens.colorNeutralStroke2,
  },
  content: { display: "flex", minHeight: 0, padding: 0, overflow: "hidden" },
  steps: {
    flexShrink: 0,
    width: "190px",
    margin: 0,
    padding: `${tokens.spacingVerticalM} 0`,
    listStyleType: "none",
    backgroundColor: tokens.colorNeutralBackground2,
    borderRightWidth: tokens.strokeWidthThin,
    borderRightStyle: "solid",
    borderRightColor: tokens.colorNeutralStroke2,
    overflowY: "auto",
  },
  step: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`, fontSize: tokens.fontSizeBase300 },
  stepCurrent: {
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorNeutralBackground1Selected,
    borderLeftWidth: "3px",
    borderLeftStyle: "solid",
    borderLeftColor: tokens.colorBrandStroke1,
  },
  stepAhead: { color: tokens.colorNeutralForeground3 },
  main: { display: "flex", flexDirection: "column", flexGrow: 1, minWidth: 0 },
  heading: { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL} ${tokens.spacingVerticalS}` },
  page: {
    flexGrow: 1,
    overflowY: "auto",
    padding: `0 ${tokens.spacingHorizontalL} ${tokens.spacingVerticalM}`,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  // The whole width of the dialog, so its top border runs under the page list too.
  actions: {
    gridColumnStart: 1,
    gridColumnEnd: -1,
    justifySelf: "stretch",
    justifyContent: "flex-end",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderTopWidth: tokens.strokeWidthThin,
    borderTopStyle: "solid",
    borderTopColor: tokens.colorNeutralStroke2,
  },
});

export function WizardFrame(props: WizardFrameProps) {
  const styles = useStyles();
  const { pages, current, labels, busy = false, primary = "next" } = props;
  const at = pages.findIndex((p) => p.id === current);
  const dismiss = props.onClose ?? props.onCancel;
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && !busy && dismiss?.()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined} data-testid={props.testId}>
        <DialogBody className={styles.body}>
          <DialogTitle className={styles.title}>{props.title}</DialogTitle>
          <DialogContent className={styles.content}>
            <ol className={styles.steps} aria-label={labels.pages}>
              {pages.map((p, i) => (
                <li
                  key={p.id}
                  aria-current={i === at ? "step" : undefined}
                  className={mergeClasses(styles.step, i === at && styles.stepCurrent, i > at && styles.stepAhead)}
                >
                  {p.label}
                </li>
              ))}
            </ol>
            <section className={styles.main} aria-labelledby="wizard-page-heading">
              <Subtitle2 as="h2" id="wizard-page-heading" className={styles.heading}>
                {props.heading}
              </Subtitle2>
              <div className={styles.page} role="group" aria-label={pages[at]?.label}>
                {props.children}
              </div>
            </section>
          </DialogContent>
          <DialogActions className={styles.actions} fluid>
            {busy && <Spinner size="tiny" label={props.busyLabel} />}
            {props.onPrevious && (
              <Button disabled={busy || props.previousDisabled} onClick={props.onPrevious}>
                {labels.previous}
              </Button>
            )}
            {props.onNext && (
              <Button appearance={primary === "next" ? "primary" : "secondary"} disabled={busy || props.nextDisabled} onClick={props.onNext}>
                {props.nextLabel ?? labels.next}
              </Button>
            )}
            {props.onFinish && (
              <Button appearance={primary === "finish" ? "primary" : "secondary"} disabled={busy || props.finishDisabled} onClick={props.onFinish}>
                {labels.finish}
              </Button>
            )}
            {props.onSummary && (
              <Button disabled={busy} onClick={props.onSummary}>
                {labels.summary}
              </Button>
            )}
            {props.onCancel && (
              <Button disabled={busy} onClick={props.onCancel}>
                {labels.cancel}
              </Button>
            )}
            {props.onClose && (
              <Button appearance="primary" onClick={props.onClose}>
                {labels.close}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
