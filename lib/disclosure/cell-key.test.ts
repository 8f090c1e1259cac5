import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPerturbation, DEFAULT_PERTURBATION, noiseAt, noiseFor, perturb, perturbationTable, positionOf, RESOLUTION, rowFor, type PerturbationTable } from './cell-key';

// Properties of the perturbation table (issue 15): exactly unbiased for every count, |noise| ≤ D,
// zero stays zero (and a worker never becomes nobody), the lookup draws noises as often as the
// table says, and the same (count, cell key) always gives the same noise.

const params = fc
  .integer({ min: 1, max: 8 })
  .chain((D) => fc.record({ maxDeviation: fc.constant(D), variance: fc.double({ min: 0.05, max: (D * D) / 2, noNaN: true }) }));

const KEY = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** A small deterministic generator, so the sampling tests give the same figures on every run. */
function keys(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) >>> 1;
  };
}

describe('perturbation table', () => {
  it('every row: weights add up to the resolution, the expected noise is exactly 0, |noise| ≤ D, a count stays ≥ 1, zero stays zero', () => {
    fc.assert(
      fc.property(params, (p) => {
        const table = perturbationTable(p);
        expect(table.rows).toHaveLength(p.maxDeviation + 2);
        expect(table.rows[0]).toMatchObject({ noise: [0], weights: [RESOLUTION] });
        for (const row of table.rows) {
          expect(row.weights.reduce((s, w) => s + w, 0)).toBe(RESOLUTION);
          expect(row.weights.reduce((s, w, j) => s + w * row.noise[j]!, 0)).toBe(0); // whole numbers: exact
          expect(row.weights.every((w) => Number.isInteger(w) && w >= 0)).toBe(true);
          for (const n of row.noise) {
            expect(Math.abs(n)).toBeLessThanOrEqual(p.maxDeviation);
            if (row.count > 0) expect(row.count + n).toBeGreaterThanOrEqual(1);
          }
          expect(row.variance).toBeLessThanOrEqual(p.variance + 1e-3);
        }
        // Counts above D carry the variance V asked for (up to the rounding of the weights).
        expect(table.rows.at(-1)!.variance).toBeCloseTo(p.variance, 3);
      }),
      { numRuns: 60 },
    );
  });

  it('zero stays zero and the same count and cell key always give the same noise, within ±D, for any count', () => {
    const table = perturbationTable(DEFAULT_PERTURBATION);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), KEY, (count, key) => {
        expect(noiseFor(table, 0, key)).toBe(0);
        const noise = noiseFor(table, count, key);
        expect(noiseFor(table, count, key)).toBe(noise);
        expect(Math.abs(noise)).toBeLessThanOrEqual(DEFAULT_PERTURBATION.maxDeviation);
        const out = perturb(table, count, key);
        expect(out === 0).toBe(count === 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('the lookup over all positions of a row gives each noise exactly its weight', () => {
    const table = perturbationTable(DEFAULT_PERTURBATION);
    for (const row of table.rows) {
      const seen = new Map<number, number>();
      for (let at = 0; at < RESOLUTION; at++) seen.set(noiseAt(row, at), (seen.get(noiseAt(row, at)) ?? 0) + 1);
      row.noise.forEach((n, j) => expect(seen.get(n) ?? 0, `count ${row.count}, noise ${n}`).toBe(row.weights[j]));
    }
  });

  it('noises drawn for random cell keys follow the table, with mean 0, for each count (chi-square)', () => {
    const table = perturbationTable(DEFAULT_PERTURBATION);
    const next = keys(15);
    const draws = 40_000;
    for (const count of [2, 3, 4, 5, 6, 7, 50, 1234]) {
      const row = rowFor(table, count);
      const seen = new Map<number, number>();
      let sum = 0;
      for (let i = 0; i < draws; i++) {
        const n = noiseFor(table, count, next());
        seen.set(n, (seen.get(n) ?? 0) + 1);
        sum += n;
      }
      let chi = 0;
      row.noise.forEach((n, j) => {
        const expected = (draws * row.weights[j]!) / RESOLUTION;
        chi += ((seen.get(n) ?? 0) - expected) ** 2 / expected;
      });
      // 99.9th percentile of chi-square with up to 10 degrees of freedom is 29.6.
      expect(chi, `count ${count}`).toBeLessThan(29.6);
      expect(Math.abs(sum / draws), `count ${count}`).toBeLessThan((4 * Math.sqrt(row.variance)) / Math.sqrt(draws));
    }
  });

  it('a cell and the same cell plus a few workers get unrelated noises, however close their keys', () => {
    // With the plain "key mod 1" lookup, keys c apart land c apart in the row and mostly share a noise.
    const table = perturbationTable(DEFAULT_PERTURBATION);
    const row = rowFor(table, 1000);
    const chance = row.weights.reduce((s, w) => s + (w / RESOLUTION) ** 2, 0);
    const next = keys(7);
    for (const c of [1, 1000, 2 ** 20]) {
      let same = 0;
      const trials = 20_000;
      for (let i = 0; i < trials; i++) {
        const key = next();
        if (noiseFor(table, 1000, key) === noiseFor(table, 1000, (key + c) % 2 ** 31)) same++;
      }
      expect(Math.abs(same / trials - chance), `keys ${c} apart`).toBeLessThan(0.02);
    }
    expect(positionOf(10, 5)).not.toBe(positionOf(11, 5));
  });

  it('is the same table for the same settings, and refuses settings that cannot make one, naming the variable', () => {
    const a: PerturbationTable = perturbationTable(DEFAULT_PERTURBATION);
    expect(perturbationTable({ ...DEFAULT_PERTURBATION })).toEqual(a);
    expect(() => checkPerturbation({ maxDeviation: 0, variance: 1 })).toThrow(/CELL_KEY_MAX_DEVIATION/);
    expect(() => checkPerturbation({ maxDeviation: 2.5, variance: 1 })).toThrow(/CELL_KEY_MAX_DEVIATION/);
    expect(() => checkPerturbation({ maxDeviation: 3, variance: 0 })).toThrow(/CELL_KEY_VARIANCE/);
    expect(() => checkPerturbation({ maxDeviation: 3, variance: 5 })).toThrow(/CELL_KEY_VARIANCE/);
    expect(() => noiseFor(a, -1, 0)).toThrow(RangeError);
  });
});
