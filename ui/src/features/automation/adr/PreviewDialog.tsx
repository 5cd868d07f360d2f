// Preview: the software updates a rule's criteria select now, exactly as a run would (the
// site's preview_rule_criteria): the whole count and the newest matches.
import { useEffect, useMemo, useRef, useState } from "react";
import { Button, Spinner, Text, makeStyles } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { FormDialog } from "../../../components/FormDialog";
import { formatUtc } from "../../../components/format";
import { MutedText } from "../../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../../components/PlainTable";
import { strings } from "./strings";
import type { RuleCriteria, RulePreview } from "./types";

const p = strings.preview;

/** Rows the dialog lists; the count is always whole. */
export const PREVIEW_ROWS = 200;
/** Typing pauses this long before the live count is asked for. */
export const PREVIEW_DEBOUNCE_MS = 400;

const useStyles = makeStyles({
  surface: { width: "min(1100px, 96vw)", maxWidth: "96vw" },
  table: { maxHeight: "55vh", overflow: "auto" },
  // A title on one line, cut with an ellipsis (the whole title is its tooltip): the table is
  // fixed-layout, so unsized columns share the width and titles wrapped over seven lines.
  oneLine: { whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" },
});

const c = p.columns;
/** Every column but the title sized to its values, so the title gets the rest of the width. */
export function previewColumns(oneLine: string): readonly PlainColumn<RulePreview["updates"][number]>[] {
  return [
    { id: "title", header: c.title, render: (u) => u.title, title: (u) => u.title, className: () => oneLine },
    { id: "article", header: c.article, width: "100px", render: (u) => (u.articleId ? `KB${u.articleId}` : "") },
    { id: "classification", header: c.classification, width: "140px", render: (u) => u.classification ?? "", title: (u) => u.classification ?? undefined, className: () => oneLine },
    { id: "products", header: c.products, width: "160px", render: (u) => u.products ?? "", title: (u) => u.products ?? undefined, className: () => oneLine },
    { id: "severity", header: c.severity, width: "90px", render: (u) => u.severity ?? "" },
    { id: "released", header: c.released, width: "100px", render: (u) => formatUtc(u.releaseDate, false) },
    { id: "required", header: c.required, width: "80px", render: (u) => String(u.requiredCount) },
    { id: "superseded", header: c.superseded, width: "90px", render: (u) => (u.superseded ? strings.yes : strings.no) },
  ];
}

export function PreviewDialog({ criteria, onClose }: { criteria: RuleCriteria; onClose(): void }) {
  const styles = useStyles();
  const columns = useMemo(() => previewColumns(styles.oneLine), [styles.oneLine]);
  const [preview, setPreview] = useState<RulePreview | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setFailure(null);
    call("preview_rule_criteria", { criteria, limit: PREVIEW_ROWS }).then(
      (r) => live && setPreview(r),
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [criteria, attempt]);

  return (
    <FormDialog
      title={p.title}
      onClose={onClose}
      surfaceClassName={styles.surface}
      surfaceTestId="adr-preview"
      actions={
        <Button appearance="primary" onClick={onClose}>
          {strings.close}
        </Button>
      }
    >
      {failure && <ErrorBar title={p.failed} message={failure.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />}
      {!preview && !failure && <Spinner size="small" label={strings.loading} />}
      {preview && (
        <>
          <Text role="status" data-testid="preview-count">
            {p.count(preview.total, preview.updates.length)}
          </Text>{" "}
          <MutedText>{p.evaluated(formatUtc(preview.evaluatedUtc))}</MutedText>
          {preview.total === 0 ? (
            <MutedText block>{p.empty}</MutedText>
          ) : (
            <div className={styles.table}>
              <PlainTable size="small" ariaLabel={p.gridLabel} columns={columns} rows={preview.updates} rowKey={(u) => u.updateId} />
            </div>
          )}
        </>
      )}
    </FormDialog>
  );
}

export type LiveCount = { state: "idle" } | { state: "working" } | { state: "done"; total: number } | { state: "failed"; failure: ApiFailure };

/**
 * The live count of matches while criteria are edited: asked for once typing pauses, the
 * answer to older criteria dropped. `criteria` null: nothing to ask (the values do not check).
 */
export function useLiveCount(criteria: RuleCriteria | null): LiveCount {
  const [count, setCount] = useState<LiveCount>({ state: "idle" });
  const key = criteria ? JSON.stringify(criteria) : null;
  const latest = useRef(0);
  useEffect(() => {
    if (key === null) {
      setCount({ state: "idle" });
      return;
    }
    const ticket = ++latest.current;
    setCount({ state: "working" });
    const timer = setTimeout(() => {
      call("preview_rule_criteria", { criteria: JSON.parse(key) as RuleCriteria, limit: 1 }).then(
        (r) => ticket === latest.current && setCount({ state: "done", total: r.total }),
        (e: unknown) => ticket === latest.current && setCount({ state: "failed", failure: toApiFailure(e) }),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return count;
}
