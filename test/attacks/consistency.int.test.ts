// Averaging needs different noise for the same workers. The attacker asks the same question twice,
// asks for the four quarters of a year instead of the year, for one breakdown instead of two, and
// again after someone else's testimony was approved: wherever the workers are the same, so is every
// number, so there is nothing to average.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveTestimony, createTestimony, submitTestimony } from '@/lib/testimonies';
import { orgWithActors } from '../actors';
import { testDbKind } from '../db';
import { ask, buildWorld, keyOf, shownCounts, trueCounts, type World } from './world';

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => world.database.drop());

/** How many counts two answers both show, and how many of those differ. */
function compare(a: Map<string, number | null>, b: Map<string, number | null>, keys = [...a.keys()]) {
  let both = 0;
  let differing = 0;
  for (const key of keys) {
    const x = a.get(key);
    const y = b.get(key);
    if (x == null || y == null) continue;
    both++;
    if (x !== y) differing++;
  }
  return { both, differing };
}

describe(`consistency on ${testDbKind}`, () => {
  it('the same question twice gives the same answer, to the last cell', async () => {
    for (const q of [{ by: ['region', 'site_type'] }, { measure: 'injury_any', by: ['year', 'sex'] }, { measure: 'hours_per_day', by: ['federal_district'], from: '2024Q2', to: '2025' }]) {
      expect(await ask(world, q)).toEqual(await ask(world, q));
    }
  });

  it('a year asked as its four quarters, and the same cells asked through one breakdown or two, give identical numbers', async () => {
    const year = await ask(world, { by: ['region', 'site_type'], from: '2024', to: '2024' });
    const quarters = await ask(world, { by: ['region', 'site_type'], from: '2024Q1', to: '2024Q4' });
    expect(quarters.cells).toEqual(year.cells);
    expect(quarters.margins).toEqual(year.margins);
    // One breakdown: its cells are the row totals of the cross table (the same workers each).
    const regions = shownCounts(await ask(world, { by: ['region'], from: '2024', to: '2024' }));
    const cross = shownCounts(year);
    const same = compare(regions, cross);
    console.log(`consistency (${testDbKind}): year = four quarters in all ${year.cells.length + year.margins.length} entries; one breakdown against two: ${same.both} counts shown in both, ${same.differing} differ`);
    expect(same.both).toBeGreaterThan(10);
    expect(same.differing).toBe(0);
    // A share's count is the count of the same workers: the same number whatever the measure.
    const shares = shownCounts(await ask(world, { measure: 'injury_any', by: ['region', 'site_type'], from: '2024', to: '2024' }));
    expect(compare(shares, cross)).toMatchObject({ differing: 0 });
  });

  it('after another worker is counted, only the cells that hold them change', async () => {
    const q = { by: ['region', 'site_type'] };
    const before = shownCounts(await ask(world, q));
    const truthBefore = await trueCounts(world, q);
    // A new worker in Kursk, on a farm: every cell and margin without them keeps its number.
    const org = await orgWithActors('late');
    const { id } = await createTestimony(org.caseworker, {
      interviewDate: '2025-11-01',
      deployment: { start: '2025-06', region: 'kursk-oblast', siteType: 'agriculture', visaType: 'student', outcome: 'returned' },
      consent: { scopes: ['internal', 'research'], method: 'oral' },
    });
    await submitTestimony(org.caseworker, id);
    await approveTestimony(org.reviewer, id);
    const after = shownCounts(await ask(world, q));
    const truthAfter = await trueCounts(world, q);
    const holding = new Set([keyOf({ region: 'kursk-oblast', site_type: 'agriculture' }), keyOf({ region: 'kursk-oblast' }), keyOf({ site_type: 'agriculture' }), keyOf({})]);
    const untouched = [...truthBefore.keys()].filter((key) => !holding.has(key));
    for (const key of untouched) expect(truthAfter.get(key)).toBe(truthBefore.get(key));
    const same = compare(before, after, untouched);
    expect(same.both).toBeGreaterThan(20);
    expect(same.differing).toBe(0);
  });
});
