import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error';
import { assertK, checkDisclosureSettings, DEFAULT_MIN_CELL, MIN_K, minCellSize, minCellSizeFrom, perturbationFrom, researcherPerturbation } from './k';

describe('minimum cell size', () => {
  it('defaults to 10 for the public and 5 for researchers', () => {
    expect(DEFAULT_MIN_CELL).toEqual({ public: 10, researcher: 5 });
    expect(minCellSizeFrom('public', {})).toBe(10);
    expect(minCellSizeFrom('researcher', {})).toBe(5);
  });

  it('reads the instance settings (the test environment sets none, so the defaults)', () => {
    expect(minCellSize('public')).toBe(10);
    expect(minCellSize('researcher')).toBe(5);
  });

  it('takes an instance setting of at least 3', () => {
    expect(minCellSizeFrom('public', { MIN_CELL_PUBLIC: 20 })).toBe(20);
    expect(minCellSizeFrom('researcher', { MIN_CELL_RESEARCHER: MIN_K })).toBe(3);
  });

  it.each([
    [{ MIN_CELL_PUBLIC: 2 }, 'MIN_CELL_PUBLIC'],
    [{ MIN_CELL_RESEARCHER: 0 }, 'MIN_CELL_RESEARCHER'],
    [{ MIN_CELL_RESEARCHER: -5 }, 'MIN_CELL_RESEARCHER'],
    [{ MIN_CELL_PUBLIC: 10, MIN_CELL_RESEARCHER: 2 }, 'MIN_CELL_RESEARCHER'],
    [{ CELL_KEY_MAX_DEVIATION: 0 }, 'CELL_KEY_MAX_DEVIATION'],
    [{ CELL_KEY_MAX_DEVIATION: 2, CELL_KEY_VARIANCE: 3 }, 'CELL_KEY_VARIANCE'],
  ])('refuses start-up with %o, naming %s', (settings, name) => {
    let error: unknown;
    try {
      checkDisclosureSettings(settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  });

  it('takes the perturbation settings or their defaults, D = 5 and V = 4', () => {
    expect(perturbationFrom({})).toEqual({ maxDeviation: 5, variance: 4 });
    expect(perturbationFrom({ CELL_KEY_MAX_DEVIATION: 3, CELL_KEY_VARIANCE: 1.5 })).toEqual({ maxDeviation: 3, variance: 1.5 });
    expect(researcherPerturbation().parameters).toEqual({ maxDeviation: 5, variance: 4 });
  });

  it('accepts the defaults at start-up', () => {
    expect(() => checkDisclosureSettings()).not.toThrow();
  });

  it('refuses a k below 3 or not whole in the pure functions', () => {
    expect(() => assertK(2)).toThrow(RangeError);
    expect(() => assertK(3.5)).toThrow(RangeError);
    expect(() => assertK(3)).not.toThrow();
  });
});
