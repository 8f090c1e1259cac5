import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, subjectFact } from '@/db/schema';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { approveTestimony, createTestimony, submitTestimony, updateTestimony, withdrawConsent } from '../testimonies';
import type { NewTestimonyInput } from '../testimonies/input';
import { AggregateQuery, MEASURES, quarterIndex, type AggregateQueryInput, type DimensionId } from './definitions';
import { checkFacts } from './facts';
import { aggregateFor, answer, type AggregateAnswer, type OutCell } from './index';
import { groupFacts, type FactScope } from './query';

// 30 workers over two organisations (issue 6): who counts for researchers and staff, a subject with
// two testimonies counted once, suppression, and consent withdrawal changing the next answer.
// Researchers' counts are perturbed (issue 15): who counts is checked on the exact answer the same
// code gives without perturbation, and every researcher count against the true count: within ±D,
// 0 only for nobody, never 1..k−1.

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;
const ids: Record<string, string[]> = {};

type Worker = { site: 'construction' | 'logging' | 'factory'; start: string; scopes?: NewTestimonyInput['consent']['scopes']; approve?: boolean; subjectCode?: string; interviewDate?: string };

async function record(org: RoleActors, group: string, w: Worker) {
  const input: NewTestimonyInput = {
    interviewDate: w.interviewDate ?? '2025-02-01',
    subjectCode: w.subjectCode,
    deployment: { start: w.start, region: 'primorsky-krai', siteType: w.site, visaType: 'student', outcome: 'returned' },
    hours: { shiftStart: '06:00', shiftEnd: w.site === 'construction' ? '02:00' : '22:00', daysPerWeek: 7 },
    pay: { currency: 'USD', wagePaid: 800, loyaltyContribution: 560, ledgerCredit: 160, receivedInHand: 80 },
    consent: { scopes: w.scopes ?? ['internal', 'research'], method: 'oral' },
  };
  const created = await createTestimony(org.caseworker, input);
  if (w.approve !== false) {
    await submitTestimony(org.caseworker, created.id);
    await approveTestimony(org.reviewer, created.id);
  } else {
    await submitTestimony(org.caseworker, created.id);
  }
  (ids[group] ??= []).push(created.id);
  return created;
}

const cellOf = (answer: AggregateAnswer, by: Record<string, string>): OutCell | undefined =>
  [...answer.cells, ...answer.margins].find((c) => JSON.stringify(c.by) === JSON.stringify(by));
const countOf = (answer: AggregateAnswer, by: Record<string, string>) => {
  const c = cellOf(answer, by);
  return c && 'count' in c ? c.count : c ? 'suppressed' : undefined;
};

const D = 5; // CELL_KEY_MAX_DEVIATION's default
const researchScope = (q: AggregateQueryInput): FactScope => {
  const v = AggregateQuery.parse(q);
  return { audience: 'research', orgId: null, fromQuarter: v.from ? quarterIndex(v.from, false) : undefined, toQuarter: v.to ? quarterIndex(v.to, true) : undefined };
};
/** The researchers' answer as the same code computes it without perturbation. */
const exactResearch = (q: AggregateQueryInput) => {
  const v = AggregateQuery.parse(q);
  return answer(database.db, researchScope(q), v, v.by as DimensionId[], 5);
};
/** A researcher's perturbed answer, checked cell by cell against the true counts; returns it. */
async function researcherAnswer(q: AggregateQueryInput): Promise<AggregateAnswer> {
  const v = AggregateQuery.parse(q);
  const result = await aggregateFor(a.researcher, q);
  expect(result).toMatchObject({ perturbed: true, perturbation: { maxDeviation: D, variance: 4 } });
  const truth = await groupFacts(database.db, researchScope(q), MEASURES.get(v.measure)!, v.by as DimensionId[]);
  for (const c of [...result.cells, ...result.margins]) {
    if (!('count' in c)) continue;
    const exact = truth.find((g) => g.keys.every((key, i) => key === (c.by[v.by[i]!] ?? null)))?.count ?? 0;
    expect(Math.abs(c.count - exact), JSON.stringify(c.by)).toBeLessThanOrEqual(D);
    expect(c.count === 0, JSON.stringify(c.by)).toBe(exact === 0);
    expect(c.count === 0 || c.count >= result.k, JSON.stringify(c.by)).toBe(true);
  }
  // Asked again, the same numbers: nothing to average.
  expect(await aggregateFor(a.researcher, q)).toEqual(result);
  return result;
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('agg-a');
  b = await orgWithActors('agg-b');
  // Organisation A: 20 workers.
  for (let i = 0; i < 12; i++) await record(a, 'a-construction', { site: 'construction', start: '2023-03' });
  for (let i = 0; i < 3; i++) await record(a, 'a-logging', { site: 'logging', start: '2023-05' });
  for (let i = 0; i < 2; i++) await record(a, 'a-unapproved', { site: 'construction', start: '2023-05', approve: false });
  for (let i = 0; i < 3; i++) await record(a, 'a-internal-only', { site: 'construction', start: '2023-05', scopes: ['internal'] });
  // Organisation B: 10 workers, one of them interviewed twice.
  for (let i = 0; i < 7; i++) await record(b, 'b-construction', { site: 'construction', start: '2024-02' });
  const twice = await record(b, 'b-twice-first', { site: 'factory', start: '2022-06', interviewDate: '2024-01-10' });
  await record(b, 'b-twice-second', { site: 'construction', start: '2024-02', interviewDate: '2025-03-01', subjectCode: twice.subjectCode });
  for (let i = 0; i < 6; i++) await record(b, 'b-factory', { site: 'factory', start: '2024-08' });
  // 7 + 1 + 6 = 14 distinct workers so far in B; two more researched, one of them withdrawn.
  for (let i = 0; i < 2; i++) await record(b, 'b-withdrawn', { site: 'construction', start: '2024-02' });
  await withdrawConsent(b.caseworker, ids['b-withdrawn']![0]!, 'asked to be removed');
}, 240_000);
afterAll(() => database.drop());

