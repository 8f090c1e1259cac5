import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, CSV_HEADER, columnOfPath, escapeCell, readHeader, rowToInput, templateRows, TEMPLATE_EXAMPLE, validateRow } from './csv';
import { ILO_INDICATOR_KEYS } from './domain/indicators';
import { NewTestimony } from './input';

const headerOf = (names: string[]) => {
  const { header, issues } = readHeader(names);
  if (!header) throw new Error(JSON.stringify(issues));
  return header;
};
const full = headerOf(CSV_HEADER);
const rowWith = (values: Record<string, string>) => CSV_HEADER.map((n) => values[n] ?? '');
const minimal = { consent_scopes: 'internal', consent_method: 'oral' };

describe('CSV header', () => {
  it('accepts the documented columns in any order and case', () => {
    const { header, issues } = readHeader(['Consent_Method', 'consent_scopes', 'wage_paid']);
    expect(issues).toEqual([]);
    expect(header?.positions.map((i) => CSV_COLUMNS[i]!.name)).toEqual(['consent_method', 'consent_scopes', 'wage_paid']);
  });

  it('refuses an unknown column, a repeated one and a missing required one, naming each', () => {
    const { header, issues } = readHeader(['consent_scopes', 'wage', 'consent_scopes']);
    expect(header).toBeUndefined();
    expect(issues).toEqual([
      { line: 1, column: 'wage', message: 'Unknown column "wage". Use the columns of the template.', key: 'csvUnknownColumn', vars: { name: 'wage' } },
      { line: 1, column: 'consent_scopes', message: 'This column appears twice.', key: 'csvColumnTwice' },
      { line: 1, column: 'consent_method', message: 'This required column is missing.', key: 'csvColumnMissing' },
    ]);
  });

  it('has one column per ILO indicator and three injuries, and the required consent columns', () => {
    for (const key of ILO_INDICATOR_KEYS) expect(CSV_HEADER).toContain(`ilo_${key}`);
    expect(CSV_HEADER).toContain('injury3_kept_working');
    expect(CSV_COLUMNS.filter((c) => c.required).map((c) => c.name)).toEqual(['consent_scopes', 'consent_method']);
    expect(new Set(CSV_HEADER).size).toBe(CSV_HEADER.length);
  });
});

describe('CSV row mapping', () => {
  it('maps cells to the nested input: numbers, scopes, indicators, injuries; empty cells are absent', () => {
    const { input } = rowToInput(
      full,
      rowWith({ ...minimal, consent_scopes: 'internal; research', wage_paid: '800', days_per_week: '6.5', shift_start: '06:00', ilo_isolation: 'yes', injury2_kind: 'fall', injury2_severity: 'minor', injury2_care: 'received' }),
    );
    expect(input).toEqual({
      consent: { scopes: ['internal', 'research'], method: 'oral' },
      pay: { wagePaid: 800 },
      hours: { daysPerWeek: 6.5, shiftStart: '06:00' },
      indicators: { isolation: { answer: 'yes' } },
      injuries: [{ kind: 'fall', severity: 'minor', care: 'received' }],
    });
  });

  it('undoes the export\'s formula protection', () => {
    const { input } = rowToInput(full, rowWith({ ...minimal, interview_language: "'=ko" }));
    expect(input.interviewLanguage).toBe('=ko');
  });

  it('names the line and column of each zod issue, with injuries numbered as in the file', () => {
    const result = validateRow(full, rowWith({ ...minimal, wage_paid: 'lots', shift_end: '25:00', ilo_deception: 'maybe', injury2_kind: 'fall', injury2_care: 'received' }), 17);
    expect(result.value).toBeUndefined();
    const byColumn = Object.fromEntries(result.issues!.map((i) => [i.column, i]));
    expect(Object.keys(byColumn).sort()).toEqual(['ilo_deception', 'injury2_severity', 'shift_end', 'wage_paid']);
    expect(byColumn.wage_paid).toMatchObject({ line: 17, message: expect.stringMatching(/number/) });
    expect(byColumn.shift_end!.message).toBe('Use HH:MM (24-hour clock).');
  });

  it('maps a bad consent scope and a missing consent method to their columns', () => {
    const result = validateRow(full, rowWith({ consent_scopes: 'internal;everyone' }), 3);
    expect(result.issues?.map((i) => i.column).sort()).toEqual(['consent_method', 'consent_scopes']);
  });

  it('refuses a row with a different number of cells than the header', () => {
    expect(validateRow(full, ['a'], 4).issues).toEqual([
      { line: 4, column: 'row', message: `Expected ${CSV_HEADER.length} cells as in the header, found 1.`, key: 'csvCellCount', vars: { expected: CSV_HEADER.length, found: 1 } },
    ]);
  });

  it('columnOfPath falls back sensibly', () => {
    expect(columnOfPath(['pay', 'wagePaid'])).toBe('wage_paid');
    expect(columnOfPath(['consent', 'scopes', 1])).toBe('consent_scopes');
    expect(columnOfPath(['indicators', 'isolation', 'answer'])).toBe('ilo_isolation');
    expect(columnOfPath(['injuries', 0, 'month'], [3])).toBe('injury3_month');
  });
});

describe('CSV template', () => {
  it('its example row validates with the same schema as the form and the API', () => {
    const [head, example] = templateRows();
    expect(head).toEqual(CSV_HEADER);
    const result = validateRow(headerOf(head!), example!, 2);
    expect(result.issues).toBeUndefined();
    expect(result.value).toEqual(NewTestimony.parse(rowToInput(full, example!).input));
    expect(result.value?.hours).toEqual({ shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7, restDaysPerYear: 2 });
    expect(result.value?.injuries).toHaveLength(1);
    expect(Object.keys(TEMPLATE_EXAMPLE).every((k) => CSV_HEADER.includes(k))).toBe(true);
  });
});

describe('formula escaping', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])('prefixes %j with a single quote', (v) => {
    expect(escapeCell(v)).toBe(`'${v}`);
  });
  it.each(['W-7K3F9Q', '2025-03-14', 'plain', '', "'quoted"])('leaves %j alone', (v) => {
    expect(escapeCell(v)).toBe(v);
  });
});
