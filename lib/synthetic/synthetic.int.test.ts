import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Db } from '@/db';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { checkFacts } from '../aggregates/facts';
import { aggregateFor, type OutCell } from '../aggregates';
import { MEASURES } from '../aggregates/definitions';
import { groupFacts } from '../aggregates/query';
import { isSubjectCode } from '../testimonies/domain/subject-code';
import { generateSynthetic, synthEmail, type SynthResult } from './index';

// A small synthetic run (2 organisations × 200 workers, seed 7) on each database: the rows it
// promises, facts that match a recomputation, answers a researcher can read, a resumed run, and the
// same rows again from the same seed in a second database.

const RUN = { orgs: 2, workers: 400, seed: 7, batch: 150 };

let database: TestDatabase | undefined;
let result: SynthResult;
let first: Snapshot;
let researcher: RoleActors;

type Row = Record<string, unknown>;
type Snapshot = Record<'subjects' | 'testimonies' | 'consents' | 'injuries' | 'indicators' | 'facts', Row[]>;

/** Every structured row the generator wrote, by codes and e-mails rather than by the random ids of organisations and users. */
async function snapshot(db: Db): Promise<Snapshot> {
  const q = (query: ReturnType<typeof sql>) => execRows<Row>(db, query);
  return {
    subjects: await q(sql`select o.slug, s.id, s.code, s.sex, s.home_province, s.created_at::text, s.record_key from subject s join organisation o on o.id = s.org_id where o.slug like 'synth-%' order by s.id`),
    testimonies: await q(sql`
      select t.id, t.subject_id, t.status, t.version, e.email as entered_by, i.email as interviewer, a.email as approved_by, t.interview_date::text, t.interview_language,
             t.age_band, t.deployment_start::text, t.deployment_end::text, t.region, t.federal_district, t.site_type, t.visa_type, t.outcome, t.shift_start::text,
             t.shift_end::text, t.days_per_week::text, t.rest_days_per_year, t.pay_currency, t.wage_paid::text, t.loyalty_contribution::text, t.ledger_credit::text,
             t.received_in_hand::text, t.ledger_paid, t.housing, t.minders, t.ideological_sessions, t.phones_forbidden, t.narrative, t.interviewer_notes,
             t.created_at::text, t.submitted_at::text, t.approved_at::text
      from testimony t join app_user e on e.id = t.entered_by left join app_user i on i.id = t.interviewer_id left join app_user a on a.id = t.approved_by
      join organisation o on o.id = t.org_id where o.slug like 'synth-%' order by t.id`),
    consents: await q(sql`
      select c.testimony_id, c.internal, c.research, c.public_aggregate, c.public_quote, c.method, c.recorded_at::text, c.withdrawn_at::text
      from testimony_consent c join organisation o on o.id = c.org_id where o.slug like 'synth-%' order by c.testimony_id`),
    injuries: await q(sql`select i.id, i.testimony_id, i.kind, i.severity, i.month::text, i.care, i.kept_working from testimony_injury i join organisation o on o.id = i.org_id where o.slug like 'synth-%' order by i.id`),
    indicators: await q(sql`select i.testimony_id, i.indicator, i.answer from testimony_indicator i join organisation o on o.id = i.org_id where o.slug like 'synth-%' order by 1, 2`),
    facts: await q(sql`
      select f.audience, f.subject_id, f.testimony_id, f.record_key, f.quarter, f.federal_district, f.region, f.site_type, f.visa_type, f.outcome, f.age_band, f.sex, f.hours_per_day,
             f.hours_per_week, f.rest_days_per_year, f.share_withheld, f.loyalty_usd, f.ledger_usd, f.any_injury, f.care_delayed_or_denied, f.kept_working_injured,
             f.ilo_yes, f.ilo_known, f.housing, f.minders, f.phones_forbidden
      from subject_fact f join organisation o on o.id = f.org_id where o.slug like 'synth-%' order by f.subject_id, f.audience`),
  };
}

