import { describe, expect, it } from 'vitest';
import { compareClaims, formatValue, type ComparableClaim } from './compare';
import { locateExcerpt } from './excerpt';
import { parsePeriod } from './input';

let n = 0;
const c = (over: Partial<ComparableClaim>): ComparableClaim => ({
  id: `c${++n}`,
  valueKind: 'number',
  valueLow: null,
  valueHigh: null,
  valueText: null,
  unit: 'people',
  periodStart: '2024-01-01',
  periodEnd: '2024-12-31',
  reliability: 'B',
  credibility: '2',
  ...over,
});

describe('claims side by side', () => {
  it('marks different values for the same period as differing, equal ones as agreeing', () => {
    const [x, y, z] = compareClaims([c({ valueLow: 13221 }), c({ valueLow: 15000 }), c({ valueLow: 13221 })]);
    expect(x!.agreement).toBe('differs');
    expect(y!.agreement).toBe('differs');
    expect(compareClaims([c({ valueLow: 13221 }), c({ valueLow: 13221 })]).map((r) => r.agreement)).toEqual(['agrees', 'agrees']);
    expect(z!.agreement).toBe('differs');
  });

  it('a number inside another source’s range agrees; other periods and missing periods are not compared', () => {
    expect(compareClaims([c({ valueLow: 13221 }), c({ valueKind: 'range', valueLow: 13000, valueHigh: 14000 })]).map((r) => r.agreement)).toEqual(['agrees', 'agrees']);
    expect(compareClaims([c({ valueLow: 4000 }), c({ valueLow: 15000, periodStart: '2025-01-01', periodEnd: '2025-12-31' })]).map((r) => r.agreement)).toEqual(['alone', 'alone']);
    expect(compareClaims([c({ valueLow: 1, periodStart: null, periodEnd: null })])[0]!.agreement).toBe('no-period');
  });

  it('different units do not agree', () => {
    expect(compareClaims([c({ valueLow: 800, unit: 'USD a month' }), c({ valueLow: 800, unit: 'RUB a month' })])[0]!.agreement).toBe('differs');
  });

  it('flags E/F and 5/6 grades as unreliable', () => {
    const r = compareClaims([c({ reliability: 'E' }), c({ credibility: '6' }), c({ reliability: 'C', credibility: '4' })]);
    expect(r.map((x) => x.unreliable)).toEqual([true, true, false]);
  });

  it('formats numbers, ranges and text', () => {
    expect(formatValue(c({ valueLow: 13221 }))).toBe('13,221');
    expect(formatValue(c({ valueKind: 'range', valueLow: 100, valueHigh: 200 }))).toBe('100–200');
    expect(formatValue(c({ valueKind: 'text', valueText: 'most on student visas' }))).toBe('most on student visas');
  });
});

describe('periods', () => {
  it('reads years, months, days and ranges', () => {
    expect(parsePeriod('2024')).toEqual({ start: '2024-01-01', end: '2024-12-31' });
    expect(parsePeriod('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(parsePeriod('2024-03/2024-05')).toEqual({ start: '2024-03-01', end: '2024-05-31' });
    expect(parsePeriod('')).toBeNull();
    expect(parsePeriod('last year')).toBe(false);
    expect(parsePeriod('2025/2024')).toBe(false);
  });
});

describe('excerpts', () => {
  const text = 'In 2024, 13,221 entered. Of them 7,887 said study. 13,221 again.';
  it('accepts the selected text at its offsets', () => {
    expect(locateExcerpt(text, '7,887 said study', 33, 49)).toEqual({ start: 33, end: 49, excerpt: '7,887 said study' });
  });
  it('finds the excerpt when no offsets are given and it occurs once', () => {
    expect(locateExcerpt(text, '7,887').start).toBe(33);
  });
  it('refuses an excerpt that is not in the text, with a clear message', () => {
    expect(() => locateExcerpt(text, '9,999 said study', 33, 49)).toThrow(/not in the captured text/);
  });
  it('uses the occurrence nearest the given offsets when the excerpt repeats', () => {
    expect(locateExcerpt(text, '13,221', 50, 56).start).toBe(text.lastIndexOf('13,221'));
    expect(() => locateExcerpt(text, '13,221')).toThrow(/more than once/);
  });
});
