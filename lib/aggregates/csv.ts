import { stringify } from 'csv-stringify/sync';
import { en } from '../i18n/en';
import { ko } from '../i18n/ko';
import { escapeCell } from '../testimonies/csv';
import type { AggregateAnswer, OutCell } from './index';

// An aggregate answer as CSV, for the researcher dashboard's download. Pure: the answer has already
// been through disclosure control (lib/aggregates/index.ts), so a hidden count stays hidden here: its
// count cell is empty and `suppressed` says why.

/** The breakdown value of a margin row (a total over that breakdown). */
export const ALL = 'All';

export function aggregateCsvHeader(answer: Pick<AggregateAnswer, 'by'>): string[] {
  return ['measure', ...answer.by, 'count', 'suppressed', 'figure', 'unit', 'k', 'period_from', 'period_to', 'perturbed', 'note'];
}

/**
 * What a perturbed total says of itself, in English and Korean (a spreadsheet has no caption): the
 * total carries its own noise, so it need not equal the sum of its cells.
 */
export function perturbedTotalNote(maxDeviation: number): string {
  const fill = (text: string) => text.replaceAll('{maxDeviation}', String(maxDeviation));
  return `${fill(en.aggregates.perturbedTotal)} / ${fill(ko.aggregates.perturbedTotal)}`;
}

/** The whole notice of a perturbed answer, English then Korean, one per line (the command line prints it). */
export function perturbedNotice(maxDeviation: number): string {
  const fill = (text: string) => text.replaceAll('{maxDeviation}', String(maxDeviation));
  return `note: ${fill(en.aggregates.perturbedNote)}\n참고: ${fill(ko.aggregates.perturbedNote)}`;
}

function rowOf(answer: AggregateAnswer, cell: OutCell, isMargin: boolean): string[] {
  const hidden = 'suppressed' in cell;
  const perturbed = answer.perturbed === true;
  return [
    answer.measure,
    ...answer.by.map((d) => cell.by[d] ?? ALL),
    hidden ? '' : String(cell.count),
    hidden ? 'true' : 'false',
    hidden || cell.value === null ? '' : String(cell.value),
    answer.unit,
    String(answer.k),
    answer.period.from ?? '',
    answer.period.to ?? '',
    perturbed ? 'true' : 'false',
    perturbed && isMargin && !hidden && answer.perturbation ? perturbedTotalNote(answer.perturbation.maxDeviation) : '',
  ];
}

/** Cells first, then the margins (row totals, column totals, grand total) with "All" for the breakdowns they total over. */
export function aggregateCsv(answer: AggregateAnswer): string {
  const rows = [aggregateCsvHeader(answer), ...answer.cells.map((cell) => rowOf(answer, cell, false)), ...answer.margins.map((cell) => rowOf(answer, cell, true))];
  // Values come from fixed lists, but a region code or a future free-text value must never run as a spreadsheet formula.
  return stringify(
    rows.map((r) => r.map(escapeCell)),
    { record_delimiter: '\r\n' },
  );
}

export function aggregateCsvFilename(answer: Pick<AggregateAnswer, 'measure' | 'by' | 'period'>, today: Date): string {
  const parts = ['aggregates', answer.measure, ...(answer.by.length ? ['by', ...answer.by] : []), answer.period.from, answer.period.to].filter(Boolean);
  const safe = parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');
  return `${safe}-${today.toISOString().slice(0, 10)}.csv`;
}
