import { describe, expect, it } from 'vitest';
import { NewTestimony } from '../testimonies/input';
import { demoTestimony } from './testimonies';

describe('demo testimonies', () => {
  it('are all valid records, the same on every run, and vary', () => {
    const made = Array.from({ length: 40 }, (_, i) => demoTestimony(i, 1));
    for (const t of made) expect(NewTestimony.safeParse(t).success).toBe(true);
    expect(demoTestimony(3, 1)).toEqual(demoTestimony(3, 1));
    expect(new Set(made.map((t) => t.deployment?.region)).size).toBeGreaterThan(3);
  });
});