const one = async <T>(db: Db, query: ReturnType<typeof sql>) => (await execRows<T>(db, query))[0]!;

beforeAll(async () => {
  database = await freshDatabase();
  result = await generateSynthetic(RUN);
  first = await snapshot(database.db);
  researcher = await orgWithActors('readers');
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe(`synthetic data on ${testDbKind}`, { timeout: 120_000 }, () => {
  it('writes 2 organisations × 200 workers, each with one approved testimony and its consent', async () => {
    const db = database!.db;
    expect(result).toMatchObject({ workers: 400, written: 400, present: 0 });
    expect(result.orgs.map((o) => [o.slug, o.workers, o.written])).toEqual([
      ['synth-1', 200, 200],
      ['synth-2', 200, 200],
    ]);
    const perOrg = await execRows<{ slug: string; subjects: number; testimonies: number; approved: number; consents: number; codes: number }>(
      db,
      sql`select o.slug,
                 (select count(*)::int from subject s where s.org_id = o.id) as subjects,
                 (select count(distinct s.code)::int from subject s where s.org_id = o.id) as codes,
                 (select count(*)::int from testimony t where t.org_id = o.id) as testimonies,
                 (select count(*)::int from testimony t where t.org_id = o.id and t.status = 'approved' and t.approved_at is not null) as approved,
                 (select count(*)::int from testimony_consent c where c.org_id = o.id) as consents
          from organisation o where o.slug like 'synth-%' order by o.slug`,
    );
    expect(perOrg).toEqual([
      { slug: 'synth-1', subjects: 200, codes: 200, testimonies: 200, approved: 200, consents: 200 },
      { slug: 'synth-2', subjects: 200, codes: 200, testimonies: 200, approved: 200, consents: 200 },
    ]);
    for (const s of first.subjects) expect(isSubjectCode(String(s.code))).toBe(true);
    // Entered by the synthetic caseworker, approved by the reviewer; both accounts disabled; no narrative.
    expect(new Set(first.testimonies.map((t) => `${t.entered_by} ${t.approved_by}`))).toEqual(new Set([1, 2].map((n) => `${synthEmail('caseworker', n)} ${synthEmail('reviewer', n)}`)));
    expect(first.testimonies.every((t) => t.narrative === null && t.interviewer_notes === null)).toBe(true);
    const accounts = await execRows<{ email: string; disabled: boolean }>(db, sql`select email, disabled_at is not null as disabled from app_user where email like '%.synthetic.invalid'`);
    expect(accounts).toHaveLength(4);
    expect(accounts.every((a) => a.disabled)).toBe(true);
    // Children: some injuries and many indicator answers, in the counts reported.
    expect(first.injuries.length).toBe(result.rows.injuries);
    expect(first.indicators.length).toBe(result.rows.indicators);
    expect(result.rows.injuries).toBeGreaterThan(40);
    expect(result.rows.indicators).toBeGreaterThan(1000);
  });

  it('writes one fact per audience the consent covers (none when withdrawn), equal to a recomputation', async () => {
    const db = database!.db;
    const expected = await one<{ internal: number; research: number; public_aggregate: number; withdrawn: number; any_research: number }>(
      db,
      sql`select count(*) filter (where internal and withdrawn_at is null)::int as internal,
                 count(*) filter (where research and withdrawn_at is null)::int as research,
                 count(*) filter (where public_aggregate and withdrawn_at is null)::int as public_aggregate,
                 count(*) filter (where withdrawn_at is not null)::int as withdrawn,
                 count(*) filter (where research)::int as any_research
          from testimony_consent`,
    );
    const facts = await execRows<{ audience: string; n: number }>(db, sql`select audience::text, count(*)::int as n from subject_fact group by 1 order by 1`);
    expect(Object.fromEntries(facts.map((f) => [f.audience, f.n]))).toEqual({ internal: expected.internal, research: expected.research, public_aggregate: expected.public_aggregate });
    expect(result.rows.facts).toBe(expected.internal + expected.research + expected.public_aggregate);
    // A mix of consents: most research, some public, a few withdrawn.
    expect(expected.research).toBeGreaterThan(200);
    expect(expected.public_aggregate).toBeGreaterThan(100);
    expect(expected.withdrawn).toBeGreaterThan(0);
    expect(expected.any_research).toBeGreaterThan(expected.research);
    const check = await checkFacts();
    expect(check).toEqual({ subjects: 400, differing: [] });
    // Every fact carries its subject's record key, written in the same pass; the keys look random.
    const keys = await one<{ mismatched: number; distinct: number; low: number; high: number }>(
      db,
      sql`select count(*) filter (where f.record_key <> s.record_key)::int as mismatched, count(distinct s.record_key)::int as distinct,
                 count(*) filter (where s.record_key < 1073741824)::int as low, count(*) filter (where s.record_key >= 1073741824)::int as high
          from subject s left join subject_fact f on f.subject_id = s.id and f.audience = 'research'`,
    );
    expect(keys.mismatched).toBe(0);
    expect(keys.distinct).toBe(400);
    expect(Math.min(keys.low, keys.high)).toBeGreaterThan(150);
  });

  it('gives a researcher answers with cells above k', async () => {
    const research = (await one<{ n: number }>(database!.db, sql`select count(*)::int as n from subject_fact where audience = 'research'`)).n;
    const bySite = await aggregateFor(researcher.researcher, { measure: 'workers', by: ['year', 'site_type'] });
    const total = bySite.margins.at(-1) as Extract<OutCell, { count: number }>;
    expect(bySite.perturbed).toBe(true);
    expect(Math.abs(total.count - research)).toBeLessThanOrEqual(bySite.perturbation!.maxDeviation);
    const shown = bySite.cells.filter((c): c is Extract<OutCell, { count: number }> => 'count' in c && c.count >= bySite.k);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.some((c) => c.by.site_type === 'construction' && c.by.year === '2024')).toBe(true);
    const withheld = await aggregateFor(researcher.researcher, { measure: 'share_withheld', by: ['federal_district'] });
    const farEast = withheld.cells.find((c) => c.by.federal_district === 'far-eastern');
    expect(farEast).toMatchObject({ value: expect.any(Number) });
    // Most of the wage withheld: loyalty contribution and ledger together.
    expect((farEast as { value: number }).value).toBeGreaterThanOrEqual(70);
    const hours = await aggregateFor(researcher.researcher, { measure: 'hours_per_day', by: [] });
    expect((hours.margins[0] as { value: number }).value).toBeGreaterThanOrEqual(14);
  });

  it('the aggregates query (cells, then margins; medians from a histogram) equals one direct GROUP BY GROUPING SETS with percentile_cont', async () => {
    const db = database!.db;
    const scope = { audience: 'internal' as const, orgId: null };
    const direct = async (column: string, where = 'true') =>
      execRows<{ k0: string | null; k1: string | null; n: number; known: number; ck: number; median: number | null; g: number }>(
        db,
        sql.raw(`select coalesce(federal_district::text, 'unknown') as k0, coalesce(site_type::text, 'unknown') as k1, count(*)::int as n, count(${column})::int as known,
                        (sum(record_key) % 2147483648)::int as ck,
                        percentile_cont(0.5) within group (order by ${column}) as median,
                        grouping(coalesce(federal_district::text, 'unknown'), coalesce(site_type::text, 'unknown'))::int as g
                 from subject_fact where audience = 'internal' and ${where}
                 group by grouping sets ((coalesce(federal_district::text, 'unknown'), coalesce(site_type::text, 'unknown')), (coalesce(federal_district::text, 'unknown')), (coalesce(site_type::text, 'unknown')), ())`),
      );
    const asGroups = (rows: Awaited<ReturnType<typeof direct>>) =>
      rows.map((r) => ({ keys: [r.g & 2 ? null : r.k0, r.g & 1 ? null : r.k1], count: r.n, cellKey: r.ck, known: r.known, median: r.median == null ? null : Number(r.median) })).sort((a, b) => JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));
    const sorted = <T extends { keys: (string | null)[] }>(gs: T[]) => [...gs].sort((a, b) => JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));
    for (const [measure, column] of [['hours_per_day', 'hours_per_day'], ['rest_days_per_year', 'rest_days_per_year'], ['share_withheld', 'share_withheld * 100'], ['loyalty_usd', 'loyalty_usd']] as const) {
      const app = await groupFacts(db, scope, MEASURES.get(measure)!, ['federal_district', 'site_type']);
      expect(sorted(app), measure).toEqual(asGroups(await direct(column)));
      expect(app.some((g) => g.median != null && g.known! % 2 === 0), measure).toBe(true); // even counts: the interpolated median is covered
    }
    // One value missing in a group of two (an even and an odd count side by side), and a group with no value at all.
    const hours = await groupFacts(db, { ...scope, siteTypes: ['fishing'] }, MEASURES.get('ledger_usd')!, ['federal_district', 'site_type']);
    expect(sorted(hours)).toEqual(asGroups(await direct('ledger_usd', `site_type = 'fishing'`)));
    // Counts and shares: the cells add up to the margins the direct query gives.
    const share = await groupFacts(db, scope, MEASURES.get('injury_any')!, ['year', 'visa_type']);
    const directShare = await execRows<{ n: number; part: number; g: number }>(
      db,
      sql`select count(*)::int as n, count(*) filter (where any_injury)::int as part, grouping(coalesce((quarter / 4)::text, 'unknown'), coalesce(visa_type::text, 'unknown'))::int as g
          from subject_fact where audience = 'internal'
          group by grouping sets ((coalesce((quarter / 4)::text, 'unknown'), coalesce(visa_type::text, 'unknown')), (coalesce((quarter / 4)::text, 'unknown')), (coalesce(visa_type::text, 'unknown')), ())`,
    );
    expect(share.length).toBe(directShare.length);
    expect(share.reduce((s, g) => s + g.count * 7 + g.part! * 3, 0)).toBe(directShare.reduce((s, r) => s + r.n * 7 + r.part * 3, 0));
  });

  it('audits one synth.generate event per run, and a second run with more workers writes only the new ones', async () => {
    const db = database!.db;
    const events = () => execRows<{ actor_role: string; details: Record<string, unknown> }>(db, sql`select actor_role, details from audit_event where action = 'synth.generate' order by id`);
    expect(await events()).toEqual([{ actor_role: 'operator', details: { seed: 7, orgs: ['synth-1', 'synth-2'], workers: 400, written: 400, present: 0 } }]);
    const more = await generateSynthetic({ ...RUN, workers: 500 });
    expect(more).toMatchObject({ written: 100, present: 400 });
    expect((await one<{ n: number }>(db, sql`select count(*)::int as n from subject`)).n).toBe(500);
    expect((await events()).map((e) => e.details)).toEqual([
      { seed: 7, orgs: ['synth-1', 'synth-2'], workers: 400, written: 400, present: 0 },
      { seed: 7, orgs: ['synth-1', 'synth-2'], workers: 500, written: 100, present: 400 },
    ]);
    const again = await generateSynthetic({ ...RUN, workers: 500 });
    expect(again).toMatchObject({ written: 0, present: 500 });
    expect((await checkFacts()).differing).toEqual([]);
  });

  it('the same seed writes the same rows into a second database', async () => {
    await database!.drop();
    database = undefined;
    database = await freshDatabase();
    const second = await generateSynthetic(RUN);
    expect(second).toMatchObject({ written: 400 });
    const rows = await snapshot(database.db);
    for (const key of Object.keys(first) as (keyof Snapshot)[]) expect(rows[key], key).toEqual(first[key]);
    expect(rows.facts.length).toBeGreaterThan(400);
  });
});
