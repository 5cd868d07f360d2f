// Summary tab of the details pane: the focused update at a glance.
import { Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { UpdateRow } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { PropertyList } from "../../components/PropertyList";
import { strings } from "./strings";
import { useUpdateDetails } from "./useUpdateDetails";

const useStyles = makeStyles({
  title: { display: "block", fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

const d = strings.details;
const yesNo = (v: boolean) => (v ? strings.yes : strings.no);

export function UpdateSummary({ row }: { row: UpdateRow | undefined }) {
  const styles = useStyles();
  const { details, failure, loading } = useUpdateDetails(row?.updateId ?? null, 150);
  if (!row) return <Text className={styles.muted}>{d.nothingSelected}</Text>;
  return (
    <div>
      <Text as="h3" className={styles.title}>
        {row.title}
      </Text>
      {failure && <ErrorBar title={strings.detailsFailed} message={failure.message} />}
      <PropertyList
        ariaLabel={d.summary}
        items={[
          { label: d.title, value: row.title },
          {
            label: d.description,
            value: details ? (details.description ?? strings.none) : loading ? <Spinner size="extra-tiny" /> : "",
          },
          { label: d.articleId, value: row.articleId ? strings.kb(row.articleId) : strings.none },
          { label: d.classification, value: row.classification ?? strings.none },
          { label: d.products, value: row.products ?? strings.none },
          { label: d.severity, value: row.severity ?? strings.none },
          { label: d.releaseDate, value: formatUtc(row.releaseDate) || strings.none },
          { label: d.files, value: details ? String(details.files.length) : loading ? <Spinner size="extra-tiny" /> : "" },
          { label: d.superseded, value: yesNo(row.superseded) },
          { label: d.expired, value: yesNo(row.expired) },
        ]}
      />
    </div>
  );
}
