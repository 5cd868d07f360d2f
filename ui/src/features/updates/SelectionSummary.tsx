// Summary tab of the details pane over several selected updates: how many, by classification
// and by state, rather than the first one of them. The rows are those the selection covers
// (loaded or fetched, as the library commands gather them), up to SUMMARY_LIMIT.
import { useEffect, useRef, useState } from "react";
import { Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { toApiFailure, type ApiFailure, type UpdateRow } from "../../api";
import { selectedCount, type Selection } from "../../components/DataGrid";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { PropertyList } from "../../components/PropertyList";
import { collectSelectedRows } from "./library/selectedRows";
import { countSelection, type SelectionCounts } from "./selectionSummary";
import { strings } from "./strings";

/** Rows counted at most: a few list pages' worth, however large the selection. */
export const SUMMARY_LIMIT = 5000;
/** A selection still moving (Shift+arrows held) is counted once it rests. */
const SETTLE_MS = 200;

const useStyles = makeStyles({
  title: { display: "block", fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalS },
  columns: { display: "flex", flexWrap: "wrap", gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXXXL}` },
  section: { minWidth: "220px" },
  sectionTitle: { display: "block", fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
});

const s = strings.selection;

export function SelectionSummary(props: {
  selection: Selection;
  getRow(index: number): UpdateRow | undefined;
  fetchPage(offset: number, limit: number): Promise<{ rows: readonly UpdateRow[] }>;
}) {
  const { selection, getRow, fetchPage } = props;
  const styles = useStyles();
  const [counts, setCounts] = useState<SelectionCounts | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const total = selectedCount(selection);
  // getRow changes as pages arrive, which changes nothing the selection covers: read it
  // through a ref so a page arriving does not count the selection again.
  const rowAt = useRef(getRow);
  rowAt.current = getRow;

  useEffect(() => {
    let live = true;
    setCounts(null);
    setFailure(null);
    const timer = setTimeout(() => {
      collectSelectedRows(selection, (i) => rowAt.current(i), fetchPage, SUMMARY_LIMIT).then(
        (rows) => live && setCounts(countSelection(rows)),
        (e: unknown) => live && setFailure(toApiFailure(e)),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [selection, fetchPage]);

  return (
    <div aria-label={s.heading(total)} role="region">
      <Text as="h3" className={styles.title}>
        {s.heading(total)}
      </Text>
      {failure && <ErrorBar title={s.failed} message={failure.message} />}
      {!counts && !failure && <Spinner size="extra-tiny" label={s.counting} labelPosition="after" />}
      {counts && (
        <>
          {total > counts.rows && <MutedText>{s.partial(counts.rows)}</MutedText>}
          <div className={styles.columns}>
            <section className={styles.section} aria-label={s.byClassification}>
              <Text className={styles.sectionTitle}>{s.byClassification}</Text>
              <PropertyList
                ariaLabel={s.byClassification}
                items={counts.byClassification.map(([name, n]) => ({ label: name ?? s.noClassification, value: n.toLocaleString() }))}
              />
            </section>
            <section className={styles.section} aria-label={s.byState}>
              <Text className={styles.sectionTitle}>{s.byState}</Text>
              <PropertyList
                ariaLabel={s.byState}
                items={[
                  { label: s.deployed, value: counts.deployed.toLocaleString() },
                  { label: s.notDeployed, value: (counts.rows - counts.deployed).toLocaleString() },
                  { label: s.required, value: counts.required.toLocaleString() },
                  { label: s.superseded, value: counts.superseded.toLocaleString() },
                  { label: s.expired, value: counts.expired.toLocaleString() },
                  { label: s.declined, value: counts.declined.toLocaleString() },
                  { label: s.size, value: formatBytes(counts.size) },
                ]}
              />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