describe(`aggregates on ${testDbKind}`, () => {
  it('a researcher counts approved, research-consented, not withdrawn workers of every organisation, each once', async () => {
    const bySite = await exactResearch({ measure: 'workers', by: ['site_type'] });
    // construction: A 12 + B 7 + the twice-interviewed worker + B's one not withdrawn = 21; factory 6; logging 3.
    expect(bySite.k).toBe(5);
    expect(bySite.audience).toBe('research');
    expect(countOf(bySite, { site_type: 'construction' })).toBe(21);
    expect(countOf(bySite, { site_type: 'logging' })).toBe('suppressed'); // 3 < k
    expect(countOf(bySite, { site_type: 'factory' })).toBe('suppressed'); // complementary: else total − visible = 3
    expect(countOf(bySite, { site_type: 'agriculture' })).toBe(0);
    expect(countOf(bySite, {})).toBe(30);
    // No output count lies in 1..k−1.
    for (const c of [...bySite.cells, ...bySite.margins]) if ('count' in c) expect(c.count === 0 || c.count >= 5).toBe(true);
    // What the researcher sees: the same workers, each count within ±D, zeros still 0.
    const seen = await researcherAnswer({ measure: 'workers', by: ['site_type'] });
    expect(seen.audience).toBe('research');
    expect(countOf(seen, { site_type: 'agriculture' })).toBe(0);
    expect(Math.abs((countOf(seen, {}) as number) - 30)).toBeLessThanOrEqual(D);
  });

  it('breaks down by two dimensions with margins and medians only where k workers stand behind them', async () => {
    const table = await exactResearch({ measure: 'hours_per_day', by: ['year', 'site_type'] });
    expect(table.values.year).toEqual(['2023', '2024']); // the twice-interviewed worker's latest testimony is 2024
    // Exact: 2023 construction 12, logging 3; 2024 construction 9, factory 6 (hours 20 and 16 a day).
    // The 3 is under k; its row and column each need a second hidden cell, and the chain runs through
    // every cell: only the margins stay, which still give every row, column and total with its median.
    const shown = [...table.cells, ...table.margins].filter((c) => !('count' in c) || c.count > 0);
    expect(shown).toEqual([
      { by: { year: '2023', site_type: 'construction' }, suppressed: true },
      { by: { year: '2023', site_type: 'logging' }, suppressed: true },
      { by: { year: '2024', site_type: 'construction' }, suppressed: true },
      { by: { year: '2024', site_type: 'factory' }, suppressed: true },
      { by: { year: '2023' }, count: 15, value: 20 },
      { by: { year: '2024' }, count: 15, value: 20 },
      { by: { site_type: 'construction' }, count: 21, value: 20 },
      { by: { site_type: 'factory' }, suppressed: true },
      { by: { site_type: 'logging' }, suppressed: true },
      { by: {}, count: 30, value: 20 },
    ]);
    // One breakdown with enough workers in each cell: the medians per cell.
    const siteHours = await exactResearch({ measure: 'hours_per_day', by: ['site_type'], from: '2024', to: '2024' });
    expect(cellOf(siteHours, { site_type: 'construction' })).toEqual({ by: { site_type: 'construction' }, count: 9, value: 20 });
    expect(cellOf(siteHours, { site_type: 'factory' })).toEqual({ by: { site_type: 'factory' }, count: 6, value: 16 });
    expect(countOf(table, {})).toBe(30);
    // Perturbed: medians are not perturbed, and appear only beside a perturbed count of at least k.
    for (const q of [{ measure: 'hours_per_day', by: ['year', 'site_type'] }, { measure: 'hours_per_day', by: ['site_type'], from: '2024', to: '2024' }]) {
      const seen = await researcherAnswer(q);
      for (const c of [...seen.cells, ...seen.margins]) {
        if (!('count' in c) || c.value === null) continue;
        expect(c.count).toBeGreaterThanOrEqual(5);
        expect([16, 20]).toContain(c.value);
      }
    }
  });

  it('staff see their own organisation only, internal consent included, at the researcher k', async () => {
    const mine = await aggregateFor(a.caseworker, { measure: 'workers', by: ['site_type'] });
    expect(mine.audience).toBe('internal');
    expect(mine.perturbed).toBe(false); // exact: staff can read their own records anyway
    expect(mine.perturbation).toBeUndefined();
    expect(countOf(mine, {})).toBe(18); // 12 + 3 + 3 internal-only; unapproved excluded; nothing of B
    // construction 15 and logging 3: the 3 is hidden, and so is the 15 (total − 15 would give it back).
    expect(countOf(mine, { site_type: 'construction' })).toBe('suppressed');
    expect(countOf(mine, { site_type: 'logging' })).toBe('suppressed');
    expect(countOf(await aggregateFor(a.caseworker, { measure: 'workers', by: ['year'] }), { year: '2023' })).toBe(18);
  });

  it('refuses home province to everyone and researcher breakdowns stay within the list', async () => {
    await expect(aggregateFor(a.researcher, { measure: 'workers', by: ['home_province'] })).rejects.toMatchObject({ status: 403 });
    await expect(aggregateFor(a.admin, { measure: 'workers', by: 'home_province' })).rejects.toMatchObject({ status: 403 });
    await expect(aggregateFor(a.researcher, { measure: 'workers', by: ['site_type', 'year', 'sex'] })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(aggregateFor(a.researcher, { measure: 'workers', by: ['nonsense'] })).rejects.toMatchObject({ status: 422 });
    await expect(aggregateFor(a.researcher, { measure: 'workers', from: '2024-03-01' })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(aggregateFor(a.researcher, { measure: 'workers', from: '2024', to: '2023Q4' })).rejects.toMatchObject({ name: 'ZodError' });
  });

  it('a period in whole quarters narrows the workers counted', async () => {
    const y2024 = await exactResearch({ measure: 'workers', by: ['year'], from: '2024', to: '2024' });
    expect(countOf(y2024, {})).toBe(15); // B: 7 + twice + 1 + 6 factory (2024-08)
    const q1 = await exactResearch({ measure: 'workers', by: ['year'], from: '2024Q1', to: '2024Q1' });
    expect(countOf(q1, {})).toBe(9);
    await researcherAnswer({ measure: 'workers', by: ['year'], from: '2024', to: '2024' });
    await researcherAnswer({ measure: 'workers', by: ['year'], from: '2024Q1', to: '2024Q1' });
  });

  it('writes every query to the audit log with its parameters', async () => {
    await aggregateFor(a.researcher, { measure: 'share_withheld', by: ['federal_district'], from: '2023' });
    const [last] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'aggregate.query'), eq(auditEvent.actorId, a.researcher.userId)))
      .orderBy(auditEvent.id);
    expect(last).toBeDefined();
    const events = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'aggregate.query'));
    expect(events.map((e) => e.details)).toContainEqual(expect.objectContaining({ measure: 'share_withheld', by: ['federal_district'], from: '2023', to: null, audience: 'research' }));
  });

  it('withdrawing consent changes the next answer; the earlier testimony speaks when the later one leaves', async () => {
    await withdrawConsent(a.caseworker, ids['a-construction']![0]!, 'worried about family');
    const after = await exactResearch({ measure: 'workers', by: ['site_type'] });
    expect(countOf(after, { site_type: 'construction' })).toBe(20);
    expect(countOf(after, {})).toBe(29);
    await researcherAnswer({ measure: 'workers', by: ['site_type'] });
    // The twice-interviewed worker: withdraw the later testimony, the earlier (factory, 2022) counts.
    await withdrawConsent(b.caseworker, ids['b-twice-second']![0]!, 'asked again');
    const years = await exactResearch({ measure: 'workers', by: ['year'] });
    expect(years.values.year).toEqual(['2022', '2023', '2024']);
    expect(countOf(years, {})).toBe(29);
    expect((await researcherAnswer({ measure: 'workers', by: ['year'] })).values.year).toEqual(['2022', '2023', '2024']);
    // An edit sends an approved testimony back to draft: it stops counting until approved again.
    expect(await database.db.select().from(subjectFact).where(eq(subjectFact.testimonyId, ids['b-factory']![0]!))).toHaveLength(2); // internal, research
    await updateTestimony(b.caseworker, ids['b-factory']![0]!, { version: 3, ageBand: '25-34' }); // created 1, submitted 2, approved 3
    expect(await database.db.select().from(subjectFact).where(eq(subjectFact.testimonyId, ids['b-factory']![0]!))).toHaveLength(0);
    expect(countOf(await exactResearch({ measure: 'workers' }), {})).toBe(28);
    await researcherAnswer({ measure: 'workers' });
    const check = await checkFacts();
    expect(check.differing).toEqual([]);
  });
});
