import { ConfigError } from '../config-error';

// The cell-key method (issue 15; ABS TableBuilder, ONS 2021 flexible tables, the `ptable` R package):
// every worker has a random record key (subject.record_key), a cell's key is the sum of its workers'
// keys mod 2^31, and a researcher's count n is published as n + noise, the noise read from a
// published perturbation table at (n, cell key). The same workers always make the same cell key, so
// asking again, or asking for the same workers another way, gives the same number and nothing to
// average; differences of two answers carry two noises. Pure: no database, no settings read here.
//
// The table rests on no secret: it is generated from D and V below and published on /methodology.

/** Weights of a row add up to this; a cell's position in [0, RESOLUTION) picks the noise. */
export const RESOLUTION = 2 ** 20;

export interface PerturbationParameters {
  /** D: no count moves by more than this. */
  maxDeviation: number;
  /** V: the variance of the noise of a count of more than D workers (smaller counts get less; see rowVariance). */
  variance: number;
}

/** Defaults of CELL_KEY_MAX_DEVIATION and CELL_KEY_VARIANCE (README "Configuration"), chosen with test/attacks. */
export const DEFAULT_PERTURBATION: Readonly<PerturbationParameters> = { maxDeviation: 5, variance: 4 };

export interface PerturbationRow {
  /** The count this row is for; the last row serves every count from this one up. */
  count: number;
  /** Possible noises, ascending, and their weights out of RESOLUTION (exactly unbiased: Σ weight × noise = 0). */
  noise: number[];
  weights: number[];
  /** The row's variance, from the weights. */
  variance: number;
}

export interface PerturbationTable {
  parameters: PerturbationParameters;
  resolution: number;
  /** Rows for counts 0, 1, …, D + 1; the last serves every larger count too. */
  rows: PerturbationRow[];
}

/** A ConfigError naming the setting when D or V cannot make a table. */
export function checkPerturbation(p: PerturbationParameters): PerturbationParameters {
  const D = p.maxDeviation;
  const V = p.variance;
  if (!Number.isInteger(D) || D < 1 || D > 20) throw new ConfigError(`CELL_KEY_MAX_DEVIATION is ${D}: the maximum deviation must be a whole number from 1 to 20 (README "Configuration").`);
  if (!(V > 0) || V > (D * D) / 2) throw new ConfigError(`CELL_KEY_VARIANCE is ${V}: the variance must be above 0 and at most D²/2 = ${(D * D) / 2} for D = ${D} (README "Configuration").`);
  return { maxDeviation: D, variance: V };
}

/**
 * The variance a count can carry: V, or less where the noise may not go below −(n − 1) (a count of
 * workers stays at least 1, so a published 0 always means nobody). With the noise between a < 0 and
 * D and mean 0, the variance cannot exceed −a·D; a row takes at most half of that.
 */
export function rowVariance(count: number, p: PerturbationParameters): number {
  const low = Math.max(-(count - 1), -p.maxDeviation);
  return Math.min(p.variance, (-low * p.maxDeviation) / 2);
}

/**
 * The maximum-entropy distribution on the whole numbers low..high with mean 0 and the given variance
 * (p_i ∝ exp(α·i + β·i²), as the `ptable` package builds): Newton's method on the convex dual.
 */
export function maxEntropy(low: number, high: number, variance: number): number[] {
  const support = Array.from({ length: high - low + 1 }, (_, i) => low + i);
  let alpha = 0;
  let beta = 0;
  const moments = (a: number, b: number) => {
    const logits = support.map((i) => a * i + b * i * i);
    const top = Math.max(...logits);
    const w = logits.map((l) => Math.exp(l - top));
    const z = w.reduce((s, x) => s + x, 0);
    const p = w.map((x) => x / z);
    const m1 = p.reduce((s, x, j) => s + x * support[j]!, 0);
    const m2 = p.reduce((s, x, j) => s + x * support[j]! ** 2, 0);
    const m3 = p.reduce((s, x, j) => s + x * support[j]! ** 3, 0);
    const m4 = p.reduce((s, x, j) => s + x * support[j]! ** 4, 0);
    // The dual: log Z − β·variance (the mean target is 0), minimised where the moments match.
    return { p, m1, m2, m3, m4, dual: top + Math.log(z) - b * variance };
  };
  let m = moments(alpha, beta);
  for (let step = 0; step < 200; step++) {
    const g1 = m.m1;
    const g2 = m.m2 - variance;
    if (Math.abs(g1) < 1e-13 && Math.abs(g2) < 1e-12) break;
    const h11 = m.m2 - m.m1 ** 2;
    const h12 = m.m3 - m.m1 * m.m2;
    const h22 = m.m4 - m.m2 ** 2;
    const det = h11 * h22 - h12 * h12;
    let da = -(h22 * g1 - h12 * g2) / det;
    let db = -(h11 * g2 - h12 * g1) / det;
    // Backtracking: a Newton step that does not lower the dual is halved.
    let t = 1;
    let next = moments(alpha + da, beta + db);
    while (!(next.dual <= m.dual + 1e-15) && t > 1e-9) {
      t /= 2;
      next = moments(alpha + t * da, beta + t * db);
    }
    da *= t;
    db *= t;
    alpha += da;
    beta += db;
    m = next;
  }
  return m.p;
}

