// Preview: the software updates a rule's criteria select now, exactly as a run would (the
// site's preview_rule_criteria): the whole count and the newest matches.
import { useEffect, useRef, useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
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
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtc } from "../../../components/format";
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
  muted: { color: tokens.colorNeutralForeground3 },
});

export function PreviewDialog({ criteria, onClose }: { criteria: RuleCriteria; onClose(): void }) {
  const styles = useStyles();
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

  const c = p.columns;
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined} data-testid="adr-preview">
        <DialogBody>
          <DialogTitle>{p.title}</DialogTitle>
          <DialogContent>
            {failure && <ErrorBar title={p.failed} message={failure.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />}
            {!preview && !failure && <Spinner size="small" label={strings.loading} />}
            {preview && (
              <>
                <Text role="status" data-testid="preview-count">
                  {p.count(preview.total, preview.updates.length)}
                </Text>{" "}
                <Text className={styles.muted}>{p.evaluated(formatUtc(preview.evaluatedUtc))}</Text>
                {preview.total === 0 ? (
                  <Text block className={styles.muted}>
                    {p.empty}
                  </Text>
                ) : (
                  <div className={styles.table}>
                    <Table size="small" aria-label={p.gridLabel}>
                      <TableHeader>
                        <TableRow>
                          <TableHeaderCell>{c.title}</TableHeaderCell>
                          <TableHeaderCell>{c.article}</TableHeaderCell>
                          <TableHeaderCell>{c.classification}</TableHeaderCell>
                          <TableHeaderCell>{c.products}</TableHeaderCell>
                          <TableHeaderCell>{c.severity}</TableHeaderCell>
                          <TableHeaderCell>{c.released}</TableHeaderCell>
                          <TableHeaderCell>{c.required}</TableHeaderCell>
                          <TableHeaderCell>{c.superseded}</TableHeaderCell>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {preview.updates.map((u) => (
                          <TableRow key={u.updateId}>
                            <TableCell title={u.title}>{u.title}</TableCell>
                            <TableCell>{u.articleId ? `KB${u.articleId}` : ""}</TableCell>
                            <TableCell>{u.classification ?? ""}</TableCell>
                            <TableCell title={u.products ?? undefined}>{u.products ?? ""}</TableCell>
                            <TableCell>{u.severity ?? ""}</TableCell>
                            <TableCell>{formatUtc(u.releaseDate, false)}</TableCell>
                            <TableCell>{String(u.requiredCount)}</TableCell>
                            <TableCell>{u.superseded ? strings.yes : strings.no}</TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  </div>
                )}
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {strings.close}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
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
