// The attack of issue 15: a researcher cannot ask for 2019 alone and see its small cells, so they
// ask for 2019–2025 and for 2020–2025, by region × site type and by region × sex, and subtract. On
// exact answers that gives back nearly every cell hidden in 2019. Perturbed, each answer carries its
// own noise: the attacker's estimate may equal the true count for at most 40 % of the targets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../db';
import { ask, buildWorld, shownCounts, trueCounts, type World } from './world';

const FIRST = '2019';
const SECOND = '2020';
const LAST = '2025';
const MAX_EXACT_SHARE = 0.4;

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => world.database.drop());

describe(`period differencing on ${testDbKind}`, () => {
  for (const by of [
    ['region', 'site_type'],
    ['region', 'sex'],
  ]) {
    it(`${FIRST}–${LAST} minus ${SECOND}–${LAST} by ${by.join(' × ')} recovers at most ${MAX_EXACT_SHARE * 100} % of the cells hidden in ${FIRST}`, async () => {
      const single = shownCounts(await ask(world, { by, from: FIRST, to: FIRST }));
      const wide = shownCounts(await ask(world, { by, from: FIRST, to: LAST }));
      const narrow = shownCounts(await ask(world, { by, from: SECOND, to: LAST }));
      const truth = await trueCounts(world, { by, from: FIRST, to: FIRST });
      // Targets: every cell (not margin) the single year hides.
      const targets = [...single].filter(([key, shown]) => shown === null && JSON.parse(key).length === 2).map(([key]) => key);
      let estimated = 0;
      let exact = 0;
      let absoluteError = 0;
      for (const key of targets) {
        const a = wide.get(key);
        const b = narrow.get(key);
        if (a == null || b == null) continue; // one of the two is hidden: no estimate
        estimated++;
        const error = Math.abs(a - b - (truth.get(key) ?? 0));
        absoluteError += error;
        if (error === 0) exact++;
      }
      const share = exact / Math.max(estimated, 1);
      console.log(
        `period differencing by ${by.join(' × ')} (${testDbKind}): ${targets.length} cells hidden in ${FIRST}, ${estimated} estimable, ` +
          `${exact} exact (${(100 * share).toFixed(0)} % of the estimable, ${((100 * exact) / Math.max(targets.length, 1)).toFixed(0)} % of all), mean absolute error ${(absoluteError / Math.max(estimated, 1)).toFixed(2)} workers`,
      );
      // Enough targets for the figure to mean something (the world is seeded: the same figures on every run and database);
      // then the threshold, over the targets the attacker could estimate (on exact answers: all of them).
      expect(targets.length).toBeGreaterThanOrEqual(15);
      expect(estimated).toBeGreaterThanOrEqual(8);
      expect(share).toBeLessThanOrEqual(MAX_EXACT_SHARE);
    });
  }
});
