// A small grouped bar chart in plain SVG: a handful of series over a few dozen categories
// (e.g. recent synchronization runs). No chart library: what the console draws is this
// simple, and a library would outweigh the rest of the bundle. Colours are Fluent tokens;
// every bar carries its value as a tooltip, and the figure a text alternative.
import { makeStyles, tokens } from "@fluentui/react-components";
import { useId } from "react";

export interface BarSeries {
  id: string;
  label: string;
  /** A Fluent colour token (a CSS var reference). */
  color: string;
  values: readonly number[];
}

export interface BarChartProps {
  ariaLabel: string;
  /** Label under each group of bars. */
  categories: readonly string[];
  series: readonly BarSeries[];
  height?: number;
  formatValue?(value: number): string;
}

const AXIS_WIDTH = 48;
const BAR_WIDTH = 10;
const GROUP_GAP = 12;
const LABEL_HEIGHT = 18;
const TOP = 8;

const useStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: 0 },
  caption: { fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  legend: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, fontSize: tokens.fontSizeBase100, color: tokens.colorNeutralForeground2 },
  swatch: { display: "inline-block", width: "10px", height: "10px", marginRight: tokens.spacingHorizontalXS, verticalAlign: "middle" },
  scroll: { overflowX: "auto" },
  axisText: { fontSize: "10px", fill: tokens.colorNeutralForeground3 },
  grid: { stroke: tokens.colorNeutralStroke3, strokeWidth: 1 },
  axis: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
});

/**
 * Axis ticks from 0 up to at least `max`: a round step (1, 2, 2.5 or 5 × 10^n) giving at most
 * four intervals, and the decimals that step needs.
 */
export function axisTicks(max: number): { ticks: number[]; decimals: number } {
  if (!(max > 0)) return { ticks: [0, 1], decimals: 0 };
  const raw = max / 4;
  const exp = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * exp).find((s) => s >= raw - 1e-12) ?? 10 * exp;
  const count = Math.max(1, Math.ceil(max / step - 1e-9));
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  return { ticks: Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(decimals))), decimals };
}

export function BarChart({ ariaLabel, categories, series, height = 150, formatValue = (v) => v.toLocaleString() }: BarChartProps) {
  const styles = useStyles();
  const titleId = useId();
  const groupWidth = series.length * BAR_WIDTH + GROUP_GAP;
  const width = AXIS_WIDTH + Math.max(1, categories.length) * groupWidth + GROUP_GAP;
  const plotHeight = height - TOP - LABEL_HEIGHT;
  const { ticks, decimals } = axisTicks(Math.max(0, ...series.flatMap((s) => s.values)));
  const top = ticks[ticks.length - 1];
  const y = (v: number) => TOP + plotHeight - (Math.max(0, v) / top) * plotHeight;
  const summary = categories
    .map((c, i) => `${c}: ${series.map((s) => `${s.label} ${formatValue(s.values[i] ?? 0)}`).join(", ")}`)
    .join("; ");

  return (
    <figure className={styles.figure} aria-labelledby={titleId}>
      <figcaption id={titleId} className={styles.caption}>
        {ariaLabel}
      </figcaption>
      {series.length > 1 && (
        <div className={styles.legend} aria-hidden>
          {series.map((s) => (
            <span key={s.id}>
              <span className={styles.swatch} style={{ backgroundColor: s.color }} />
              {s.label}
            </span>
          ))}
        </div>
      )}
      <div className={styles.scroll}>
        <svg width={width} height={height} role="img" aria-label={`${ariaLabel}. ${summary}`}>
          {ticks.map((t) => (
            <g key={t}>
              <line className={styles.grid} x1={AXIS_WIDTH} x2={width} y1={y(t)} y2={y(t)} />
              <text className={styles.axisText} x={AXIS_WIDTH - 4} y={y(t) + 3} textAnchor="end">
                {t.toLocaleString(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}
              </text>
            </g>
          ))}
          <line className={styles.axis} x1={AXIS_WIDTH} x2={AXIS_WIDTH} y1={TOP} y2={TOP + plotHeight} />
          {categories.map((c, i) => {
            const x0 = AXIS_WIDTH + GROUP_GAP / 2 + i * groupWidth + GROUP_GAP / 2;
            return (
              <g key={`${c}-${i}`}>
                {series.map((s, j) => {
                  const v = s.values[i] ?? 0;
                  const h = TOP + plotHeight - y(v);
                  return (
                    <rect
                      key={s.id}
                      x={x0 + j * BAR_WIDTH}
                      y={y(v)}
                      width={BAR_WIDTH - 1}
                      height={Math.max(v > 0 ? 1 : 0, h)}
                      style={{ fill: s.color }}
                    >
                      <title>{`${c} — ${s.label}: ${formatValue(v)}`}</title>
                    </rect>
                  );
                })}
                <text
                  className={styles.axisText}
                  x={x0 + (series.length * BAR_WIDTH) / 2}
                  y={height - 4}
                  textAnchor="middle"
                >
                  {c}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
