import type { AggregateAnswer, OutCell } from '@/lib/aggregates';
import type { DimensionId } from '@/lib/aggregates/definitions';

// A bar chart of an aggregate answer, drawn on the server as SVG (no client JavaScript): one bar per
// value for one breakdown, a group of bars per value for two. A hidden count is drawn as a short
// hatched, outlined placeholder of the same size whatever the scale (its length must not read as a
// value) labelled "not shown" (texts.suppressed: the same neutral label as the table), never as a bar of zero. The table beside the chart is its
// accessible equivalent; the SVG itself is one image with a title and a description.

export interface ChartBar {
  /** The series (second breakdown) value's label; null for one breakdown. */
  series: number | null;
  label: string;
  /** Length of the bar; null: no bar (suppressed, or no figure). */
  value: number | null;
  suppressed: boolean;
  /** Printed after the bar. */
  text: string;
}

export interface ChartModel {
  groups: { label: string; bars: ChartBar[] }[];
  series: string[] | null;
  /** Top of the scale (before rounding up to a tick). */
  max: number;
  /** Some values with no workers were left out. */
  omitted: boolean;
  /** Which breakdown makes the groups, and which the bars within a group (two breakdowns). */
  groupBy: DimensionId;
  seriesBy: DimensionId | null;
}

export interface ChartTexts {
  id: string;
  title: string;
  description: string;
  suppressed: string;
  formatTick: (n: number) => string;
}

const WIDTH = 900;
const FONT = 12;
const INK = '#1b1f24';
const MUTED = '#4a525c';
const GRID = '#e3e0d8';
const SINGLE = '#0b4f8a';
const PLACEHOLDER = 26; // px, whatever the scale
// Distinct hues, each at least 3:1 against white (WCAG 1.4.11 for graphics).
const PALETTE = ['#0b4f8a', '#c4510f', '#1d7a4e', '#7b3f98', '#8a6d00', '#b3245d', '#3f5866', '#5a7d12', '#00707a', '#6b4a2b'];

/** Rough width of a label in pixels (no font metrics on the server): CJK glyphs are about square. */
export function textWidth(s: string, size = FONT): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) >= 0x2e80 ? size : ch === ' ' ? size * 0.3 : size * 0.6;
  return w;
}

function fit(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  let out = s;
  while (out.length > 1 && textWidth(`${out}…`) > width) out = out.slice(0, -1);
  return `${out.trimEnd()}…`;
}

/** Round tick values from 0 to at least `max` (whole numbers from a top of 4 up; quarters of 100 for percent). */
export function ticksFor(max: number, percent = false): number[] {
  if (percent) return [0, 25, 50, 75, 100];
  const top = Math.max(max, 4);
  const raw = top / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < top + step / 2; v += step) ticks.push(Number(v.toFixed(6)));
  if (ticks[ticks.length - 1]! < top) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

type Labels = { value: (d: DimensionId, v: string) => string; figure: (n: number) => string; number: (n: number) => string };

/** Groups and bars from an answer: values with no workers at all (a shown total of 0) are left out. */
export function chartModel(answer: AggregateAnswer, find: (by: Record<string, string>) => OutCell | undefined, labels: Labels): ChartModel | null {
  if (answer.by.length === 0) return null;
  const isEmpty = (by: Record<string, string>) => {
    const m = find(by);
    return !!m && !('suppressed' in m) && m.count === 0;
  };
  const barOf = (cell: OutCell | undefined, label: string, series: number | null): ChartBar => {
    if (!cell || 'suppressed' in cell) return { series, label, value: null, suppressed: !!cell, text: '' };
    const n = answer.kind === 'count' ? cell.count : cell.value;
    // No figure: "—" when the cell has workers but too few answered; nothing for an empty cell.
    const text = n !== null ? (answer.kind === 'count' ? labels.number(n) : labels.figure(n)) : cell.count > 0 ? '—' : '';
    return { series, label, value: n, suppressed: false, text };
  };
  let omitted = false;
  const keep = (d: DimensionId) =>
    answer.values[d]!.filter((v) => {
      const empty = isEmpty({ [d]: v });
      omitted ||= empty;
      return !empty;
    });
  let groups: ChartModel['groups'];
  let series: string[] | null = null;
  let groupBy: DimensionId = answer.by[0]!;
  let seriesBy: DimensionId | null = null;
  if (answer.by.length === 1) {
    const d = answer.by[0]!;
    groups = keep(d).map((v) => {
      const label = labels.value(d, v);
      return { label, bars: [barOf(find({ [d]: v }), label, null)] };
    });
  } else {
    const [r, c] = answer.by as [DimensionId, DimensionId];
    const rows = keep(r);
    const columns = keep(c);
    // The breakdown with fewer values makes the bars of each group, so colours stay few.
    const swap = columns.length > Math.max(8, rows.length);
    const [g, s, gValues, sValues] = swap ? [c, r, columns, rows] : [r, c, rows, columns];
    groupBy = g;
    seriesBy = s;
    series = sValues.map((v) => labels.value(s, v));
    groups = gValues.map((gv) => ({
      label: labels.value(g, gv),
      bars: sValues.map((sv, i) => barOf(find({ [g]: gv, [s]: sv }), series![i]!, i)),
    }));
  }
  const shown = groups.flatMap((g) => g.bars.map((b) => b.value ?? 0));
  return { groups, series, max: Math.max(0, ...shown), omitted, groupBy, seriesBy };
}

