// The console's one wizard, in the Configuration Manager style: the pages on the left (the
// current one marked, the ones passed plain, the ones ahead dimmed), the page's heading and
// body on the right, and the bar below: Previous / Next / Summary / [Finish] / Cancel (Close
// once complete). A wizard gives its input pages as data (id, label, heading, body, an
// optional check, its Summary lines) and the change to make; the frame owns the navigation,
// the checks on the way forward, the Summary page (the lines of the pages that count), the
// Progress page while the change runs and the Completion page (the result, or the failure
// with the site's message). It knows no feature: every text comes from the wizard.
import { useEffect, useRef, useState, type ReactNode } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { toApiFailure, type ApiFailure } from "../api";
import { ErrorBar } from "./ErrorBar";
import { PropertyList, type Property } from "./PropertyList";

/** What stops a page: a field's problem (the site's FieldIssue), or the page's own ("" field). */
export interface WizardIssue {
  field: string;
  message: string;
}

/** Handed to a page's check: `once` asks a question (the site's validation) once per press. */
export interface WizardCheck {
  once<T>(key: string, ask: () => Promise<T>): Promise<T>;
}

export interface WizardPage {
  id: string;
  /** In the page list. */
  label: string;
  /** Above the page's body. */
  heading: string;
  /** The page's body, with the issues found on this page's fields. */
  render(issues: readonly WizardIssue[]): ReactNode;
  /**
   * Run before the wizard leaves this page forward: the issues that stop it. Issues of an
   * earlier page (`pageOfIssue`) send the wizard back there; those of a later page wait.
   */
  validate?(check: WizardCheck): readonly WizardIssue[] | Promise<readonly WizardIssue[]>;
  /** The page's lines on the Summary page; absent: the page does not count for the Summary. */
  summary?(): readonly Property[];
}

export type WizardOutcome<R> = { ok: true; value: R } | { ok: false; failure: ApiFailure };

export interface WizardTexts {
  /** The page list's name. */
  pagesLabel: string;
  previous: string;
  next: string;
  summary: string;
  cancel: string;
  close: string;
  /** A Finish button runs the change (the Summary page's Next does not); absent: Next on the Summary page runs it. */
  finish?: string;
  /** The labels of the Summary, Progress and Completion pages in the page list. */
  pages: { summary: string; progress: string; completion: string };
  /** While a page is checked. */
  checking: string;
  /** While the change runs. */
  running?: string;
  /** When a check could not be made (the site did not answer). */
  checkFailed?: string;
  /** Said when a page has issues under its fields. */
  fixErrors?: string;
  dismiss?: string;
}

export interface WizardFrameProps<R> {
  title: string;
  testId?: string;
  texts: WizardTexts;
  /** The input pages, in order; the Summary, Progress and Completion pages follow. */
  pages: readonly WizardPage[];
  /** The page holding an issue's field; default: the page whose check found it. */
  pageOfIssue?(issue: WizardIssue): string | undefined;
  /** The form: when it changes, the current page's issues are stale and go. */
  value?: unknown;
  /** Shown above every input page and the Summary (e.g. what an edit changes). */
  notice?: ReactNode;
  summary: { heading: string; before?: ReactNode; after?: ReactNode };
  /** The change; the Progress page shows while it runs. */
  run(): Promise<R>;
  progress: { heading: string; body?: ReactNode };
  completion: { heading(outcome: WizardOutcome<R>): string; body(outcome: WizardOutcome<R>): ReactNode };
  /** Finish is usable from every page but the first, not only from the Summary. */
  finishEarly?: boolean;
  /** Close is usable while the change runs (it goes on without the wizard). */
  closeWhileRunning?: boolean;
  /** With the result after Close; nothing after Cancel (nothing was changed). */
  onClose(result?: R): void;
}

/** The texts of a wizard that creates one thing or edits an existing one (Deploy, ADR). */
export interface CreateOrEditTexts {
  headings: { progress: string; editProgress: string; completion: string; editCompletion: string; completionFailed: string };
  completion: { created(name: string): string; saved(name: string): string; failed: string };
}

/**
 * Progress and Completion of such a wizard: headings for creating or, when `editing`, for
 * saving; the thing's name said on success (with `more` below it), the site's refusal otherwise.
 */
