import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHours, roundMoney, roundShare, shareAllowed, type Statistic, statisticsAllowed, withStatistics } from './round';
import { isSuppressed, suppressTable } from './suppress';

// The properties were checked to fail with their rule removed: statistics attached to suppressed cells,
// statisticsAllowed reduced to count > 0, shareAllowed without the part/complement check.

const RUNS = { numRuns: 1000 };
const k = fc.integer({ min: 3, max: 12 });
const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 80 }));
const statistic: fc.Arbitrary<Statistic> = fc.oneof(
  fc.integer({ min: 0, max: 80 }).chain((whole) => fc.integer({ min: 0, max: whole }).map((part) => ({ kind: 'share' as const, part, whole: Math.max(whole, 1) }))),
  fc.double({ min: 0, max: 2000, noNaN: true }).map((median) => ({ kind: 'money' as const, median })),
  fc.double({ min: 0, max: 24, noNaN: true }).map((median) => ({ kind: 'hours' as const, median })),
);
const grid = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([R, C]) => fc.array(fc.array(fc.tuple(count, statistic), { minLength: C, maxLength: C }), { minLength: R, maxLength: R }));

describe('statistics beside counts', () => {
  it('are absent wherever the count is suppressed, and only present for cells of at least k', () => {
    fc.assert(
      fc.property(grid, k, (g, k) => {
        const table = suppressTable({ rows: g.map((_, r) => `r${r}`), columns: g[0]!.map((_, c) => `c${c}`), counts: g.map((row) => row.map(([n]) => n)) }, k);
        table.cells.forEach((row, r) =>
          row.forEach((cell, c) => {
            const published = withStatistics(cell, k, { measure: g[r]![c]![1] });
            if (isSuppressed(cell)) expect(published).toEqual({ suppressed: true });
            else if (!isSuppressed(published) && Object.keys(published.statistics).length > 0) expect(published.count).toBeGreaterThanOrEqual(k);
          }),
        );
      }),
      RUNS,
    );
  });

  it('are present only for a cell of at least k workers, whatever cell they are given', () => {
    fc.assert(
      fc.property(count, statistic, k, (n, s, k) => {
        const published = withStatistics({ count: n }, k, { measure: s });
        if (!isSuppressed(published) && published.statistics.measure) expect(n).toBeGreaterThanOrEqual(k);
      }),
      RUNS,
    );
  });

  it('never publish a share whose workers with or without the attribute number 1..k-1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), k, (a, b, k) => {
        const [part, whole] = a <= b ? [a, b] : [b, a];
        if (!whole) return;
        const published = withStatistics({ count: whole }, k, { share: { kind: 'share', part, whole } });
        if (!isSuppressed(published) && published.statistics.share) {
          expect(part === 0 || part >= k).toBe(true);
          expect(whole - part === 0 || whole - part >= k).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('round to whole percents, 10 units of money and half hours, never further than half a step', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), (x) => {
        expect(Number.isInteger(roundMoney(x) / 10)).toBe(true);
        expect(Math.abs(roundMoney(x) - x)).toBeLessThanOrEqual(5 + 1e-9);
        expect(Number.isInteger(roundHours(x) * 2)).toBe(true);
        expect(Math.abs(roundHours(x) - x)).toBeLessThanOrEqual(0.25 + 1e-9);
      }),
      RUNS,
    );
  });
});

describe('statistics: examples', () => {
  it('allow statistics from k workers on', () => {
    expect(statisticsAllowed(4, 5)).toBe(false);
    expect(statisticsAllowed(5, 5)).toBe(true);
    expect(statisticsAllowed(0, 5)).toBe(false);
    expect(() => statisticsAllowed(5, 2)).toThrow(RangeError);
  });

  it('rounds', () => {
    expect(roundShare(1, 3)).toBe(33);
    expect(roundShare(2, 3)).toBe(67);
    expect(roundShare(1, 8)).toBe(13);
    expect(roundMoney(124.99)).toBe(120);
    expect(roundMoney(125)).toBe(130);
    expect(roundHours(11.74)).toBe(11.5);
    expect(roundHours(11.75)).toBe(12);
    expect(() => roundShare(3, 2)).toThrow(RangeError);
  });

  it('withholds a share of 1 injured worker in 12 and shows 6 in 12', () => {
    expect(shareAllowed(1, 12, 5)).toBe(false);
    expect(shareAllowed(11, 12, 5)).toBe(false);
    expect(shareAllowed(6, 12, 5)).toBe(true);
    expect(shareAllowed(0, 12, 5)).toBe(true);
    expect(withStatistics({ count: 12 }, 5, { injured: { kind: 'share', part: 6, whole: 12 }, shift: { kind: 'hours', median: 11.8 }, taken: { kind: 'money', median: 143 } })).toEqual({
      count: 12,
      statistics: { injured: { kind: 'share', percent: 50 }, shift: { kind: 'hours', median: 12 }, taken: { kind: 'money', median: 140 } },
    });
  });

  it('gives a shown zero no statistics and a suppressed cell nothing but its flag', () => {
    expect(withStatistics({ count: 0 }, 5, { shift: { kind: 'hours', median: 10 } })).toEqual({ count: 0, statistics: {} });
    expect(withStatistics({ suppressed: true }, 5, { shift: { kind: 'hours', median: 10 } })).toEqual({ suppressed: true });
  });
});