export function AggregateChart({ model, texts, percent }: { model: ChartModel; texts: ChartTexts; percent: boolean }) {
  const { id } = texts;
  const grouped = model.series !== null;
  const ticks = ticksFor(model.max, percent);
  const top = ticks[ticks.length - 1]!;
  const labelWidth = Math.min(230, Math.max(80, ...model.groups.map((g) => textWidth(g.label) + 16)));
  const valueTexts = model.groups.flatMap((g) => g.bars.map((b) => (b.suppressed ? texts.suppressed : b.text)));
  const valueSpace = Math.min(150, Math.max(48, ...valueTexts.map((s) => textWidth(s) + 14)));
  const plotX = labelWidth;
  const plotWidth = WIDTH - labelWidth - valueSpace;
  const x = (v: number) => plotX + (plotWidth * Math.max(0, v)) / top;
  const hasSuppressed = model.groups.some((g) => g.bars.some((b) => b.suppressed));

  // Legend: one swatch per series, and the hatched placeholder when one is drawn.
  const legendItems = [...(model.series ?? []).map((label, i) => ({ label, color: PALETTE[i % PALETTE.length]!, hatched: false })), ...(hasSuppressed ? [{ label: texts.suppressed, color: INK, hatched: true }] : [])];
  const legend: { label: string; color: string; hatched: boolean; lx: number; ly: number }[] = [];
  let lx = 0;
  let ly = 0;
  for (const item of legendItems) {
    const w = 18 + textWidth(item.label) + 20;
    if (lx > 0 && lx + w > WIDTH) {
      lx = 0;
      ly += 20;
    }
    legend.push({ ...item, lx, ly });
    lx += w;
  }
  const legendHeight = legend.length ? ly + 20 + 10 : 0;

  const barHeight = grouped ? 14 : 18;
  const barGap = grouped ? 3 : 8;
  const groupGap = grouped ? 14 : 0;
  const groupHeight = (n: number) => n * barHeight + (n - 1) * (grouped ? barGap : 0);
  let y = legendHeight + 4;
  const layout = model.groups.map((g) => {
    const gy = y;
    const h = grouped ? groupHeight(g.bars.length) : barHeight;
    y += h + (grouped ? groupGap : barGap);
    return { ...g, gy, h };
  });
  const plotBottom = y - (grouped ? groupGap : barGap) + 6;
  const height = plotBottom + 24;

  return (
    <svg
      className="aggregate-chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width={WIDTH}
      height={height}
      fontSize={FONT}
      data-testid="aggregate-chart"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-title`}>{texts.title}</title>
      <desc id={`${id}-desc`}>{texts.description}</desc>
      <defs>
        <pattern id={`${id}-hatch`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#ffffff" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#8a8478" strokeWidth="2" />
        </pattern>
      </defs>
      {legend.map((item) => (
        <g key={`${item.label}-${item.lx}-${item.ly}`} transform={`translate(${item.lx},${item.ly})`}>
          <rect x="0" y="3" width="12" height="12" fill={item.hatched ? `url(#${id}-hatch)` : item.color} stroke={item.hatched ? item.color : 'none'} strokeDasharray={item.hatched ? '3 2' : undefined} />
          <text x="18" y="13" fill={INK}>
            {item.label}
          </text>
        </g>
      ))}
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={legendHeight} y2={plotBottom} stroke={GRID} strokeWidth="1" />
          <text x={x(tick)} y={plotBottom + 16} textAnchor="middle" fill={MUTED}>
            {texts.formatTick(tick)}
          </text>
        </g>
      ))}
      <line x1={plotX} x2={plotX} y1={legendHeight} y2={plotBottom} stroke={MUTED} strokeWidth="1" />
      {layout.map((g, gi) => (
        <g key={`${gi}-${g.label}`} className="chart-group">
          {grouped && gi > 0 && <line x1="0" x2={WIDTH} y1={g.gy - groupGap / 2} y2={g.gy - groupGap / 2} stroke={GRID} strokeWidth="1" />}
          <text x={plotX - 8} y={g.gy + g.h / 2} dominantBaseline="middle" textAnchor="end" fill={INK} fontWeight={grouped ? 600 : 400}>
            {fit(g.label, labelWidth - 16)}
          </text>
          {g.bars.map((b, bi) => {
            const by = g.gy + (grouped ? bi * (barHeight + barGap) : 0);
            const color = b.series === null ? SINGLE : PALETTE[b.series % PALETTE.length]!;
            const tooltip = grouped ? `${g.label} · ${b.label}: ${b.suppressed ? texts.suppressed : b.text}` : `${g.label}: ${b.suppressed ? texts.suppressed : b.text}`;
            if (b.suppressed) {
              const w = PLACEHOLDER;
              return (
                <g key={bi} className="chart-suppressed">
                  <title>{tooltip}</title>
                  <rect x={plotX + 0.5} y={by + 0.5} width={w - 1} height={barHeight - 1} fill={`url(#${id}-hatch)`} stroke={color} strokeWidth="1.2" strokeDasharray="3 2" />
                  <text x={plotX + w + 5} y={by + barHeight / 2} dominantBaseline="middle" fill={INK} fontStyle="italic">
                    {texts.suppressed}
                  </text>
                </g>
              );
            }
            const w = b.value === null ? 0 : x(b.value) - plotX;
            return (
              <g key={bi}>
                <title>{tooltip}</title>
                {w > 0 && <rect x={plotX} y={by} width={w} height={barHeight} fill={color} />}
                <text x={plotX + w + 5} y={by + barHeight / 2} dominantBaseline="middle" fill={b.value === null ? MUTED : INK}>
                  {b.text}
                </text>
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
