import { describe, expect, it } from 'vitest';
import { AggregateQuery, queryFromSearchParams } from './definitions';

describe('AggregateQuery', () => {
  it('refuses malformed periods with issues instead of throwing (the period-order check only compares well-formed ones)', () => {
    for (const [from, to] of [['workers', 'workers'], ['2024', 'soon'], ['2024-01-01', '2024Q1'], ['', '2024']]) {
      const parsed = AggregateQuery.safeParse({ measure: 'workers', from, to });
      expect(parsed.success, `${from}..${to}`).toBe(false);
    }
    expect(AggregateQuery.safeParse({ from: '2024Q3', to: '2024Q2' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['to']);
    expect(AggregateQuery.parse({ from: '2024Q2', to: '2024' })).toMatchObject({ from: '2024Q2', to: '2024', by: [], measure: 'workers' });
  });

  it('reads a repeated by from a query string, and ignores empty fields', () => {
    const params = new URLSearchParams('measure=workers&by=year&by=site_type&from=&to=2024');
    expect(queryFromSearchParams(params)).toEqual({ measure: 'workers', by: ['year', 'site_type'], to: '2024' });
    expect(AggregateQuery.parse(queryFromSearchParams(params)).by).toEqual(['year', 'site_type']);
  });
});

const issuesOf = (raw: unknown) => {
  const r = AggregateQuery.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('AggregateQuery periods', () => {
  it('refuses free dates in both ends with a message per field, not a crash', () => {
    expect(issuesOf({ from: '2024-03-01', to: '2024-06-30' })).toEqual([
      { path: 'from', message: expect.stringContaining('free dates are not allowed') },
      { path: 'to', message: expect.stringContaining('free dates are not allowed') },
    ]);
    expect(issuesOf({ from: ' ', to: '2025' })).toEqual([{ path: 'from', message: expect.stringContaining('free dates are not allowed') }]);
  });

  it('says only what is wrong: the format, the year range, or the order', () => {
    expect(issuesOf({ from: 'x' })).toEqual([{ path: 'from', message: expect.stringContaining('free dates') }]);
    expect(issuesOf({ from: '1989' })).toEqual([{ path: 'from', message: 'The year must be between 1990 and 2100.' }]);
    expect(issuesOf({ from: '2025Q2', to: '2025Q1' })).toEqual([{ path: 'to', message: 'The period ends before it starts.' }]);
    expect(issuesOf({ from: '2025', to: '2025Q1' })).toEqual([]);
  });

  it('reads a query string with repeated breakdowns and empty fields as not given', () => {
    expect(queryFromSearchParams(new URLSearchParams('measure=workers&by=year&by=site_type&from=&to=2025'))).toEqual({ measure: 'workers', by: ['year', 'site_type'], to: '2025' });
  });
});