/** Probabilities → whole weights out of RESOLUTION with Σ weight × noise exactly 0 (rounding alone leaves a small bias). */
function quantise(noise: number[], p: number[]): number[] {
  const w = p.map((x) => Math.round(x * RESOLUTION));
  const zero = noise.indexOf(0);
  w[zero]! += RESOLUTION - w.reduce((s, x) => s + x, 0);
  let bias = w.reduce((s, x, j) => s + x * noise[j]!, 0);
  // Move single units of weight between ±1 and 0: each move changes the mean by one unit and keeps the sum.
  const plus = noise.indexOf(1);
  const minus = noise.indexOf(-1);
  while (bias > 0 && plus >= 0 && w[plus]! > 0) {
    w[plus]! -= 1;
    w[zero]! += 1;
    bias -= 1;
  }
  while (bias < 0 && minus >= 0 && w[minus]! > 0) {
    w[minus]! -= 1;
    w[zero]! += 1;
    bias += 1;
  }
  if (bias !== 0) throw new Error('perturbation table: could not remove the rounding bias');
  return w;
}

/** The table for D and V: one row per count 0..D+1. Deterministic: the same settings always give the same table. */
export function perturbationTable(parameters: PerturbationParameters): PerturbationTable {
  const p = checkPerturbation(parameters);
  const D = p.maxDeviation;
  const rows: PerturbationRow[] = [];
  for (let count = 0; count <= D + 1; count++) {
    const low = Math.max(-(count - 1), -D);
    const v = rowVariance(count, p);
    if (count <= 1 || v === 0) {
      // Zeros stay zero; a single worker stays 1 (nothing below, and no upward-only noise is unbiased).
      rows.push({ count, noise: [0], weights: [RESOLUTION], variance: 0 });
      continue;
    }
    const noise = Array.from({ length: D - low + 1 }, (_, i) => low + i);
    const weights = quantise(noise, maxEntropy(low, D, v));
    const variance = weights.reduce((s, w, j) => s + w * noise[j]! ** 2, 0) / RESOLUTION;
    rows.push({ count, noise, weights, variance });
  }
  return { parameters: p, resolution: RESOLUTION, rows };
}

export function rowFor(table: PerturbationTable, count: number): PerturbationRow {
  return table.rows[Math.min(count, table.rows.length - 1)]!;
}

/** murmur3's 32-bit finaliser. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Where a cell falls in its row, 0 ≤ position < RESOLUTION: the cell key and the count mixed. Plain
 * "cell key mod 1" would give a cell and the same cell plus a few workers (whose keys sum to c)
 * positions exactly c apart, so their noises would agree far more often than chance for small c; mixed,
 * the two positions are unrelated while the same workers still land on the same place.
 */
export function positionOf(count: number, cellKey: number): number {
  const h = mix32((mix32((cellKey ^ 0x63656c6c) >>> 0) + Math.imul(count + 1, 0x9e3779b9)) >>> 0);
  return h >>> (32 - Math.log2(RESOLUTION));
}

/** The noise at a position of a row: the row's weights laid end to end over [0, RESOLUTION). */
export function noiseAt(row: PerturbationRow, position: number): number {
  let at = position;
  for (let j = 0; j < row.noise.length; j++) {
    at -= row.weights[j]!;
    if (at < 0) return row.noise[j]!;
  }
  throw new RangeError(`a position is below ${RESOLUTION}, got ${position}`);
}

/** The noise of a count of workers whose keys sum to cellKey (mod 2^31). */
export function noiseFor(table: PerturbationTable, count: number, cellKey: number): number {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a count must be a whole number ≥ 0, got ${count}`);
  return noiseAt(rowFor(table, count), positionOf(count, cellKey));
}

/** The published count: n + noise, never below 1 unless n is 0. */
export function perturb(table: PerturbationTable, count: number, cellKey: number): number {
  return count + noiseFor(table, count, cellKey);
}
