import { ConfigError } from '../config-error';
import { env } from '../env';
import { checkPerturbation, DEFAULT_PERTURBATION, perturbationTable, type PerturbationParameters, type PerturbationTable } from './cell-key';

// The minimum cell size k: a count of fewer than k workers (and more than 0) is never published as
// a number. A group of 2 workers at a known site and year is an identification (DESIGN.md, threat model).

export type Audience = 'public' | 'researcher';

/** Defaults per audience; an instance may raise or lower them (MIN_CELL_PUBLIC, MIN_CELL_RESEARCHER), never below MIN_K. */
export const DEFAULT_MIN_CELL: Readonly<Record<Audience, number>> = { public: 10, researcher: 5 };

/** No instance may publish a count of 1 or 2 workers, whatever its settings. */
export const MIN_K = 3;

const SETTING: Readonly<Record<Audience, 'MIN_CELL_PUBLIC' | 'MIN_CELL_RESEARCHER'>> = {
  public: 'MIN_CELL_PUBLIC',
  researcher: 'MIN_CELL_RESEARCHER',
};

export type MinCellSettings = Partial<Record<'MIN_CELL_PUBLIC' | 'MIN_CELL_RESEARCHER' | 'PROTECTION_INTERVAL' | 'CELL_KEY_MAX_DEVIATION' | 'CELL_KEY_VARIANCE', number>>;

/** k for an audience from the given settings; a ConfigError naming the variable when it is not a whole number ≥ MIN_K. */
export function minCellSizeFrom(audience: Audience, settings: MinCellSettings): number {
  const name = SETTING[audience];
  const k = settings[name] ?? DEFAULT_MIN_CELL[audience];
  if (!Number.isInteger(k) || k < MIN_K) {
    throw new ConfigError(`${name} is ${k}: the minimum cell size must be a whole number of at least ${MIN_K} (README "Configuration").`);
  }
  return k;
}

/** The instance's k for an audience. Checked on every call too, so a path that skipped boot() cannot publish with k < 3. */
export function minCellSize(audience: Audience): number {
  return minCellSizeFrom(audience, env);
}

/** Called at start-up (lib/boot.ts) so a k below MIN_K stops the server, not the first publication. */
export function checkDisclosureSettings(settings: MinCellSettings = env) {
  minCellSizeFrom('public', settings);
  minCellSizeFrom('researcher', settings);
  protectionIntervalFrom(minCellSizeFrom('public', settings), settings);
  perturbationFrom(settings);
}

/** D and V of the researchers' perturbation from the settings; a ConfigError naming the variable when they cannot make a table. */
export function perturbationFrom(settings: MinCellSettings): PerturbationParameters {
  return checkPerturbation({
    maxDeviation: settings.CELL_KEY_MAX_DEVIATION ?? DEFAULT_PERTURBATION.maxDeviation,
    variance: settings.CELL_KEY_VARIANCE ?? DEFAULT_PERTURBATION.variance,
  });
}

let table: { key: string; table: PerturbationTable } | undefined;

/** The instance's perturbation table for researchers, generated once per setting (it is a pure function of D and V). */
export function researcherPerturbation(): PerturbationTable {
  const p = perturbationFrom(env);
  const key = `${p.maxDeviation}/${p.variance}`;
  if (table?.key !== key) table = { key, table: perturbationTable(p) };
  return table.table;
}

/** Nothing the published record allows may be pinned exactly: the narrowest interval is 2 workers wide. */
export const MIN_PROTECTION = 2;

/**
 * The whole-record audit's protection interval P (lib/disclosure/audit.ts): every small count's
 * smallest and largest possible values must be at least P apart. Default: the public k.
 */
export function protectionIntervalFrom(k: number, settings: MinCellSettings): number {
  const p = settings.PROTECTION_INTERVAL ?? k;
  if (!Number.isInteger(p) || p < MIN_PROTECTION) {
    throw new ConfigError(`PROTECTION_INTERVAL is ${p}: the protection interval must be a whole number of at least ${MIN_PROTECTION} (README "Configuration").`);
  }
  return p;
}

/** The instance's protection interval for a publication audited at public k. */
export function protectionInterval(k: number): number {
  return protectionIntervalFrom(k, env);
}

/** For the pure functions that take k as an argument: a k below MIN_K is a bug, never a setting to honour. */
export function assertK(k: number): void {
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`k must be a whole number of at least ${MIN_K}, got ${k}`);
}
