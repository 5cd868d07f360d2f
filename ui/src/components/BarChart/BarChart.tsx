// Grouped bar charts (recent synchronization runs, a deployment's compliance) drawn by Fluent
// UI's charting package, so axes, legends, keyboard focus of each bar and its callout come
// from a maintained library that follows the console's theme, and compliance dashboards can
// use its other chart kinds. What this wrapper adds: the figure's caption (its accessible
// name), values written on the bars, and the same figures as a table on request, so nothing
// in a chart is only readable as a shape or a colour.
import { useId, useState } from "react";
import { Button, makeStyles, tokens } from "@fluentui/react-components";
import { TableRegular } from "@fluentui/react-icons";
import { GroupedVerticalBarChart, getColorFromToken, type GroupedVerticalBarChartData } from "@fluentui/react-charts";
import { PlainTable, type PlainColumn } from "../PlainTable";

export interface BarSeries {
  id: string;
  label: string;
  /** A data-visualisation colour of the charting package (`DataVizPalette`). */
  color: string;
  values: readonly number[];
}

export interface BarChartProps {
  ariaLabel: string;
  /** Header of the table's first column: what a category is ("Synchronization"). */
  categoryLabel: string;
  /** Label under each group of bars. */
  categories: readonly string[];
  series: readonly BarSeries[];
  height?: number;
  formatValue?(value: number): string;
}

const strings = {
  showTable: "Show as a table",
  hideTable: "Hide the table",
};

const useStyles = makeStyles({
  // The library draws to its container's width: a figure takes a share of its row.
  figure: { margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, flex: "1 1 360px", minWidth: "280px", maxWidth: "720px" },
  head: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalS },
  caption: { fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  numeric: { textAlign: "right", fontVariantNumeric: "tabular-nums" },
});

/** The library's data: one group per category, one bar per series, each labelled with its value. */
export function chartData(
  categories: readonly string[],
  series: readonly BarSeries[],
  formatValue: (value: number) => string,
): GroupedVerticalBarChartData[] {
  return categories.map((name, i) => ({
    name,
    series: series.map((s) => {
      const value = s.values[i] ?? 0;
      const text = formatValue(value);
      return {
        key: s.id,
        legend: s.label,
        data: value,
        color: getColorFromToken(s.color),
        barLabel: text,
        yAxisCalloutData: text,
        callOutAccessibilityData: { ariaLabel: `${name}, ${s.label}: ${text}` },
      };
    }),
  }));
}

export function BarChart({ ariaLabel, categoryLabel, categories, series, height = 170, formatValue = (v) => v.toLocaleString() }: BarChartProps) {
  const styles = useStyles();
  const titleId = useId();
  const [asTable, setAsTable] = useState(false);
  const columns: PlainColumn<number>[] = [
    { id: "category", header: categoryLabel, render: (i) => categories[i] },
    ...series.map((s) => ({
      id: s.id,
      header: s.label,
      className: () => styles.numeric,
      render: (i: number) => formatValue(s.values[i] ?? 0),
    })),
  ];

  return (
    <figure className={styles.figure} aria-labelledby={titleId}>
      <div className={styles.head}>
        <figcaption id={titleId} className={styles.caption}>
          {ariaLabel}
        </figcaption>
        <Button appearance="subtle" size="small" icon={<TableRegular />} aria-pressed={asTable} onClick={() => setAsTable((t) => !t)}>
          {asTable ? strings.hideTable : strings.showTable}
        </Button>
      </div>
      {asTable ? (
        <PlainTable ariaLabel={ariaLabel} columns={columns} rows={categories.map((_, i) => i)} rowKey={(i) => i} />
      ) : (
        <GroupedVerticalBarChart
          chartTitle={ariaLabel}
          data={chartData(categories, series, formatValue)}
          height={height}
          hideLegend={series.length < 2}
          yAxisTickCount={4}
          roundedTicks
          barWidth="auto"
          maxBarWidth={24}
        />
      )}
    </figure>
  );
}
