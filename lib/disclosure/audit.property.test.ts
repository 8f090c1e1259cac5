import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditRecord, type AuditCell, type AuditSnapshot, type Box, type TruthRow } from './audit';

// Property: whatever a publisher tries, in any order, every record the audit lets through leaves
// every sensitive quantity (an atom, a published cell, 1..k−1 workers in truth) with an interval at
// least P wide. The oracle is written apart from the solver: it enumerates every assignment of
// workers to the finest cells that agrees with the published numbers (depth-first, pruned by the
// boxes' totals) and takes the smallest and largest value of each quantity over them.

const K = 3;
const P = 3;
const QUARTERS = ['2023Q1', '2023Q2'];
const SITES = ['construction', 'factory', 'logging'];
const CELLS = QUARTERS.flatMap((quarter) => SITES.map((site_type) => ({ quarter, site_type })));

type Counts = number[]; // per CELLS index

const inBox = (box: Box, i: number) => box.quarter!.includes(CELLS[i]!.quarter) && box.site_type!.includes(CELLS[i]!.site_type);
const sumIn = (box: Box, counts: Counts) => counts.reduce((s, n, i) => (inBox(box, i) ? s + n : s), 0);

/** The enumerating oracle: [min, max] of the workers in each set of cells over every assignment the published numbers allow (Infinity when unbounded). */
function oracle(visible: { box: Box; count: number }[], quantities: number[][]): [number, number][] {
  const cap = CELLS.map((_, i) => Math.min(...visible.filter((v) => inBox(v.box, i)).map((v) => v.count)));
  const result: [number, number][] = quantities.map(() => [Infinity, -Infinity]);
  const unbounded = quantities.map((q) => q.some((i) => !Number.isFinite(cap[i]!)));
  const counts = new Array<number>(CELLS.length).fill(0);
  const members = visible.map((v) => CELLS.map((_, i) => inBox(v.box, i)));
  const last = visible.map((_, b) => Math.max(...CELLS.map((_, i) => (members[b]![i] ? i : -1))));
  const walk = (i: number) => {
    if (i === CELLS.length) {
      quantities.forEach((q, j) => {
        const v = q.reduce((s, c) => s + counts[c]!, 0);
        result[j] = [Math.min(result[j]![0], v), Math.max(result[j]![1], v)];
      });
      return;
    }
    const top = Number.isFinite(cap[i]!) ? cap[i]! : 0; // a cell in no visible box: its quantities are unbounded anyway
    for (let n = 0; n <= top; n++) {
      counts[i] = n;
      let ok = true;
      for (let b = 0; b < visible.length && ok; b++) {
        if (!members[b]![i] && last[b]! !== i) continue;
        let partial = 0;
        for (let c = 0; c <= i; c++) if (members[b]![c]) partial += counts[c]!;
        if (partial > visible[b]!.count || (last[b] === i && partial !== visible[b]!.count)) ok = false;
      }
      if (ok) walk(i + 1);
    }
    counts[i] = 0;
  };
  walk(0);
  return result.map((r, j) => (unbounded[j] ? [r[0], Infinity] : r));
}

const subset = <T,>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
const boxArb = fc.record({ quarter: subset(QUARTERS), site_type: subset(SITES) });
const truthArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: CELLS.length, maxLength: CELLS.length });

function publish(id: string, boxes: Box[], truth: Counts): AuditSnapshot {
  const cells: AuditCell[] = boxes.map((box) => {
    const n = sumIn(box, truth);
    return { by: {}, box, count: n === 0 || n >= K ? n : null };
  });
  return { id, cells };
}

const truthRows = (truth: Counts): TruthRow[] => CELLS.map((values, i) => ({ values, workers: truth[i]! }));

