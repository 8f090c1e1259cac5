import { z } from 'zod';
import { ageBand, federalDistrict, housingKind, outcome, sex, siteType, visaType } from '@/db/schema';
import { ILO_INDICATOR_KEYS } from '../testimonies/domain/indicators';

// What can be asked of the aggregates: measures (one figure per cell) and breakdowns. Names here are
// the API's words (`measure=`, `by=`); lib/aggregates/query.ts maps them to SQL.

/** Who reads the answer. Researchers see any breakdown below; the public only the public ones. */
export type Reader = 'public' | 'researcher';

export interface Dimension {
  id: string;
  /** The public may break down by it (DESIGN.md); otherwise researchers and staff only. */
  isPublic: boolean;
  /** Every value, listed even when no worker has it (a table shows its zeros); null: the values present. */
  values: readonly string[] | null;
}

const UNKNOWN = 'unknown';
const withUnknown = (values: readonly string[]) => (values.includes(UNKNOWN) ? [...values] : [...values, UNKNOWN]);

export const DIMENSIONS = {
  year: { id: 'year', isPublic: true, values: null },
  federal_district: { id: 'federal_district', isPublic: true, values: withUnknown(federalDistrict.enumValues) },
  site_type: { id: 'site_type', isPublic: true, values: withUnknown(siteType.enumValues) },
  visa_type: { id: 'visa_type', isPublic: true, values: withUnknown(visaType.enumValues) },
  outcome: { id: 'outcome', isPublic: true, values: withUnknown(outcome.enumValues) },
  region: { id: 'region', isPublic: false, values: null },
  age_band: { id: 'age_band', isPublic: false, values: withUnknown(ageBand.enumValues) },
  sex: { id: 'sex', isPublic: false, values: withUnknown(sex.enumValues) },
} as const satisfies Record<string, Dimension>;

export type DimensionId = keyof typeof DIMENSIONS;
export const DIMENSION_IDS = Object.keys(DIMENSIONS) as [DimensionId, ...DimensionId[]];

/** Asked for by name and refused to everyone: home province singles out a family. */
export const FORBIDDEN_DIMENSIONS = ['home_province'] as const;

export function dimensionsFor(reader: Reader): DimensionId[] {
  return DIMENSION_IDS.filter((id) => reader === 'researcher' || DIMENSIONS[id].isPublic);
}

/** How a cell's figure is worked out and rounded. */
export type Measure =
  | { id: string; kind: 'count' }
  | { id: string; kind: 'median'; column: 'hours_per_day' | 'hours_per_week' | 'rest_days_per_year' | 'share_withheld' | 'loyalty_usd' | 'ledger_usd'; unit: 'hours' | 'days' | 'percent' | 'usd' }
  | { id: string; kind: 'share'; part: ShareTest; unit: 'percent' };

/** A share: workers for whom `part` holds among those for whom `whole` holds. */
export type ShareTest =
  | { flag: 'any_injury' | 'care_delayed_or_denied' | 'kept_working_injured' } // whole: every worker
  | { tri: 'minders' | 'phones_forbidden' } // whole: answered yes or no
  | { ilo: number } // bit of ILO_INDICATOR_KEYS; whole: answered yes or no
  | { housing: string } // whole: housing known
  | { outcome: string }; // whole: every worker

