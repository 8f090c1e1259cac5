// The cell-key method's known weakness (Asghar & Kaafar, PETS 2020): many different questions whose
// differences all isolate the same workers, each with its own noise, averaged. Here: the workers of
// 2019 in one region and site type are [2019, T] minus [2020, T] for every end quarter T, so each T
// gives one more noisy look at the same small count. The budget of distinct tables stops the
// attacker before the average settles: within one budget it does not reach most small counts exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateFor, answer } from '@/lib/aggregates';
import { budgetSettings } from '@/lib/aggregates/budget';
import { AggregateQuery, quarterIndex, quarterLabel, type DimensionId } from '@/lib/aggregates/definitions';
import { perturbationTable, RESOLUTION, rowFor } from '@/lib/disclosure/cell-key';
import { minCellSize, researcherPerturbation } from '@/lib/disclosure/k';
import { orgWithActors } from '../actors';
import { testDbKind } from '../db';
import { buildWorld, shownCounts, trueCounts, type World } from './world';

const BY = ['region', 'site_type'];
/** End quarters, latest first: the attacker starts where both periods are large and shown. */
const ENDS = Array.from({ length: quarterIndex('2025Q4', true) - quarterIndex('2020Q1', false) + 1 }, (_, i) => quarterLabel(quarterIndex('2025Q4', true) - i));

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => world.database.drop());

type Counts = Map<string, number | null>;

/** The attacker's estimate of each target after `pairs` pairs: the mean of the differences it could form, rounded. */
function estimates(targets: string[], wide: Counts[], narrow: Counts[], pairs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const key of targets) {
    const differences: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const a = wide[i]?.get(key);
      const b = narrow[i]?.get(key);
      if (a != null && b != null) differences.push(a - b);
    }
    if (differences.length) out.set(key, Math.round(differences.reduce((s, d) => s + d, 0) / differences.length));
  }
  return out;
}

/**
 * In theory, for counts above D: the chance that the mean of n differences of two independent noises
 * rounds to 0, from the published table (exact convolution).
 */
function exactChance(pairs: number): number {
  const row = rowFor(researcherPerturbation(), 1_000);
  const p = row.weights.map((w) => w / RESOLUTION);
  const difference = new Map<number, number>();
  row.noise.forEach((x, i) => row.noise.forEach((y, j) => difference.set(x - y, (difference.get(x - y) ?? 0) + p[i]! * p[j]!)));
  let sum = new Map<number, number>([[0, 1]]);
  for (let n = 0; n < pairs; n++) {
    const next = new Map<number, number>();
    for (const [s, ps] of sum) for (const [d, pd] of difference) next.set(s + d, (next.get(s + d) ?? 0) + ps * pd);
    sum = next;
  }
  let chance = 0;
  for (const [s, ps] of sum) if (Math.round(s / pairs) === 0) chance += ps;
  return chance;
}

describe(`averaging attack on ${testDbKind}`, () => {
  it('within one budget of distinct tables, averaging does not reach most small counts exactly', async () => {
    const { tables: budget, windowDays } = budgetSettings();
    const k = minCellSize('researcher');
    // The targets: the small counts (1..k−1) of 2019 by region × site type, which the 2019 table hides.
    const truth = await trueCounts(world, { by: BY, from: '2019', to: '2019' });
    const targets = [...truth].filter(([key, n]) => JSON.parse(key).length === 2 && n > 0 && n < k).map(([key]) => key);

    // The attacker, with a fresh account, asks pairs until the budget says no.
    const attacker = (await orgWithActors('averaging')).researcher;
    const wide: Counts[] = [];
    const narrow: Counts[] = [];
    let refused: unknown = null;
    for (const end of ENDS) {
      try {
        const a = shownCounts(await aggregateFor(attacker, { by: BY, from: '2019', to: end }));
        const b = shownCounts(await aggregateFor(attacker, { by: BY, from: '2020', to: end }));
        wide.push(a);
        narrow.push(b);
      } catch (e) {
        refused = e;
        break;
      }
    }
    expect(refused).toMatchObject({ status: 429 });
    expect(wide.length).toBe(Math.floor(budget / 2));

    const within = estimates(targets, wide, narrow, wide.length);
    const exact = [...within].filter(([key, estimate]) => estimate === truth.get(key)).length;

    // Beyond the budget (the same answers, straight from lib, as if the attacker had many accounts or waited): how many tables it would take.
    const table = researcherPerturbation();
    const all = { wide: [...wide], narrow: [...narrow] };
    for (const end of ENDS.slice(wide.length)) {
      for (const [from, list] of [['2019', all.wide], ['2020', all.narrow]] as const) {
        const q = AggregateQuery.parse({ by: BY, from, to: end });
        const scope = { audience: 'research' as const, orgId: null, fromQuarter: quarterIndex(from, false), toQuarter: quarterIndex(end, true) };
        list.push(shownCounts(await answer(world.database.db, scope, q, q.by as DimensionId[], k, table)));
      }
    }
    const curve: string[] = [];
    let needed: number | null = null;
    for (let pairs = 1; pairs <= ENDS.length; pairs++) {
      const got = estimates(targets, all.wide, all.narrow, pairs);
      const share = [...got].filter(([key, estimate]) => estimate === truth.get(key)).length / Math.max(got.size, 1);
      if (pairs % 4 === 0) curve.push(`${2 * pairs} tables ${(100 * share).toFixed(0)} %`);
      if (needed === null && share > 0.5) needed = 2 * pairs;
    }
    let theory = 1;
    while (exactChance(theory) <= 0.5 && theory < 200) theory++;
    console.log(
      `averaging (${testDbKind}): budget ${budget} distinct tables per ${windowDays} days = ${wide.length} pairs; ${targets.length} small 2019 counts targeted, ` +
        `${within.size} estimable, ${exact} reached exactly (${((100 * exact) / Math.max(within.size, 1)).toFixed(0)} %). ` +
        `Beyond the budget: ${curve.join(', ')}; most targets exact from ${needed ?? `more than ${2 * ENDS.length}`} tables in this world; ` +
        `in theory (D = ${table.parameters.maxDeviation}, V = ${table.parameters.variance}) ${2 * theory} tables, ${Math.ceil((2 * theory) / budget)} budgets.`,
    );
    expect(targets.length).toBeGreaterThanOrEqual(15);
    expect(within.size).toBeGreaterThanOrEqual(10);
    expect(exact / within.size).toBeLessThan(0.5);
    // The default budget is below what the table allows in theory.
    expect(exactChance(Math.floor(budget / 2))).toBeLessThan(0.5);
    expect(perturbationTable(table.parameters)).toEqual(table);
  });
});
