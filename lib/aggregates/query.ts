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

function shareSql(test: ShareTest): { part: SQL; whole: SQL } {
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
  /** Median: the value and how many workers had one. Share: part and whole. */
  median?: number | null;
  known?: number;
  part?: number;
  whole?: number;
}

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

/** Cells and margins for a measure broken down by 0–2 dimensions, exact. */
export async function groupFacts(tx: Tx | Db, scope: FactScope, measure: Measure, by: readonly DimensionId[]): Promise<RawGroup[]> {
  const keys = by.map((d, i) => sql`${KEY[d]} as k${sql.raw(String(i))}`);
  const figures: SQL[] = [sql`count(*)::int as n`];
  if (measure.kind === 'median') {
    const column = COLUMN[measure.column];
    figures.push(sql`percentile_cont(0.5) within group (order by ${column}) as median`, sql`count(${column})::int as known`);
  } else if (measure.kind === 'share') {
    const { part, whole } = shareSql(measure.part);
    figures.push(sql`count(*) filter (where ${part})::int as part`, sql`count(*) filter (where ${whole})::int as whole`);
  }
  const sets =
    by.length === 0
      ? sql.raw('()')
      : by.length === 1
        ? sql`(${KEY[by[0]!]}), ()`
        : sql`(${KEY[by[0]!]}, ${KEY[by[1]!]}), (${KEY[by[0]!]}), (${KEY[by[1]!]}), ()`;
  const grouping = by.length ? sql`, grouping(${sql.join(by.map((d) => KEY[d]), sql`, `)})::int as g` : sql`, 0 as g`;
  const rows = await execRows<Record<string, unknown>>(
    tx,
    sql`select ${sql.join([...keys, ...figures], sql`, `)}${grouping} from subject_fact where ${whereOf(scope)} group by grouping sets (${sets})`,
  );
  return rows.map((r) => {
    const g = Number(r.g);
    // grouping() sets bit (n-1-i) when breakdown i is aggregated over.
    const groupKeys = by.map((_, i) => ((g >> (by.length - 1 - i)) & 1 ? null : String(r[`k${i}`])));
    const out: RawGroup = { keys: groupKeys, count: Number(r.n) };
    if (measure.kind === 'median') {
      out.median = r.median == null ? null : Number(r.median);
      out.known = Number(r.known);
    } else if (measure.kind === 'share') {
      out.part = Number(r.part);
      out.whole = Number(r.whole);
    }
    return out;
  });
}

/** Distinct values present for a breakdown whose values are not a fixed list (year, region). */
export async function presentValues(tx: Tx | Db, scope: FactScope, dimension: DimensionId): Promise<string[]> {
  const rows = await execRows<{ v: string }>(tx, sql`select distinct ${KEY[dimension]} as v from subject_fact where ${whereOf(scope)}`);
  return rows.map((r) => r.v);
}