export function createOrEditEnd<R>(t: CreateOrEditTexts, editing: boolean, nameOf: (result: R) => string, more?: (result: R) => ReactNode) {
  const h = t.headings;
  return {
    progress: { heading: editing ? h.editProgress : h.progress },
    completion: {
      heading: (o: WizardOutcome<R>) => (o.ok ? (editing ? h.editCompletion : h.completion) : h.completionFailed),
      body: (o: WizardOutcome<R>) =>
        o.ok ? (
          <>
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>{(editing ? t.completion.saved : t.completion.created)(nameOf(o.value))}</MessageBarBody>
            </MessageBar>
            {more?.(o.value)}
          </>
        ) : (
          <ErrorBar title={t.completion.failed} message={o.failure.message} />
        ),
    },
  };
}

const SUMMARY = "summary";
const PROGRESS = "progress";
const COMPLETION = "completion";

type Located = WizardIssue & { page: string };

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
    // A page taller than the dialog scrolls; its parts keep their height (shrunk, a message
    // bar's text ran over the fields below it).
    "& > *": { flexShrink: 0 },
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

export function WizardFrame<R>(props: WizardFrameProps<R>) {
  const styles = useStyles();
  const { pages, texts } = props;
  const [at, setAt] = useState<string>(pages[0]?.id ?? SUMMARY);
  const [issues, setIssues] = useState<Located[]>([]);
  const [busy, setBusy] = useState<"checking" | "running" | null>(null);
  const [checkFailure, setCheckFailure] = useState<ApiFailure | null>(null);
  const [outcome, setOutcome] = useState<WizardOutcome<R> | null>(null);

  const ids = [...pages.map((p) => p.id), SUMMARY, PROGRESS, COMPLETION];
  const index = (id: string) => ids.indexOf(id);
  const inputAt = pages.findIndex((p) => p.id === at);
  const input = inputAt >= 0;
  const inWizard = input || at === SUMMARY;

  // An edited page's issues are stale; the other pages' stay until their next check.
  const current = useRef(at);
  current.current = at;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setIssues((list) => (list.some((i) => i.page === current.current) ? list.filter((i) => i.page !== current.current) : list));
  }, [props.value]);

  /** Checks the input pages from `from` to `to` in turn; false (and on the page to fix) at the first that has issues. */
  const check = async (from: number, to: number): Promise<boolean> => {
    const answers = new Map<string, Promise<unknown>>();
    const ctx: WizardCheck = {
      once: <T,>(key: string, ask: () => Promise<T>) => {
        if (!answers.has(key)) answers.set(key, ask());
        return answers.get(key) as Promise<T>;
      },
    };
    setCheckFailure(null);
    for (let i = Math.max(from, 0); i <= to && i < pages.length; i++) {
      const page = pages[i];
      if (!page.validate) continue;
      let found: readonly WizardIssue[];
      try {
        setBusy("checking");
        found = await page.validate(ctx);
      } catch (e) {
        setCheckFailure(toApiFailure(e));
        return false;
      } finally {
        setBusy(null);
      }
      const located = found
        .map((issue) => {
          const owner = props.pageOfIssue?.(issue);
          return { ...issue, page: owner !== undefined && index(owner) >= 0 ? owner : page.id };
        })
        .filter((issue) => index(issue.page) >= 0 && index(issue.page) <= i);
      if (located.length) {
        setIssues(located);
        setAt(located.map((l) => l.page).sort((a, b) => index(a) - index(b))[0]);
        return false;
      }
    }
    setIssues([]);
    return true;
  };

  const run = async () => {
    setAt(PROGRESS);
    setBusy("running");
    try {
      setOutcome({ ok: true, value: await props.run() });
    } catch (e) {
      setOutcome({ ok: false, failure: toApiFailure(e) });
    } finally {
      setBusy(null);
      setAt(COMPLETION);
    }
  };

  const next = async () => {
    if (at === SUMMARY) return run();
    if (input && (await check(inputAt, inputAt))) setAt(ids[inputAt + 1]);
  };
  const toSummary = async () => {
    if (await check(inputAt, pages.length - 1)) setAt(SUMMARY);
  };
  const finish = async () => {
    if (at === SUMMARY || (await check(inputAt, pages.length - 1))) await run();
  };
  const previous = () => {
    setCheckFailure(null);
    if (at === COMPLETION) setOutcome(null);
    setAt(at === COMPLETION ? SUMMARY : ids[Math.max(index(at) - 1, 0)]);
  };

  const failed = at === COMPLETION && outcome !== null && !outcome.ok;
  const succeeded = at === COMPLETION && outcome !== null && outcome.ok;
  const cancel = () => props.onClose();
  const close = () => props.onClose(outcome && outcome.ok ? outcome.value : undefined);
  const canClose = succeeded || (at === PROGRESS && props.closeWhileRunning === true);
  const working = busy !== null;
  const here = issues.filter((i) => i.page === at);
  const pageProblems = here.filter((i) => i.field === "");

  let heading: string;
  let body: ReactNode;
  if (input) {
    heading = pages[inputAt].heading;
    body = pages[inputAt].render(here.filter((i) => i.field !== ""));
  } else if (at === SUMMARY) {
    heading = props.summary.heading;
    body = (
      <>
        {props.summary.before}
        <PropertyList ariaLabel={texts.pages.summary} items={pages.flatMap((p) => p.summary?.() ?? [])} />
        {props.summary.after}
      </>
    );
  } else if (at === PROGRESS) {
    heading = props.progress.heading;
    body = props.progress.body ?? <ProgressBar aria-label={texts.pages.progress} />;
  } else {
    const result = outcome ?? { ok: false as const, failure: toApiFailure(new Error("")) };
    heading = props.completion.heading(result);
    body = props.completion.body(result);
  }

  const labelOf = (id: string) =>
    pages.find((p) => p.id === id)?.label ?? (id === SUMMARY ? texts.pages.summary : id === PROGRESS ? texts.pages.progress : texts.pages.completion);
  const finishPrimary = texts.finish !== undefined && at === SUMMARY;
  const position = index(at);

  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && !working && (canClose ? close() : at !== PROGRESS && cancel())}>
      <DialogSurface className={styles.surface} aria-describedby={undefined} data-testid={props.testId}>
        <DialogBody className={styles.body}>
          <DialogTitle className={styles.title}>{props.title}</DialogTitle>
          <DialogContent className={styles.content}>
            <ol className={styles.steps} aria-label={texts.pagesLabel}>
              {ids.map((id, i) => (
                <li
                  key={id}
                  aria-current={i === position ? "step" : undefined}
                  className={mergeClasses(styles.step, i === position && styles.stepCurrent, i > position && styles.stepAhead)}
                >
                  {labelOf(id)}
                </li>
              ))}
            </ol>
            <section className={styles.main} aria-labelledby="wizard-page-heading">
              <Subtitle2 as="h2" id="wizard-page-heading" className={styles.heading}>
                {heading}
              </Subtitle2>
              <div className={styles.page} role="group" aria-label={labelOf(at)}>
                {inWizard && props.notice}
                {checkFailure && (
                  <ErrorBar
                    title={texts.checkFailed ?? checkFailure.message}
                    message={texts.checkFailed ? checkFailure.message : ""}
                    onDismiss={() => setCheckFailure(null)}
                    dismissLabel={texts.dismiss}
                  />
                )}
                {pageProblems.length > 0 && (
                  <MessageBar intent="warning" layout="multiline">
                    <MessageBarBody>
                      {pageProblems.map((p) => (
                        <div key={p.message}>{p.message}</div>
                      ))}
                    </MessageBarBody>
                  </MessageBar>
                )}
                {here.length > pageProblems.length && texts.fixErrors && <Text role="alert">{texts.fixErrors}</Text>}
                {body}
              </div>
            </section>
          </DialogContent>
          <DialogActions className={styles.actions} fluid>
            {working && <Spinner size="tiny" label={busy === "checking" ? texts.checking : texts.running} />}
            <Button disabled={working || !(position > 0 && (inWizard || failed))} onClick={previous}>
              {texts.previous}
            </Button>
            <Button
              appearance={finishPrimary ? "secondary" : "primary"}
              disabled={working || !(input || (at === SUMMARY && texts.finish === undefined))}
              onClick={() => void next()}
            >
              {texts.next}
            </Button>
            <Button disabled={working || !input} onClick={() => void toSummary()}>
              {texts.summary}
            </Button>
            {texts.finish !== undefined && (
              <Button
                appearance={finishPrimary ? "primary" : "secondary"}
                disabled={working || !(at === SUMMARY || (input && props.finishEarly === true && inputAt > 0))}
                onClick={() => void finish()}
              >
                {texts.finish}
              </Button>
            )}
            {canClose ? (
              <Button appearance="primary" onClick={close}>
                {texts.close}
              </Button>
            ) : (
              <Button disabled={working || !(inWizard || failed)} onClick={cancel}>
                {texts.cancel}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
