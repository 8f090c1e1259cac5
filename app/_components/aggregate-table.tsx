import type { ReactNode } from 'react';
import type { AggregateAnswer, OutCell } from '@/lib/aggregates';
import type { DimensionId } from '@/lib/aggregates/definitions';
import type { Locale, T } from '@/lib/i18n';
import { cellIndex, dimensionLabel, figureFormat, HIDDEN_CELLS_HELP, hiddenLabel, measureLabel, numberFormat, valueLabel } from './aggregate-present';

// The table of an aggregate answer: one breakdown as a list with its total, two as a cross table with
// margins. A hidden cell reads "not shown" in a hatched cell, never blank and never 0, whether it is
// small or hides to protect a neighbour. Shared by the researcher dashboard and public summaries
// (where a heat table shades cells by their figure).

type CellView = (cell: OutCell | undefined, margin?: boolean, span?: number) => ReactNode;

/** Shades of a heat table: `heat-0` (white) to `heat-8` (a mid blue on which the ink keeps a contrast above 7:1), in globals.css. */
export const HEAT_LEVELS = 8;

/** A heat-table cell's shade, by class: the CSP allows no style attribute (lib/http/csp.ts). */
export function heatLevel(value: number, max: number): number {
  const f = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  return Math.round(f * HEAT_LEVELS);
}

export function AnswerTable({ answer, t, locale, title, heat = false, testId = 'aggregate-table' }: { answer: AggregateAnswer; t: T; locale: Locale; title: string; heat?: boolean; testId?: string }) {
  const num = numberFormat(locale);
  const figure = figureFormat(t, locale, answer.unit);
  const find = cellIndex(answer);
  const isCount = answer.kind === 'count';
  const hidden = hiddenLabel(t);
  const label = (d: DimensionId, v: string) => valueLabel(t, d, v);
  const shown = answer.cells.map((c) => ('suppressed' in c ? null : isCount ? c.count : c.value)).filter((n): n is number => n !== null);
  const heatMax = Math.max(0, ...shown);

  const cellView: CellView = (cell, margin = false, span) => {
    const base = margin ? 'num margin' : 'num';
    if (!cell || 'suppressed' in cell)
      return (
        <td className={`${base} suppressed`} data-suppressed="true" colSpan={span}>
          <span className="suppressed-mark">{hidden}</span>
        </td>
      );
    const n = isCount ? cell.count : cell.value;
    const cls = heat && !margin && n !== null ? `${base} heat-${heatLevel(n, heatMax)}` : base;
    if (isCount)
      return (
        <td className={cls} data-count={cell.count}>
          {num(cell.count)}
        </td>
      );
    return (
      <td className={cls} data-count={cell.count}>
        <span className={cell.value === null ? 'figure none' : 'figure'}>{cell.value === null ? t('aggregates.noFigure') : figure(cell.value)}</span>
        <span className="n">{t('aggregates.n', { n: num(cell.count) })}</span>
      </td>
    );
  };

  if (answer.by.length === 2) return <CrossTable answer={answer} t={t} find={find} cellView={cellView} label={label} title={title} heat={heat} testId={testId} />;

  const measure = measureLabel(t, answer.measure);
  const rowCells = (cell: OutCell | undefined, margin = false): ReactNode => {
    if (!cell || 'suppressed' in cell || isCount) return cellView(cell, margin, isCount ? undefined : 2);
    return (
      <>
        <td className={margin ? 'num margin' : 'num'} data-count={cell.count}>
          {num(cell.count)}
        </td>
        <td className={margin ? 'num margin' : 'num'}>{cell.value === null ? <span className="figure none">{t('aggregates.noFigure')}</span> : figure(cell.value)}</td>
      </>
    );
  };
  return (
    <table className="aggregate-table" data-testid={testId}>
      <caption className="visually-hidden">{t('aggregates.table', { title })}</caption>
      <thead>
        <tr>
          <th scope="col">{answer.by[0] ? dimensionLabel(t, answer.by[0]) : t('aggregates.all')}</th>
          <th scope="col" className="num">
            {t('aggregates.workers')}
          </th>
          {!isCount && (
            <th scope="col" className="num">
              {measure}
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {answer.by[0] &&
          answer.values[answer.by[0]]!.map((v) => {
            const d = answer.by[0]!;
            return (
              <tr key={v}>
                <th scope="row">{label(d, v)}</th>
                {rowCells(find({ [d]: v }))}
              </tr>
            );
          })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('aggregates.total')}</th>
          {rowCells(find({}), true)}
        </tr>
      </tfoot>
    </table>
  );
}

function CrossTable({
  answer,
  t,
  find,
  cellView,
  label,
  title,
  heat,
  testId,
}: {
  answer: AggregateAnswer;
  t: T;
  find: (by: Record<string, string>) => OutCell | undefined;
  cellView: CellView;
  label: (d: DimensionId, v: string) => string;
  title: string;
  heat: boolean;
  testId: string;
}) {
  const [r, c] = answer.by as [DimensionId, DimensionId];
  const rows = answer.values[r]!;
  const columns = answer.values[c]!;
  return (
    <table className={heat ? 'aggregate-table cross heat' : 'aggregate-table cross'} data-testid={testId}>
      <caption className="visually-hidden">{t('aggregates.table', { title })}</caption>
      <thead>
        <tr>
          <td className="corner">
            <span className="corner-rows">{dimensionLabel(t, r)} ↓</span>
            <span className="corner-columns">{dimensionLabel(t, c)} →</span>
          </td>
          {columns.map((cv) => (
            <th key={cv} scope="col" className="num">
              {label(c, cv)}
            </th>
          ))}
          <th scope="col" className="num margin">
            {t('aggregates.total')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((rv) => (
          <tr key={rv}>
            <th scope="row">{label(r, rv)}</th>
            {columns.map((cv) => (
              <Slot key={cv}>{cellView(find({ [r]: rv, [c]: cv }))}</Slot>
            ))}
            {cellView(find({ [r]: rv }), true)}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('aggregates.total')}</th>
          {columns.map((cv) => (
            <Slot key={cv}>{cellView(find({ [c]: cv }), true)}</Slot>
          ))}
          {cellView(find({}), true)}
        </tr>
      </tfoot>
    </table>
  );
}

function Slot({ children }: { children: ReactNode }) {
  return <>{children}</>;
}

/** The note under a table with hidden cells: the hatch, what "not shown" means, and a link to why. */
export function HiddenCellsNote({ t }: { t: T }) {
  return (
    <p data-testid="hidden-cells-note">
      <span className="suppressed-sample" aria-hidden="true" /> {t('aggregates.suppressedLegend')} <a href={HIDDEN_CELLS_HELP}>{t('aggregates.hiddenWhy')}</a>
    </p>
  );
}
