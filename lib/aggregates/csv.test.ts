import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { aggregateCsv, aggregateCsvFilename, aggregateCsvHeader, ALL } from './csv';
import type { AggregateAnswer } from './index';

// A cross table of workers by year × site type at k = 5, as lib/aggregates/index.ts answers it:
// 2023 has a hidden logging cell and therefore a hidden second cell in its row.
const crossTable: AggregateAnswer = {
  measure: 'workers',
  kind: 'count',
  unit: 'workers',
  by: ['year', 'site_type'],
  period: { from: '2023', to: '2024Q4' },
  audience: 'research',
  k: 5,
  values: { year: ['2023', '2024'], site_type: ['construction', 'logging'] },
  cells: [
    { by: { year: '2023', site_type: 'construction' }, suppressed: true },
    { by: { year: '2023', site_type: 'logging' }, suppressed: true },
    { by: { year: '2024', site_type: 'construction' }, count: 12, value: null },
    { by: { year: '2024', site_type: 'logging' }, count: 0, value: null },
  ],
  margins: [
    { by: { year: '2023' }, count: 9, value: null },
    { by: { year: '2024' }, count: 12, value: null },
    { by: { site_type: 'construction' }, suppressed: true },
    { by: { site_type: 'logging' }, suppressed: true },
    { by: {}, count: 21, value: null },
  ],
};

const rowsOf = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe('aggregate CSV', () => {
  it('has a column per breakdown, then count, suppressed, figure, unit, k and the period', () => {
    const csv = aggregateCsv(crossTable);
    expect(csv.split('\r\n')[0]).toBe('measure,year,site_type,count,suppressed,figure,unit,k,period_from,period_to,perturbed,note');
    expect(aggregateCsvHeader({ by: ['region'] })).toEqual(['measure', 'region', 'count', 'suppressed', 'figure', 'unit', 'k', 'period_from', 'period_to', 'perturbed', 'note']);
  });

  it('writes every cell, then the margins with "All" for the breakdown they total over', () => {
    const rows = rowsOf(aggregateCsv(crossTable));
    expect(rows).toHaveLength(crossTable.cells.length + crossTable.margins.length);
    expect(rows[2]).toEqual({ measure: 'workers', year: '2024', site_type: 'construction', count: '12', suppressed: 'false', figure: '', unit: 'workers', k: '5', period_from: '2023', period_to: '2024Q4', perturbed: 'false', note: '' });
    expect(rows[4]).toMatchObject({ year: '2023', site_type: ALL, count: '9', suppressed: 'false' });
    expect(rows[6]).toMatchObject({ year: ALL, site_type: 'construction', count: '', suppressed: 'true' });
    expect(rows[8]).toMatchObject({ year: ALL, site_type: ALL, count: '21', suppressed: 'false' });
  });

  it('leaves the count of a suppressed cell empty and flags it; a zero stays a zero', () => {
    const rows = rowsOf(aggregateCsv(crossTable));
    const hidden = rows.filter((r) => r.suppressed === 'true');
    expect(hidden).toHaveLength(4);
    for (const r of hidden) expect(r).toMatchObject({ count: '', figure: '' });
    expect(rows[3]).toMatchObject({ year: '2024', site_type: 'logging', count: '0', suppressed: 'false' });
    for (const r of rows) {
      const n = Number(r.count);
      if (r.count !== '') expect(n === 0 || n >= crossTable.k, `count ${r.count}`).toBe(true);
    }
  });

  it('marks a hidden cell only by the flag: no size in words ("fewer than k", "<5"), whether it is small or protects another', () => {
    const csv = aggregateCsv(crossTable);
    expect(csv).not.toMatch(/fewer|under|less than|not shown|<|미만/i);
    for (const r of rowsOf(csv)) expect(['true', 'false']).toContain(r.suppressed);
  });

  it('writes the figure of a median or share with its unit, and nothing where the figure is withheld', () => {
    const shares: AggregateAnswer = {
      ...crossTable,
      measure: 'injury_any',
      kind: 'share',
      unit: 'percent',
      by: ['site_type'],
      period: { from: null, to: null },
      cells: [
        { by: { site_type: 'construction' }, count: 12, value: 42 },
        { by: { site_type: 'logging' }, count: 6, value: null },
      ],
      margins: [{ by: {}, count: 18, value: 39 }],
    };
    const rows = rowsOf(aggregateCsv(shares));
    expect(rows).toEqual([
      { measure: 'injury_any', site_type: 'construction', count: '12', suppressed: 'false', figure: '42', unit: 'percent', k: '5', period_from: '', period_to: '', perturbed: 'false', note: '' },
      { measure: 'injury_any', site_type: 'logging', count: '6', suppressed: 'false', figure: '', unit: 'percent', k: '5', period_from: '', period_to: '', perturbed: 'false', note: '' },
      { measure: 'injury_any', site_type: ALL, count: '18', suppressed: 'false', figure: '39', unit: 'percent', k: '5', period_from: '', period_to: '', perturbed: 'false', note: '' },
    ]);
  });

  it('quotes commas and escapes values a spreadsheet would run as a formula', () => {
    const odd: AggregateAnswer = {
      ...crossTable,
      by: ['region'],
      cells: [
        { by: { region: '=HYPERLINK("http://x")' }, count: 7, value: null },
        { by: { region: '-1+2' }, count: 8, value: null },
        { by: { region: '@SUM(A1)' }, suppressed: true },
        { by: { region: 'Krai, far east' }, count: 0, value: null },
      ],
      margins: [{ by: {}, count: 19, value: null }],
    };
    const rows = rowsOf(aggregateCsv(odd));
    expect(rows.map((r) => r.region)).toEqual(['\'=HYPERLINK("http://x")', "'-1+2", "'@SUM(A1)", 'Krai, far east', ALL]);
  });

  it('names the file after the question', () => {
    const day = new Date('2026-03-04T10:00:00Z');
    expect(aggregateCsvFilename(crossTable, day)).toBe('aggregates-workers-by-year-site_type-2023-2024Q4-2026-03-04.csv');
    expect(aggregateCsvFilename({ measure: 'hours_per_day', by: [], period: { from: null, to: null } }, day)).toBe('aggregates-hours_per_day-2026-03-04.csv');
  });

  it('says on every shown total of a perturbed answer, in English and Korean, that it need not equal the sum of its cells', () => {
    const rows = rowsOf(aggregateCsv({ ...crossTable, perturbed: true, perturbation: { maxDeviation: 5, variance: 4 } }));
    for (const r of rows) expect(r.perturbed).toBe('true');
    const notes = rows.filter((r) => r.note !== '');
    expect(notes.map((r) => [r.year, r.site_type])).toEqual([
      ['2023', ALL],
      ['2024', ALL],
      [ALL, ALL],
    ]);
    expect(notes[0]!.note).toMatch(/at most ±5\): this total need not equal the sum of its cells\. \/ .*최대 ±5.*합계는 칸들의 합과 같지 않을 수 있습니다/);
  });
});