const measures: Measure[] = [
  { id: 'workers', kind: 'count' },
  { id: 'hours_per_day', kind: 'median', column: 'hours_per_day', unit: 'hours' },
  { id: 'hours_per_week', kind: 'median', column: 'hours_per_week', unit: 'hours' },
  { id: 'rest_days_per_year', kind: 'median', column: 'rest_days_per_year', unit: 'days' },
  { id: 'share_withheld', kind: 'median', column: 'share_withheld', unit: 'percent' },
  { id: 'loyalty_usd', kind: 'median', column: 'loyalty_usd', unit: 'usd' },
  { id: 'ledger_usd', kind: 'median', column: 'ledger_usd', unit: 'usd' },
  { id: 'injury_any', kind: 'share', part: { flag: 'any_injury' }, unit: 'percent' },
  { id: 'injury_care_delayed_or_denied', kind: 'share', part: { flag: 'care_delayed_or_denied' }, unit: 'percent' },
  { id: 'injury_kept_working', kind: 'share', part: { flag: 'kept_working_injured' }, unit: 'percent' },
  ...ILO_INDICATOR_KEYS.map((key, bit): Measure => ({ id: `ilo_${key}`, kind: 'share', part: { ilo: bit }, unit: 'percent' })),
  ...housingKind.enumValues.map((kind): Measure => ({ id: `housing_${kind}`, kind: 'share', part: { housing: kind }, unit: 'percent' })),
  { id: 'minders', kind: 'share', part: { tri: 'minders' }, unit: 'percent' },
  { id: 'phones_forbidden', kind: 'share', part: { tri: 'phones_forbidden' }, unit: 'percent' },
  ...outcome.enumValues.map((value): Measure => ({ id: `outcome_${value}`, kind: 'share', part: { outcome: value }, unit: 'percent' })),
];

export const MEASURES: ReadonlyMap<string, Measure> = new Map(measures.map((m) => [m.id, m]));
export const MEASURE_IDS = measures.map((m) => m.id) as [string, ...string[]];

// Periods are whole quarters or whole years: a free date range would let a reader subtract two
// answers a few days apart and find the one worker who arrived in between.
const PERIOD = /^(\d{4})(?:Q([1-4]))?$/;
/** The period's form, for the OpenAPI document. */
export const PERIOD_PATTERN = PERIOD.source;
export const Period = z.string().regex(PERIOD, { message: 'Use a year (2024) or a quarter (2024Q2): free dates are not allowed.' }).refine((p) => {
  if (!PERIOD.test(p)) return true; // the format's own message says it (zod runs every check)
  const year = Number(p.slice(0, 4));
  return year >= 1990 && year <= 2100;
}, { message: 'The year must be between 1990 and 2100.' });

/** First quarter index (year × 4 + quarter − 1) a period covers; `end` gives the last. */
export function quarterIndex(period: string, end: boolean): number {
  const [, year, quarter] = PERIOD.exec(period)!;
  const y = Number(year);
  if (quarter) return y * 4 + Number(quarter) - 1;
  return y * 4 + (end ? 3 : 0);
}

export const quarterLabel = (index: number) => `${Math.floor(index / 4)}Q${(index % 4) + 1}`;

const byList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(
    z
      .array(z.string().max(40))
      .max(2, { message: 'Break down by one or two dimensions at a time.' })
      .refine((list) => new Set(list).size === list.length, { message: 'A breakdown can be used once.' }),
  );

/** A question to the aggregates, as the page, the API and the CSV download receive it. */
export const AggregateQuery = z
  .object({
    measure: z.enum(MEASURE_IDS, { message: `Unknown measure; one of: ${MEASURE_IDS.join(', ')}.` }).default('workers'),
    by: byList,
    from: Period.optional(),
    to: Period.optional(),
  })
  .strict()
  // zod runs this even when `from` or `to` already failed: only compare two well-formed periods.
  .refine((q) => !q.from || !q.to || !PERIOD.test(q.from) || !PERIOD.test(q.to) || quarterIndex(q.from, false) <= quarterIndex(q.to, true), {
    message: 'The period ends before it starts.',
    path: ['to'],
  });

export type AggregateQueryInput = z.input<typeof AggregateQuery>;
export type AggregateQueryValues = z.output<typeof AggregateQuery>;

/** From URLSearchParams: `by` may repeat. */
export function queryFromSearchParams(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    // An empty form field means "not given".
    const all = params.getAll(key).filter((v) => v !== '');
    if (key === 'by') out[key] = all;
    else if (all.length) out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}
