import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { execRows } from '@/db/client';
import type { FactAudience } from './facts';
import type { DimensionId, Measure, ShareTest } from './definitions';

// The one SQL path behind researcher answers, staff answers and summary snapshots: a GROUP BY over
// subject_fact with grouping sets for the margins. Everything it returns is raw (exact counts);
// lib/aggregates/index.ts applies disclosure control before anything leaves.

export interface FactScope {
  audience: FactAudience;
  /** null: every organisation (researchers, the public). */
  orgId: string | null;
  /** Quarter indexes, inclusive. */
  fromQuarter?: number;
  toQuarter?: number;
  districts?: readonly string[];
  siteTypes?: readonly string[];
}

const KEY: Record<DimensionId, SQL> = {
  year: sql.raw(`coalesce((quarter / 4)::text, 'unknown')`),
  federal_district: sql.raw(`coalesce(federal_district::text, 'unknown')`),
  site_type: sql.raw(`coalesce(site_type::text, 'unknown')`),
  visa_type: sql.raw(`coalesce(visa_type::text, 'unknown')`),
  outcome: sql.raw(`coalesce(outcome::text, 'unknown')`),
  region: sql.raw(`coalesce(region, 'unknown')`),
  age_band: sql.raw(`coalesce(age_band::text, 'unknown')`),
  sex: sql.raw(`coalesce(sex::text, 'unknown')`),
};

const COLUMN = {
  hours_per_day: sql.raw('hours_per_day'),
  hours_per_week: sql.raw('hours_per_week'),
  rest_days_per_year: sql.raw('rest_days_per_year'),
  share_withheld: sql.raw('share_withheld * 100'),
  loyalty_usd: sql.raw('loyalty_usd'),
  ledger_usd: sql.raw('ledger_usd'),
} as const;

export function shareSql(test: ShareTest): { part: SQL; whole: SQL } {
  if ('flag' in test) return { part: sql.raw(test.flag), whole: sql.raw('true') };
  if ('tri' in test) return { part: sql.raw(`${test.tri} is true`), whole: sql.raw(`${test.tri} is not null`) };
  if ('ilo' in test) {
    const bit = 1 << test.ilo;
    return { part: sql.raw(`ilo_yes & ${bit} <> 0`), whole: sql.raw(`ilo_known & ${bit} <> 0`) };
  }
  if ('housing' in test) return { part: sql`housing = ${test.housing}`, whole: sql.raw('housing is not null') };
  return { part: sql`outcome = ${test.outcome}`, whole: sql.raw('true') };
}

/** One group of the answer: keys null where the group is a margin over that breakdown. */
export interface RawGroup {
  keys: (string | null)[];
  count: number;
  /** The cell key: the sum of the workers' record keys mod 2^31 (lib/disclosure/cell-key.ts). */
  cellKey: number;
  /** Median: the value and how many workers had one. Share: part and whole. */
  median?: number | null;
  known?: number;
  part?: number;
  whole?: number;
  /** Cell keys of the share's part and whole. */
  partKey?: number;
  wholeKey?: number;
}

/** Record keys are below 2^31; a cell's key is their sum modulo 2^31 (the "sum mod 1" of the ABS and ONS, in integers). */
export const KEY_MODULUS = 2 ** 31;
const mod = (sum: string) => sql.raw(`(${sum} % ${KEY_MODULUS})::int`);

export function whereOf(scope: FactScope): SQL {
  const conditions: SQL[] = [sql`audience = ${scope.audience}`];
  if (scope.orgId) conditions.push(sql`org_id = ${scope.orgId}`);
  if (scope.fromQuarter !== undefined) conditions.push(sql`quarter >= ${scope.fromQuarter}`);
  if (scope.toQuarter !== undefined) conditions.push(sql`quarter <= ${scope.toQuarter}`);
  // Compared as breakdown keys, so "unknown" in a scope means the workers with no value.
  if (scope.districts) conditions.push(sql`${KEY.federal_district} in (${sql.join(scope.districts.map((d) => sql`${d}`), sql`, `)})`);
  if (scope.siteTypes) conditions.push(sql`${KEY.site_type} in (${sql.join(scope.siteTypes.map((d) => sql`${d}`), sql`, `)})`);
  return sql.join(conditions, sql` and `);
}

/** A breakdown's column before it becomes a key: grouping on these is cheaper than on the text keys. */
const RAW: Record<DimensionId, SQL> = {
  year: sql.raw('quarter / 4'),
  federal_district: sql.raw('federal_district'),
  site_type: sql.raw('site_type'),
  visa_type: sql.raw('visa_type'),
  outcome: sql.raw('outcome'),
  region: sql.raw('region'),
  age_band: sql.raw('age_band'),
  sex: sql.raw('sex'),
};

/**
 * Cells and margins for a measure broken down by 0–2 dimensions, exact.
 *
 * Two steps, so the scan over a million facts can run in parallel workers (PostgreSQL does not
 * parallelise GROUPING SETS or percentile_cont): first a plain GROUP BY over subject_fact into the
 * finest cells (for a median: into cell × value, a histogram), then grouping sets over those few
 * rows for the margins. Counts and shares add up exactly; a median is read off the histogram the
 * way percentile_cont(0.5) interpolates, so the answer is the same as a direct query.
 */