describe('the whole-record audit against an enumerating oracle', () => {
  it('never accepts a record that narrows a small count below P', async () => {
    await fc.assert(
      fc.asyncProperty(truthArb, fc.array(fc.array(boxArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 4 }), async (truth, attempts) => {
        const record: AuditSnapshot[] = [];
        for (const [i, boxes] of attempts.entries()) {
          const candidate = publish(`s${i}`, boxes, truth);
          const { findings } = await auditRecord({ candidate, current: record, truth: truthRows(truth), k: K, protection: P });
          if (findings.length === 0) record.push(candidate);
        }
        const cells = record.flatMap((s) => s.cells);
        const visible = cells.flatMap((c) => (c.count === null ? [] : [{ box: c.box, count: c.count }]));
        // Sensitive: every published cell and every atom (cells no published box tells apart) of 1..k−1 workers.
        const signature = (i: number) => cells.map((c) => (inBox(c.box, i) ? 1 : 0)).join('');
        const atoms = [...new Set(CELLS.map((_, i) => signature(i)))].map((sig) => CELLS.flatMap((_, i) => (signature(i) === sig && cells.some((c) => inBox(c.box, i)) ? [i] : []))).filter((a) => a.length);
        const quantities = [...cells.map((c) => CELLS.flatMap((_, i) => (inBox(c.box, i) ? [i] : []))), ...atoms];
        const sensitive = quantities.filter((q) => {
          const t = q.reduce((s, i) => s + truth[i]!, 0);
          return t >= 1 && t < K;
        });
        const bounds = oracle(visible, sensitive);
        sensitive.forEach((q, j) => {
          const [low, high] = bounds[j]!;
          expect(high - low, `cells ${q.map((i) => `${CELLS[i]!.quarter}/${CELLS[i]!.site_type}`).join('+')} pinned to [${low}, ${high}] by ${JSON.stringify(visible)}`).toBeGreaterThanOrEqual(P);
        });
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('the oracle finds the three-scope attack (a check that the property can fail)', () => {
    const scope = (sites: string[]): Box => ({ quarter: QUARTERS, site_type: sites });
    const visible = [
      { box: scope(['construction', 'factory']), count: 5 },
      { box: scope(['factory', 'logging']), count: 7 },
      { box: scope(['construction', 'logging']), count: 6 },
    ];
    const construction = [0, 3];
    expect(oracle(visible, [construction])).toEqual([[2, 2]]);
  });
});

// The same property with shares: a whole percent of a cell's workers has an attribute (whole = every
// worker). Four finest cells, so the oracle can enumerate workers and attribute counts together.
describe('the whole-record audit with shares, against an enumerating oracle', () => {
  const SMALL = CELLS.filter((c) => c.site_type !== 'logging');
  const inSmall = (box: Box, i: number) => box.quarter!.includes(SMALL[i]!.quarter) && box.site_type!.includes(SMALL[i]!.site_type);
  const round = (part: number, whole: number) => Math.round((100 * part) / whole);
  const allowed = (part: number, whole: number) => whole >= K && (part === 0 || part >= K) && (whole - part === 0 || whole - part >= K);

  function publishShares(id: string, boxes: Box[], workers: number[], injured: number[]): AuditSnapshot {
    return {
      id,
      cells: boxes.map((box) => {
        const n = workers.reduce((s, v, i) => (inSmall(box, i) ? s + v : s), 0);
        const part = injured.reduce((s, v, i) => (inSmall(box, i) ? s + v : s), 0);
        const count = n === 0 || n >= K ? n : null;
        const share = count !== null && n > 0 && allowed(part, n) ? { attribute: 'injury', whole: 'all' as const, percent: round(part, n) } : null;
        return { by: {}, box, count, share };
      }),
    };
  }

  /** [min, max] of sums of attribute counts (and of workers) over every assignment the record allows. */
  function oracleShares(cells: AuditCell[], quantities: { cells: number[]; attribute: boolean }[]): [number, number][] {
    const visible = cells.filter((c) => c.count !== null);
    const cap = SMALL.map((_, i) => Math.min(...visible.filter((v) => inSmall(v.box, i)).map((v) => v.count!)));
    const result: [number, number][] = quantities.map(() => [Infinity, -Infinity]);
    const x = new Array<number>(SMALL.length).fill(0);
    const y = new Array<number>(SMALL.length).fill(0);
    const sum = (values: number[], box: Box) => values.reduce((s, v, i) => (inSmall(box, i) ? s + v : s), 0);
    const walkY = (i: number) => {
      if (i === SMALL.length) {
        for (const c of visible) if (c.share && round(sum(y, c.box), c.count!) !== c.share.percent) return;
        quantities.forEach((q, j) => {
          const v = q.cells.reduce((s, c) => s + (q.attribute ? y[c]! : x[c]!), 0);
          result[j] = [Math.min(result[j]![0], v), Math.max(result[j]![1], v)];
        });
        return;
      }
      for (let n = 0; n <= x[i]!; n++) {
        y[i] = n;
        walkY(i + 1);
      }
      y[i] = 0;
    };
    const walkX = (i: number) => {
      if (i === SMALL.length) {
        if (visible.every((c) => sum(x, c.box) === c.count)) walkY(0);
        return;
      }
      const top = Number.isFinite(cap[i]!) ? cap[i]! : 0;
      for (let n = 0; n <= top; n++) {
        x[i] = n;
        walkX(i + 1);
      }
      x[i] = 0;
    };
    walkX(0);
    return result.map((r, j) => (quantities[j]!.cells.some((c) => !Number.isFinite(cap[c]!)) ? [r[0], Infinity] : r));
  }

  it('never accepts a record that narrows a small count or attribute count below P', async () => {
    const cellsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: SMALL.length, maxLength: SMALL.length });
    const smallBox = fc.record({ quarter: subset(QUARTERS), site_type: subset(['construction', 'factory']) });
    await fc.assert(
      fc.asyncProperty(cellsArb, fc.array(fc.array(smallBox, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }), async (pairs, attempts) => {
        const workers = pairs.map(([a, b]) => Math.max(a, b));
        const injured = pairs.map(([a, b]) => Math.min(a, b));
        const truth: TruthRow[] = SMALL.map((values, i) => ({ values, workers: workers[i]!, attributes: { injury: { part: injured[i]!, whole: workers[i]! } } }));
        const record: AuditSnapshot[] = [];
        for (const [i, boxes] of attempts.entries()) {
          const candidate = publishShares(`s${i}`, boxes, workers, injured);
          if ((await auditRecord({ candidate, current: record, truth, k: K, protection: P })).findings.length === 0) record.push(candidate);
        }
        const cells = record.flatMap((s) => s.cells);
        const withShares = new Set(cells.filter((c) => c.share).flatMap((c) => SMALL.flatMap((_, i) => (inSmall(c.box, i) ? [i] : []))));
        const groups = cells.map((c) => SMALL.flatMap((_, i) => (inSmall(c.box, i) ? [i] : [])));
        const signature = (i: number) => cells.map((c) => (inSmall(c.box, i) ? 1 : 0)).join('');
        const atoms = [...new Set(SMALL.map((_, i) => signature(i)))].map((sig) => SMALL.flatMap((_, i) => (signature(i) === sig && cells.some((c) => inSmall(c.box, i)) ? [i] : []))).filter((a) => a.length);
        const quantities = [...groups, ...atoms].flatMap((q) => [
          { cells: q, attribute: false, truth: q.reduce((s, i) => s + workers[i]!, 0) },
          ...(q.every((i) => withShares.has(i)) ? [{ cells: q, attribute: true, truth: q.reduce((s, i) => s + injured[i]!, 0) }] : []),
        ]);
        const sensitive = quantities.filter((q) => q.truth >= 1 && q.truth < K);
        const bounds = oracleShares(cells, sensitive);
        sensitive.forEach((q, j) => {
          const [low, high] = bounds[j]!;
          expect(high - low, `${q.attribute ? 'injured' : 'workers'} in ${q.cells.join('+')} pinned to [${low}, ${high}]`).toBeGreaterThanOrEqual(P);
        });
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
