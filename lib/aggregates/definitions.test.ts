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