export async function groupFacts(tx: Tx | Db, scope: FactScope, measure: Measure, by: readonly DimensionId[]): Promise<RawGroup[]> {
  const raw = by.map((d, i) => sql`${RAW[d]} as r${sql.raw(String(i))}`);
  const rawNames = by.map((_, i) => sql.raw(`r${i}`));
  // Null and a stored 'unknown' (a district, a visa type) are one key, as in KEY.
  const keys = by.map((_, i) => sql.raw(`coalesce(r${i}::text, 'unknown')`));
  const named = keys.map((k, i) => sql`${k} as k${sql.raw(String(i))}`);
  const sets = (extra: SQL[]) => {
    const set = (ks: SQL[]) => sql`(${sql.join([...ks, ...extra], sql`, `)})`;
    if (by.length === 0) return set([]);
    if (by.length === 1) return sql`${set([keys[0]!])}, ${set([])}`;
    return sql`${set([keys[0]!, keys[1]!])}, ${set([keys[0]!])}, ${set([keys[1]!])}, ${set([])}`;
  };
  const grouping = by.length ? sql`grouping(${sql.join(keys, sql`, `)})::int` : sql`0`;
  const where = whereOf(scope);
  let query: SQL;
  if (measure.kind === 'median') {
    const v = sql`(${COLUMN[measure.column]})::float8`;
    const k = by.map((_, i) => sql.raw(`k${i}`));
    const partition = sql.join([sql.raw('g'), ...k], sql`, `);
    query = sql`
      with cells as (select ${sql.join([...raw, sql`${v} as v`, sql`count(*) as n`, sql`sum(record_key) as ck`], sql`, `)} from subject_fact where ${where} group by ${sql.join([...rawNames, sql.raw('v')], sql`, `)}),
      groups as (select ${sql.join([...named, sql.raw('v'), sql.raw('sum(n) as n'), sql.raw('sum(ck) as ck'), sql`${grouping} as g`], sql`, `)} from cells group by grouping sets (${sets([sql.raw('v')])})),
      ranked as (
        select ${sql.join([...k, sql.raw('g'), sql.raw('v'), sql.raw('ck')], sql`, `)},
               sum(n) over (partition by ${partition}) as total,
               coalesce(sum(n) filter (where v is not null) over (partition by ${partition}), 0) as known,
               sum(n) over (partition by ${partition} order by v) as below
        from groups
      ),
      middle as (
        select ${sql.join([...k, sql.raw('g')], sql`, `)}, max(total) as total, max(known) as known, sum(ck) as ck,
               min(v) filter (where v is not null and below > floor((known - 1) / 2.0)) as low,
               min(v) filter (where v is not null and below > ceil((known - 1) / 2.0)) as high
        from ranked group by ${partition}
      )
      select ${sql.join([...k, sql.raw('total::int as n'), sql.raw('known::int as known'), sql`${mod('ck')} as ck`, sql.raw('low + (high - low) * 0.5 as median'), sql.raw('g')], sql`, `)} from middle`;
  } else {
    const figures: SQL[] = [sql`count(*) as n`, sql`sum(record_key) as ck`];
    const totals: SQL[] = [sql`sum(n)::int as n`, sql`${mod('sum(ck)')} as ck`];
    if (measure.kind === 'share') {
      const { part, whole } = shareSql(measure.part);
      figures.push(
        sql`count(*) filter (where ${part}) as part`,
        sql`count(*) filter (where ${whole}) as whole`,
        sql`coalesce(sum(record_key) filter (where ${part}), 0) as part_ck`,
        sql`coalesce(sum(record_key) filter (where ${whole}), 0) as whole_ck`,
      );
      totals.push(sql`sum(part)::int as part`, sql`sum(whole)::int as whole`, sql`${mod('sum(part_ck)')} as part_ck`, sql`${mod('sum(whole_ck)')} as whole_ck`);
    }
    const cellGroups = by.length ? sql` group by ${sql.join(rawNames, sql`, `)}` : sql``;
    query = sql`
      with cells as (select ${sql.join([...raw, ...figures], sql`, `)} from subject_fact where ${where}${cellGroups})
      select ${sql.join([...named, ...totals, sql`${grouping} as g`], sql`, `)} from cells group by grouping sets (${sets([])})`;
  }
  const rows = await execRows<Record<string, unknown>>(tx, query);
  return rows.map((r) => {
    const g = Number(r.g);
    // grouping() sets bit (n-1-i) when breakdown i is aggregated over.
    const groupKeys = by.map((_, i) => ((g >> (by.length - 1 - i)) & 1 ? null : String(r[`k${i}`])));
    const out: RawGroup = { keys: groupKeys, count: Number(r.n), cellKey: Number(r.ck) };
    if (measure.kind === 'median') {
      out.median = r.median == null ? null : Number(r.median);
      out.known = Number(r.known);
    } else if (measure.kind === 'share') {
      out.part = Number(r.part);
      out.whole = Number(r.whole);
      out.partKey = Number(r.part_ck);
      out.wholeKey = Number(r.whole_ck);
    }
    return out;
  });
}
