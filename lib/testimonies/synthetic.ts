import { stringify } from 'csv-stringify/sync';
import { CSV_HEADER } from './csv';
import { ILO_INDICATOR_KEYS } from './domain/indicators';

// Synthetic testimonies as CSV, for the import benchmark and tests: plausible values, no real
// person. A seeded generator, so a run can be repeated.

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const REGIONS = ['primorsky-krai', 'khabarovsk-krai', 'amur-oblast', 'moscow', 'moscow-oblast', 'sakhalin-oblast', 'novosibirsk-oblast', 'other'];
const SITES = ['construction', 'construction', 'construction', 'factory', 'logging', 'agriculture', 'fishing', 'services'];
const VISAS = ['student', 'student', 'trainee', 'work', 'tourist', 'unknown'];
const OUTCOMES = ['still_working', 'returned', 'escaped', 'transferred', 'unknown'];
const TRI = ['yes', 'yes', 'no', 'unknown'];
const PHRASES = [
  'The shift began before sunrise and ended well after midnight.',
  'Most of the monthly wage was taken as a loyalty contribution.',
  'A ledger promised the remainder on return home.',
  'Minders watched the team and collected the phones.',
  'The team slept in a container on the site.',
  'Rest days came twice a year at most.',
  'An injury was treated late, and work went on.',
  'Weekly sessions of self-criticism were compulsory.',
];

export interface SyntheticOptions {
  seed?: number;
  /** 1-based data rows to spoil (a bad wage), for tests of refusal. */
  badRows?: number[];
}

/** One synthetic data row as cells in CSV_HEADER order. */
export function syntheticRow(n: number, random: () => number, bad = false): string[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const year = 2019 + Math.floor(random() * 6);
  const m = () => String(1 + Math.floor(random() * 12)).padStart(2, '0');
  const wage = 500 + Math.floor(random() * 10) * 50;
  const loyalty = Math.round(wage * (0.5 + random() * 0.3));
  const v: Record<string, string> = {
    interview_date: `${year + 1}-${m()}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
    interview_language: 'ko',
    age_band: pick(['18-24', '25-34', '35-44', '45-54']),
    sex: pick(['male', 'male', 'male', 'female', 'unknown']),
    deployment_start: `${year - 1}-${m()}`,
    deployment_end: `${year}-${m()}`,
    region: pick(REGIONS),
    site_type: pick(SITES),
    visa_type: pick(VISAS),
    outcome: pick(OUTCOMES),
    shift_start: pick(['06:00', '07:00', '05:30']),
    shift_end: pick(['22:00', '00:00', '02:00']),
    days_per_week: pick(['6', '6.5', '7']),
    rest_days_per_year: String(Math.floor(random() * 12)),
    pay_currency: pick(['USD', 'USD', 'RUB']),
    wage_paid: bad ? 'eight hundred' : String(wage),
    loyalty_contribution: String(loyalty),
    ledger_credit: String(Math.floor((wage - loyalty) * 0.7)),
    received_in_hand: String(Math.floor((wage - loyalty) * 0.3)),
    ledger_paid: pick(['no', 'no', 'partly', 'unknown']),
    housing: pick(['shipping_container', 'unfinished_building', 'dormitory']),
    minders: pick(TRI),
    ideological_sessions: pick(TRI),
    phones_forbidden: pick(TRI),
    consent_scopes: pick(['internal', 'internal;research', 'internal;research;public_aggregate']),
    consent_method: pick(['oral', 'oral', 'written', 'intermediary']),
    narrative: `Synthetic account ${n}. ${pick(PHRASES)} ${pick(PHRASES)} ${pick(PHRASES)}`,
  };
  for (const key of ILO_INDICATOR_KEYS) if (random() < 0.6) v[`ilo_${key}`] = pick(TRI);
  if (random() < 0.3) Object.assign(v, { injury1_kind: pick(['fall', 'crush', 'cut', 'burn']), injury1_severity: pick(['minor', 'serious', 'permanent']), injury1_month: `${year}-${m()}`, injury1_care: pick(['received', 'delayed', 'denied']), injury1_kept_working: pick(TRI) });
  if (random() < 0.2) v.interviewer_notes = 'Synthetic note: interview held in a safe place.';
  return CSV_HEADER.map((name) => v[name] ?? '');
}

/** A CSV of `count` synthetic rows, yielded in pieces of about `rowsPerChunk` rows. */
export function* syntheticCsv(count: number, opts: SyntheticOptions = {}, rowsPerChunk = 500): Generator<string> {
  const random = rng(opts.seed ?? 42);
  const bad = new Set(opts.badRows ?? []);
  yield stringify([CSV_HEADER]);
  for (let start = 1; start <= count; start += rowsPerChunk) {
    const rows: string[][] = [];
    for (let n = start; n < Math.min(start + rowsPerChunk, count + 1); n++) rows.push(syntheticRow(n, random, bad.has(n)));
    yield stringify(rows);
  }
}

export const syntheticCsvText = (count: number, opts: SyntheticOptions = {}) => [...syntheticCsv(count, opts)].join('');
