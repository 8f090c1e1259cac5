import { describe, expect, it } from 'vitest';
import { AggregateQuery, queryFromSearchParams } from './definitions';

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
