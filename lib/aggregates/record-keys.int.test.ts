import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { subject, subjectFact } from '@/db/schema';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { approveTestimony, createTestimony, submitTestimony, updateTestimony, withdrawConsent } from '../testimonies';
import type { NewTestimonyInput } from '../testimonies/input';
import { MEASURES } from './definitions';
import { checkFacts } from './facts';
import { groupFacts, KEY_MODULUS } from './query';

// Record keys of the cell-key method (issue 15): one per worker, drawn once, the same in every fact of
// the worker and through every edit, so the same workers always get the same noise.

let database: TestDatabase;
let org: RoleActors;

const input = (site: 'construction' | 'factory', subjectCode?: string): NewTestimonyInput => ({
  interviewDate: '2025-02-01',
  subjectCode,
  deployment: { start: '2023-03', region: 'primorsky-krai', siteType: site, visaType: 'student', outcome: 'returned' },
  consent: { scopes: ['internal', 'research'], method: 'oral' },
});

async function approved(site: 'construction' | 'factory', subjectCode?: string) {
  const created = await createTestimony(org.caseworker, input(site, subjectCode));
  await submitTestimony(org.caseworker, created.id);
  await approveTestimony(org.reviewer, created.id);
  const [row] = await database.db.select({ id: subject.id }).from(subject).where(eq(subject.code, created.subjectCode));
  return { ...created, subjectId: row!.id };
}

const factKeys = async (subjectId: string) =>
  (await database.db.select({ audience: subjectFact.audience, key: subjectFact.recordKey }).from(subjectFact).where(eq(subjectFact.subjectId, subjectId))).map((f) => `${f.audience}:${f.key}`).sort();

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('keys');
}, 120_000);
afterAll(() => database.drop());

describe(`record keys on ${testDbKind}`, () => {
  it('a worker keeps one key through an edit back to draft, a second testimony and a withdrawal', async () => {
    const first = await approved('construction');
    const [s] = await database.db.select().from(subject).where(eq(subject.id, first.subjectId));
    const key = s!.recordKey;
    expect(Number.isInteger(key) && key >= 0 && key < KEY_MODULUS).toBe(true);
    expect(await factKeys(first.subjectId)).toEqual([`internal:${key}`, `research:${key}`]);
    // Edited: back to draft, not counted, then approved again with the same key.
    await updateTestimony(org.caseworker, first.id, { version: 3, ageBand: '25-34' });
    expect(await factKeys(first.subjectId)).toEqual([]);
    await submitTestimony(org.caseworker, first.id);
    await approveTestimony(org.reviewer, first.id);
    expect(await factKeys(first.subjectId)).toEqual([`internal:${key}`, `research:${key}`]);
    // A later interview speaks for the worker; withdrawn, the earlier one speaks again: the key never moves.
    const second = await approved('factory', first.subjectCode);
    expect(await factKeys(first.subjectId)).toEqual([`internal:${key}`, `research:${key}`]);
    await withdrawConsent(org.caseworker, second.id, 'asked');
    expect(await factKeys(first.subjectId)).toEqual([`internal:${key}`, `research:${key}`]);
    expect((await checkFacts()).differing).toEqual([]);
  });

  it('workers get different keys, and a cell key is the sum of its workers\u2019 keys mod 2^31, for counts, shares and medians alike', async () => {
    for (let i = 0; i < 6; i++) await approved(i % 2 ? 'factory' : 'construction');
    const keys = await execRows<{ site: string; key: number }>(database.db, sql`select site_type::text as site, record_key as key from subject_fact where audience = 'research'`);
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    const sum = (site?: string) => keys.filter((k) => !site || k.site === site).reduce((s, k) => s + k.key, 0) % KEY_MODULUS;
    for (const measure of ['workers', 'injury_any', 'hours_per_day']) {
      const groups = await groupFacts(database.db, { audience: 'research', orgId: null }, MEASURES.get(measure)!, ['site_type']);
      expect(groups.find((g) => g.keys[0] === 'construction')!.cellKey, measure).toBe(sum('construction'));
      expect(groups.find((g) => g.keys[0] === 'factory')!.cellKey, measure).toBe(sum('factory'));
      expect(groups.find((g) => g.keys[0] === null)!.cellKey, measure).toBe(sum());
    }
    const shares = await groupFacts(database.db, { audience: 'research', orgId: null }, MEASURES.get('injury_any')!, []);
    expect(shares[0]).toMatchObject({ wholeKey: sum(), partKey: 0, part: 0 }); // nobody injured: the empty part has key 0
  });
});
